export {
  type CompileOptions,
  compilePattern,
  compileSchema,
  type RowsValidator,
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
export {
  applyCustomProps,
  type CustomPropsNote,
  type CustomPropsReading,
} from './datamiCustomProps.ts';
export { type SchemaReading, toTableSchema } from './datamiSchema.ts';
export { frenchOpeningHours } from './frenchOpeningHours.ts';
export { type HoursLocale, openingHoursInWords, weekInWords } from './hoursInWords.ts';
export { type InferOptions, inferSchema } from './inferSchema.ts';
export { type JsonSchemaReading, tableSchemaFromJsonSchema } from './jsonSchemaFields.ts';
export {
  type OpeningHoursLibrary,
  type OpeningHoursReading,
  readOpeningHours,
} from './openingHoursStrict.ts';
export { readSchema, type SchemaKind, type SchemaRead, type SchemaReadCode } from './schemaKind.ts';
export type { Cell, Constraints, Field, FieldType, Row, TableSchema } from './tableSchema.ts';
export { fieldTypes } from './tableSchema.ts';
export type {
  ConstraintName,
  Message,
  SchemaWarningCode,
  ValidationErrorCode,
} from './validationMessages.ts';
export {
  type DayHours,
  emptyWeek,
  type HoursGroup,
  isClock,
  proposedOpeningHours,
  readWeeklyHours,
  type TimeRange,
  WEEK,
  type Weekday,
  type WeeklyHours,
  type WeeklyHoursProblem,
  weeklyHoursProblems,
  writeWeeklyHours,
} from './weeklyHours.ts';
