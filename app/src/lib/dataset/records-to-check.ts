/**
 * The dataset's records to check: those whose cells break the schema (kept by an editor with
 * "Enregistrer quand même", or imported so), each with its problems said with the field's title.
 * Pure, from rows and a validator; only cell problems count (a row-level one has no field to fix).
 */
import type { Message, Row, SchemaValidator } from '@datapatch/schema';
import type { Store } from 'tinybase/store';
import { inFieldWords } from '../forms/draft.ts';
import { ROWS_TABLE } from '../readmodel/feed.ts';

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

/**
 * The records to check of a live store, kept up to date row by row: a change revalidates only
 * the rows it touched (a whole 30,000-row dataset takes a second or more to validate, too long
 * to redo on every edit). Call `destroy` when the view goes away.
 */
export class LiveRecordsToCheck {
  readonly #store: Store;
  readonly #validator: SchemaValidator;
  readonly #titles: ReadonlyMap<string, string>;
  readonly #problems = new Map<string, RecordProblem[]>();
  #dirty: Set<string> | 'all' = 'all';
  readonly #listener: string;

  constructor(store: Store, validator: SchemaValidator, titles: ReadonlyMap<string, string>) {
    this.#store = store;
    this.#validator = validator;
    this.#titles = titles;
    this.#listener = store.addRowListener(ROWS_TABLE, null, (_store, _table, rowId) => {
      if (this.#dirty !== 'all') this.#dirty.add(rowId);
    });
  }

  /** The records to check now, in the order their problems were first found. */
  list(): RecordToCheck[] {
    const dirty = this.#dirty === 'all' ? this.#store.getRowIds(ROWS_TABLE) : [...this.#dirty];
    this.#dirty = new Set();
    for (const rowId of dirty) {
      const row = this.#store.getRow(ROWS_TABLE, rowId) as Row;
      const found =
        Object.keys(row).length === 0
          ? []
          : (recordsToCheck([[rowId, row]], this.#validator, this.#titles)[0]?.problems ?? []);
      if (found.length === 0) this.#problems.delete(rowId);
      else this.#problems.set(rowId, found);
    }
    return [...this.#problems].map(([rowId, problems]) => ({ rowId, problems }));
  }

  destroy(): void {
    this.#store.delListener(this.#listener);
  }
}
