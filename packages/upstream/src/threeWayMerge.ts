/**
 * Taking in a new upstream release: a three-way merge of the last release taken (base), the new
 * release (upstream) and the hubs' data (ours), records matched by their key. Pure: plain data in,
 * a plan out; nothing is written here.
 * Invariants: a value the hubs changed since the base is never replaced — it is kept, already
 * equal to upstream's, or reported as a conflict with the three values; a field upstream did not
 * touch never changes; a record whose key is missing or ambiguous on any side is left alone and
 * listed as an issue.
 */
import type { Cell, Table } from '@datapatch/io';
import { recordKey } from './recordKey.ts';

/** A record of the hubs' validated data. `deleted`: removed by the hubs (a tombstone). */
export type HubRecord = { id: string; values: Record<string, Cell>; deleted?: boolean };

export type MergeInput = {
  /** The last upstream release taken; null when none was taken yet (every difference is new). */
  base: Table | null;
  /** The new upstream release. */
  upstream: Table;
  ours: readonly HubRecord[];
  /** The fields whose values, normalised, match records (the schema's primary key, or chosen). */
  key: readonly string[];
  /** The fields the merge may change (default: the upstream release's); others are never read. */
  fields?: readonly string[];
};

/** The value of one field in the base release, the new release and the hubs' data. */
export type ThreeValues = { base: Cell; upstream: Cell; ours: Cell };

/** One field upstream changed where the hubs did not: the new value is applied. */
export type FieldUpdate = { rowId: string; key: string; field: string } & ThreeValues;

/** A record new in the release, absent from the hubs' data: added. */
export type RecordToAdd = { key: string; values: Record<string, Cell> };

/** One field the hubs corrected that upstream did not touch: kept. */
export type HubCorrection = { rowId: string; key: string; field: string } & ThreeValues;

export type UpstreamConflict =
  /** Upstream and the hubs changed the same fields to different values. */
  | { kind: 'both-changed'; rowId: string; key: string; fields: Record<string, ThreeValues> }
  /** Upstream removed a record the hubs edited: `fields` are the hubs' edits (upstream null). */
  | { kind: 'deleted-upstream'; rowId: string; key: string; fields: Record<string, ThreeValues> };

/** A record upstream removed that the hubs never edited: proposed for deletion, not deleted. */
export type ProposedDeletion = { rowId: string; key: string; values: Record<string, Cell> };

/** A record the hubs removed that upstream still has (changed or not): the removal is kept. */
export type RemovedHere = { rowId: string | null; key: string; upstreamChanged: string[] };

export type KeyIssue = {
  kind: 'missing-key' | 'duplicate-key';
  side: 'base' | 'upstream' | 'ours';
  /** base / upstream: the 1-based data row in the release; ours: the record's id. */
  at: number | string;
  key: string | null;
};

export type UpstreamPlan = {
  key: string[];
  fields: string[];
  hadBase: boolean;
  updates: FieldUpdate[];
  additions: RecordToAdd[];
  kept: HubCorrection[];
  conflicts: UpstreamConflict[];
  deletions: ProposedDeletion[];
  removedHere: RemovedHere[];
  /** Records present on every side with no field to apply, keep or question. */
  unchanged: number;
  issues: KeyIssue[];
};

/** Empty text and no value are the same cell; otherwise values compare as written. */
export function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  return cellText(a) === cellText(b);
}

function cellText(value: Cell | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : String(value);
}

function cell(values: Record<string, Cell> | undefined, field: string): Cell {
  return values?.[field] ?? null;
}

type Indexed<T> = Map<string, T>;

export function mergeUpstream(input: MergeInput): UpstreamPlan {
  const key = [...input.key];
  const fields = [...(input.fields ?? input.upstream.fields)];
  const issues: KeyIssue[] = [];
  const ambiguous = new Set<string>();
  const index = <T>(
    items: readonly T[],
    side: KeyIssue['side'],
    values: (t: T) => Record<string, Cell>,
    at: (t: T, i: number) => number | string,
    skip?: (t: T) => boolean,
  ): Indexed<T> => {
    const found: Indexed<T> = new Map();
    items.forEach((item, i) => {
      if (skip?.(item)) return;
      const k = recordKey(values(item), key);
      if (k === null) {
        // A hub's own record without a key is simply not from upstream.
        if (side !== 'ours') issues.push({ kind: 'missing-key', side, at: at(item, i), key: null });
        return;
      }
      if (found.has(k)) {
        ambiguous.add(k);
        issues.push({ kind: 'duplicate-key', side, at: at(item, i), key: k });
      } else found.set(k, item);
    });
    return found;
  };
  const byRow = (row: Record<string, Cell>) => row;
  const rowNumber = (_: unknown, i: number) => i + 1;
  const base = index(input.base?.rows ?? [], 'base', byRow, rowNumber);
  const upstream = index(input.upstream.rows, 'upstream', byRow, rowNumber);
  const ours = index(
    input.ours,
    'ours',
    (r) => r.values,
    (r) => r.id,
  );

  const plan: UpstreamPlan = {
    key,
    fields,
    hadBase: input.base !== null,
    updates: [],
    additions: [],
    kept: [],
    conflicts: [],
    deletions: [],
    removedHere: [],
    unchanged: 0,
    issues,
  };
  const label = (values: Record<string, Cell>) => key.map((f) => String(values[f] ?? '').trim()).join(' · ');

  for (const [k, theirs] of upstream) {
    if (ambiguous.has(k)) continue;
    const was = base.get(k);
    const mine = ours.get(k);
    if (!mine) {
      if (was)
        plan.removedHere.push({
          rowId: null,
          key: label(theirs),
          upstreamChanged: changedFields(fields, was, theirs),
        });
      else plan.additions.push({ key: label(theirs), values: pick(theirs, fields) });
      continue;
    }
    if (mine.deleted) {
      plan.removedHere.push({
        rowId: mine.id,
        key: label(theirs),
        upstreamChanged: changedFields(fields, was, theirs),
      });
      continue;
    }
    const conflicting: Record<string, ThreeValues> = {};
    let touched = false;
    for (const field of fields) {
      const before = cell(was, field);
      const upstreamValue = cell(theirs, field);
      const oursValue = cell(mine.values, field);
      // Most fields are the same text on all three sides: skip them before any conversion.
      if (before === upstreamValue && before === oursValue) continue;
      const upstreamChanged = !sameCell(upstreamValue, before);
      const hubsChanged = !sameCell(oursValue, before);
      if (!upstreamChanged && !hubsChanged) continue;
      if (sameCell(oursValue, upstreamValue)) continue; // both made the same change
      touched = true;
      const three = { base: before, upstream: upstreamValue, ours: oursValue };
      const at = { rowId: mine.id, key: label(mine.values), field };
      if (!hubsChanged) plan.updates.push({ ...at, ...three });
      else if (!upstreamChanged) plan.kept.push({ ...at, ...three });
      else conflicting[field] = three;
    }
    if (Object.keys(conflicting).length > 0) {
      plan.conflicts.push({
        kind: 'both-changed',
        rowId: mine.id,
        key: label(mine.values),
        fields: conflicting,
      });
    }
    if (!touched) plan.unchanged++;
  }

  for (const [k, was] of base) {
    if (ambiguous.has(k) || upstream.has(k)) continue;
    const mine = ours.get(k);
    if (!mine || mine.deleted) continue; // removed on both sides
    const edits: Record<string, ThreeValues> = {};
    for (const field of fields) {
      const three = { base: cell(was, field), upstream: null, ours: cell(mine.values, field) };
      if (!sameCell(three.ours, three.base)) edits[field] = three;
    }
    if (Object.keys(edits).length > 0) {
      plan.conflicts.push({
        kind: 'deleted-upstream',
        rowId: mine.id,
        key: label(mine.values),
        fields: edits,
      });
    } else
      plan.deletions.push({ rowId: mine.id, key: label(mine.values), values: pick(mine.values, fields) });
  }
  return plan;
}

function changedFields(
  fields: readonly string[],
  was: Record<string, Cell> | undefined,
  now: Record<string, Cell>,
): string[] {
  if (!was) return [...fields].filter((f) => cellText(now[f]) !== null);
  return fields.filter((f) => !sameCell(was[f], now[f]));
}

function pick(values: Record<string, Cell>, fields: readonly string[]): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const field of fields) out[field] = values[field] ?? null;
  return out;
}
