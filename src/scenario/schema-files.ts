// The schema files shipped in schema/ (for editors), as `npm run schema` writes them and a test
// checks they are current.

import { bugSchema, scenarioSchema } from './schema.js';

/** File name → contents. */
export function schemaFiles(): Record<string, string> {
  const render = (schema: object): string => `${JSON.stringify(schema, null, 2)}\n`;
  return { 'scenario.schema.json': render(scenarioSchema()), 'bug.schema.json': render(bugSchema()) };
}
