// The subset of JSON Schema (draft-07) the scenario and bug schemas use, as a TypeScript type. Editors
// read the generated files in schema/; the loader checks files against the same objects with
// checkSchema (schema-check.ts). `errorMessage` and `patternErrorMessage` are the custom-message
// keywords VS Code's JSON and YAML language services understand; `x-noun` names what an enum lists
// ("fault family"), for messages only.

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $comment?: string;
  title?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  definitions?: Record<string, JsonSchema>;
  errorMessage?: string;
  patternErrorMessage?: string;
  'x-noun'?: string;
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
