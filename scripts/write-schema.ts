// `npm run schema`: writes the JSON Schemas of scenario and bug files to schema/ (src/scenario/schema.ts
// is their source; test/scenario/schema.test.ts fails while the files are stale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../src/scenario/schema-files.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote schema/${name}`);
}
