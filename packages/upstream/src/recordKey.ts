/**
 * The key that matches a record across upstream releases and the hubs' data.
 * Invariant: two keys that differ only by surrounding or doubled spaces, letter case, Unicode
 * form or leading zeros of a number are the same key; an empty key matches nothing.
 */
import type { Cell } from '@datapatch/io';

/** Joins the parts of a composite key; never occurs in normalised text. */
const PART_SEPARATOR = '\u001f';

/** One key part as matching sees it: NFKC, trimmed, inner spaces collapsed, lower case. */
/** Printable ASCII without spaces or capitals: already normal (most ids), so no Unicode work. */
const ALREADY_NORMAL = /^[!-@[-~]+$/;

export function normaliseKeyPart(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  const raw = String(value);
  if (ALREADY_NORMAL.test(raw)) return leadingZerosDropped(raw);
  const text = raw
    .normalize('NFKC')
    .replaceAll(PART_SEPARATOR, ' ')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  return leadingZerosDropped(text);
}

/** A spreadsheet turns "007" into 7: digits alone compare as the number they write. */
function leadingZerosDropped(text: string): string {
  return text.charCodeAt(0) === 48 && /^\d+$/.test(text) ? text.replace(/^0+(?=\d)/, '') : text;
}

/** The record's key over `keyFields`, or null when any part is empty (the record cannot match). */
export function recordKey(values: Record<string, Cell>, keyFields: readonly string[]): string | null {
  if (keyFields.length === 1) return normaliseKeyPart(values[keyFields[0]!]) || null;
  const parts: string[] = [];
  for (const field of keyFields) {
    const part = normaliseKeyPart(values[field]);
    if (part === '') return null;
    parts.push(part);
  }
  return parts.join(PART_SEPARATOR);
}
