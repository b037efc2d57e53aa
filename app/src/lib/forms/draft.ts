/**
 * A proposal being written: the form holds text per field; cells are made from it only when
 * checked or sent. Invariant: a field the person did not change is never sent, and every sent
 * field carries the value the person saw (`base`), so moderators can spot conflicts.
 */
import type { CellValue } from '@datapatch/core';
import type { Message, SchemaValidator } from '@datapatch/schema';
import type { FieldInput } from './field-input.ts';

export type Cells = Record<string, CellValue>;

/** The text an input shows for a cell. */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return String(cell);
}

/**
 * The text a field shows for a cell: coordinates rounded to the input's decimals (in a geopoint,
 * every number), everything else as `cellText`.
 */
export function shownText(input: Pick<FieldInput, 'decimals'>, cell: unknown): string {
  const text = cellText(cell);
  const { decimals } = input;
  if (decimals === undefined) return text;
  if (typeof cell === 'number') return String(Number(cell.toFixed(decimals)));
  return text.replace(/-?\d+\.\d+/g, (n) => String(Number(Number(n).toFixed(decimals))));
}

/** The cell a form text stands for: empty is "no value"; numbers stay numbers when they read as one. */
export function textCell(input: Pick<FieldInput, 'kind'>, text: string): CellValue {
  const trimmed = input.kind === 'long-text' ? text : text.trim();
  if (trimmed.trim() === '') return null;
  if (input.kind === 'number' || input.kind === 'integer') {
    // French keyboards type a decimal comma.
    const number = Number(trimmed.replace(',', '.'));
    return Number.isFinite(number) ? number : trimmed;
  }
  if (input.kind === 'boolean') {
    if (trimmed === 'true') return true;
    if (trimmed === 'false') return false;
  }
  return trimmed;
}

function sameCell(a: unknown, b: CellValue): boolean {
  const left = a === undefined || a === '' ? null : a;
  const right = b === '' ? null : b;
  if (typeof left === 'number' && typeof right === 'string') return String(left) === right;
  return left === right;
}

/** Only the fields whose value changed, with what the person saw. */
export function changes(
  inputs: readonly FieldInput[],
  original: Readonly<Record<string, unknown>>,
  texts: Readonly<Record<string, string>>,
): { base: Cells; proposed: Cells } {
  const base: Cells = {};
  const proposed: Cells = {};
  for (const input of inputs) {
    const text = texts[input.name];
    if (text === undefined) continue;
    const seen = original[input.name];
    // Left as shown (a rounded coordinate included): not a change.
    if (text.trim() === shownText(input, seen).trim()) continue;
    const cell = textCell(input, text);
    if (sameCell(seen, cell)) continue;
    base[input.name] = seen === undefined ? null : (seen as CellValue);
    proposed[input.name] = cell;
  }
  return { base, proposed };
}

/** The row as it would be once the proposal is accepted (every field present, for the validator). */
export function resultingRow(
  inputs: readonly FieldInput[],
  original: Readonly<Record<string, unknown>>,
  texts: Readonly<Record<string, string>>,
): Cells {
  const row: Cells = {};
  for (const input of inputs) {
    const text = texts[input.name];
    const seen = original[input.name];
    const unchanged = text === undefined || text.trim() === shownText(input, seen).trim();
    row[input.name] = !unchanged ? textCell(input, text) : seen === undefined ? null : (seen as CellValue);
  }
  return row;
}

export type FieldProblems = Map<string, Message[]>;

/**
 * A validator message in the words of the form: the field's id (as the schema validator quotes
 * it, « id » or "id") replaced by its title.
 */
export function inFieldWords(message: Message, field: string, title: string): Message {
  return {
    fr: message.fr.split(`« ${field} »`).join(`« ${title} »`),
    en: message.en.split(`"${field}"`).join(`"${title}"`),
  };
}

/**
 * Schema errors by field, of the fields that count: for a correction, only the changed ones
 * (a record already wrong elsewhere must not stop a person fixing one thing); for a new
 * place, every field.
 */
export function problems(
  validator: SchemaValidator,
  row: Cells,
  fieldsThatCount: ReadonlySet<string> | 'all',
): FieldProblems {
  const found: FieldProblems = new Map();
  for (const error of validator.validateRow(row)) {
    if (error.field === null) continue;
    if (fieldsThatCount !== 'all' && !fieldsThatCount.has(error.field)) continue;
    const list = found.get(error.field) ?? [];
    list.push(error.message);
    found.set(error.field, list);
  }
  return found;
}

/** A message shown under its own field: without the « title » : it starts with, capitalised. */
export function underItsField(text: string, title: string): string {
  for (const prefix of [`« ${title} » : `, `"${title}": `]) {
    if (text.startsWith(prefix)) {
      const rest = text.slice(prefix.length);
      return rest.charAt(0).toLocaleUpperCase() + rest.slice(1);
    }
  }
  return text;
}
