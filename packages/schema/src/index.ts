export {
  type CompileOptions,
  compilePattern,
  compileSchema,
  SchemaError,
  type SchemaValidator,
  type SchemaWarning,
  type TableReport,
  type UniqueIndex,
  type ValidationError,
} from './compileSchema.ts';
export {
  type CustomCheck,
  type CustomChecks,
  isPhoneNumber,
  isSiren,
  isSiret,
  pureCustomChecks,
} from './customChecks.ts';
export { type SchemaReading, toTableSchema } from './datamiSchema.ts';
export { frenchOpeningHours } from './frenchOpeningHours.ts';
export { type InferOptions, inferSchema } from './inferSchema.ts';
export type { Cell, Constraints, Field, FieldType, Row, TableSchema } from './tableSchema.ts';
export { fieldTypes } from './tableSchema.ts';
export type {
  ConstraintName,
  Message,
  SchemaWarningCode,
  ValidationErrorCode,
} from './validationMessages.ts';
