// The package's own directory: where the catalog (bugs/, scenarios/) lives, whatever the cwd.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUGS_DIR = resolve(PACKAGE_ROOT, 'bugs');
export const SCENARIOS_DIR = resolve(PACKAGE_ROOT, 'scenarios');
