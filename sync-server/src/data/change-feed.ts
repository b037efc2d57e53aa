/**
 * The change feed read from a validated document's changelog — the one durable record of what
 * was accepted, so the feed has no second source of truth. Invariants: the changelog is append-
 * only and compaction keeps its entries, so a cursor (an entry's position and id) names one
 * change for good; a cursor whose entry is not at its position is looked up by id; changes come
 * in changelog order.
 */
import { type CellValue, type ChangelogEntry, changelogArray, getProposal } from '@datapatch/core';
import type { FeedChange, FeedRole } from '@datapatch/protocol';
import type * as Y from 'yjs';
import { OFFICIAL_SOURCE } from '../upstream/take-release.ts';

export const DEFAULT_CHANGES_LIMIT = 100;
export const MAX_CHANGES_LIMIT = 1000;

export function encodeCursor(index: number, entryId: string): string {
  return Buffer.from(`${index}:${entryId}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { index: number; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,9}):(.+)$/.exec(text);
  return match ? { index: Number(match[1]), id: match[2]! } : null;
}

/** Entries after `since` (null: from the first), at most `limit`; null when `since` is unknown here. */
export type EntriesAfter = {
  entries: { index: number; entry: ChangelogEntry; undone?: ChangelogEntry }[];
  more: boolean;
};

export function entriesAfter(doc: Y.Doc, since: string | null, limit: number): EntriesAfter | null {
  const log = changelogArray(doc);
  let start = 0;
  if (since !== null) {
    const cursor = decodeCursor(since);
    if (cursor === null) return null;
    let at = cursor.index < log.length && log.get(cursor.index)?.id === cursor.id ? cursor.index : -1;
    if (at < 0) at = log.toArray().findIndex((entry) => entry.id === cursor.id);
    if (at < 0) return null;
    start = at + 1;
  }
  const end = Math.min(log.length, start + limit);
  const slice = start < end ? log.slice(start, end) : [];
  // An undo of a whole record says what it did only through the entry it undid.
  const needed = new Set(
    slice.filter((e) => e.kind === 'undo' && e.field === undefined).map((e) => e.undoes),
  );
  const byId = new Map<string, ChangelogEntry>();
  if (needed.size > 0) {
    // Undoes of undoes: follow the chain until every entry is known.
    const all = log.toArray();
    for (const entry of all) byId.set(entry.id, entry);
  }
  return {
    entries: slice.map((entry, i) => {
      const undone = entry.undoes !== undefined ? byId.get(entry.undoes) : undefined;
      return { index: start + i, entry, ...(undone ? { undone: rowEffectEntry(undone, byId) } : {}) };
    }),
    more: end < log.length,
  };
}

/** For an undo of a record: the create/delete/restore entry whose effect it reverses. */
function rowEffectEntry(undone: ChangelogEntry, byId: Map<string, ChangelogEntry>): ChangelogEntry {
  let target = undone;
  let flips = 0;
  for (let hops = 0; target.kind === 'undo' && target.undoes !== undefined && hops < 1000; hops++) {
    const next = byId.get(target.undoes);
    if (!next) break;
    target = next;
    flips++;
  }
  // An even number of undos between: the undo reverses the original effect; odd: repeats it.
  return flips % 2 === 0 ? target : { ...target, kind: target.kind === 'delete' ? 'create' : 'delete' };
}

/**
 * Who made an entry when the entry says it (`official`: the ids of proposals the official
 * source made); otherwise the actor's role must be asked.
 */
export function roleFromEntry(entry: ChangelogEntry, official: ReadonlySet<string>): FeedRole | undefined {
  if (entry.batch?.origin === 'upstream') return 'source officielle';
  if (entry.proposalId !== undefined)
    return official.has(entry.proposalId) ? 'source officielle' : 'proposition anonyme';
  return undefined;
}

/** Proposals a new release of the official source made: their comment starts with its name. */
export function officialProposals(pending: Y.Doc, ids: Iterable<string>): Set<string> {
  const official = new Set<string>();
  for (const id of ids) {
    if (getProposal(pending, id)?.comment?.startsWith(OFFICIAL_SOURCE)) official.add(id);
  }
  return official;
}

function cell(value: unknown): CellValue {
  return value === undefined || (typeof value === 'object' && value !== null) ? null : (value as CellValue);
}

/** One changelog entry as the feed tells it. */
export function feedChange(item: EntriesAfter['entries'][number], role: FeedRole): FeedChange {
  const { entry, index } = item;
  const base = {
    cursor: encodeCursor(index, entry.id),
    recordId: entry.rowId,
    at: entry.at,
    role,
    ...(entry.proposalId !== undefined ? { proposalId: entry.proposalId } : {}),
    ...(entry.batch ? { batchId: entry.batch.id } : {}),
  };
  const fieldChange = (field: string) => ({
    ...base,
    action: 'changed' as const,
    field,
    old: cell(entry.old),
    new: cell(entry.new),
  });
  switch (entry.kind) {
    case 'set':
      return fieldChange(entry.field ?? '');
    case 'create':
      if (entry.count !== undefined) return { ...base, action: 'imported', count: entry.count };
      return {
        ...base,
        action: 'created',
        values: typeof entry.new === 'object' && entry.new !== null ? entry.new : {},
      };
    case 'delete':
      return { ...base, action: 'deleted' };
    case 'restore':
      return { ...base, action: 'restored' };
    case 'undo': {
      if (entry.field !== undefined) return fieldChange(entry.field);
      // Undoing a creation deletes the record; undoing a deletion restores it.
      const reversed = item.undone?.kind;
      return { ...base, action: reversed === 'delete' ? 'restored' : 'deleted' };
    }
  }
}

/** When the validated data last changed (its last changelog entry), or undefined before any. */
export function lastChangeAt(doc: Y.Doc): string | undefined {
  const log = changelogArray(doc);
  return log.length > 0 ? log.get(log.length - 1)?.at : undefined;
}

/** An ISO date as an HTTP date (`Last-Modified`), or undefined when it is not a date. */
export function httpDate(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time).toUTCString();
}

/** The cursor of the dataset's last change (null when its changelog is empty). */
export function lastCursor(doc: Y.Doc): string | null {
  const log = changelogArray(doc);
  const last = log.length > 0 ? log.get(log.length - 1) : undefined;
  return last ? encodeCursor(log.length - 1, last.id) : null;
}
