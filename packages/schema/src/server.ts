// Entry point for Node (server, imports, proposal intake): everything in index.ts plus what needs a
// heavy library: the opening-hours check and JSON Schema validation (Ajv). Browser code imports
// `@datapatch/schema`.
import { type CompileOptions, compileSchema, type RowsValidator } from './compileSchema.ts';
import { compileJsonSchema } from './jsonSchemaValidator.ts';
import type { TableSchema } from './tableSchema.ts';

export * from './index.ts';
export { compileJsonSchema } from './jsonSchemaValidator.ts';
export {
  isOpeningHours,
  nearestOpeningHours,
  openingHoursValue,
  serverCustomChecks,
} from './openingHoursCheck.ts';

/**
 * The validator an import runs: a schema read from a JSON Schema (it carries it under
 * `jsonSchema`) is checked with that JSON Schema, any other with its Table Schema fields.
 */
export function compileRowsValidator(schema: TableSchema, options: CompileOptions = {}): RowsValidator {
  const { jsonSchema } = schema;
  if (typeof jsonSchema === 'object' && jsonSchema !== null && !Array.isArray(jsonSchema))
    return compileJsonSchema(jsonSchema as Record<string, unknown>);
  return compileSchema(schema, options);
}
