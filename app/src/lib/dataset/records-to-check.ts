/**
 * The dataset's records to check: those whose cells break the schema (kept by an editor with
 * "Enregistrer quand même", or imported so), each with its problems said with the field's title.
 * Pure, from rows and a validator; only cell problems count (a row-level one has no field to fix).
 */
import type { Message, Row, SchemaValidator } from '@datapatch/schema';
import { inFieldWords } from '../forms/draft.ts';

export interface RecordProblem {
  field: string;
  message: Message;
}

export interface RecordToCheck {
  rowId: string;
  problems: RecordProblem[];
}

/** `titles` maps a field name to its title, so messages name fields as people read them. */
export function recordsToCheck(
  rows: Iterable<readonly [string, Row]>,
  validator: SchemaValidator,
  titles: ReadonlyMap<string, string>,
): RecordToCheck[] {
  const found: RecordToCheck[] = [];
  for (const [rowId, row] of rows) {
    const problems: RecordProblem[] = [];
    for (const error of validator.validateRow(row)) {
      if (error.field === null) continue;
      problems.push({
        field: error.field,
        message: inFieldWords(error.message, error.field, titles.get(error.field) ?? error.field),
      });
    }
    if (problems.length > 0) found.push({ rowId, problems });
  }
  return found;
}

/** The problems a value would bring to one cell of a row: what the editor is told before saving. */
export function cellProblems(row: Row, field: string, validator: SchemaValidator, title: string): Message[] {
  return validator
    .validateRow(row)
    .filter((e) => e.field === field)
    .map((e) => inFieldWords(e.message, field, title));
}
