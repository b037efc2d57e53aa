// Turns raw header cells into unique, non-empty, trimmed field names; every change is reported so
// the owner sees what the columns were called in the source file. Positions never move.

import type { RenamedHeader } from './table.ts';

/** `line`: the header's line in the file (1 unless blank lines come first), said with each rename. */
export function normaliseHeaders(
  raw: readonly string[],
  line?: number,
): { fields: string[]; renamed: RenamedHeader[] } {
  const fields: string[] = [];
  const renamed: RenamedHeader[] = [];
  const taken = new Set<string>();
  raw.forEach((original, column) => {
    let name = original.trim();
    let reason: RenamedHeader['reason'] | null = name !== original ? 'trimmed' : null;
    if (name === '') {
      name = `column_${column + 1}`;
      reason = 'empty';
    } else if (name === '__proto__') {
      // Assigning row.__proto__ would set the prototype and lose the cell.
      name = '_proto_';
      reason = 'reserved';
    }
    if (taken.has(name)) {
      let n = 2;
      while (taken.has(`${name}_${n}`)) n++;
      name = `${name}_${n}`;
      reason = 'duplicate';
    }
    taken.add(name);
    fields.push(name);
    if (reason) renamed.push({ column, from: original, to: name, reason, ...(line ? { line } : {}) });
  });
  return { fields, renamed };
}

/** A name for a column found only in rows longer than the header. */
export function extraFieldName(taken: readonly string[], column: number): string {
  let name = `column_${column + 1}`;
  let n = 2;
  while (taken.includes(name)) name = `column_${column + 1}_${n++}`;
  return name;
}
