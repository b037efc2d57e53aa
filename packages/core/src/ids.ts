/**
 * Ids for rows, changes, proposals. Invariant: row ids are a random 8-character base36
 * prefix (one per document session) followed by a base36 counter, so ids of one session are
 * short and unique and two sessions collide with odds of about 1 in 2.8e12 per pair.
 */
import type * as Y from 'yjs';

// One getRandomValues call per 64 values: a call per id was most of an edit's cost.
const pool = new Uint32Array(64);
let poolAt = pool.length;
function cryptoUint32(): number {
  if (poolAt === pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

let source: () => number = cryptoUint32;

/** Tests make ids replayable by giving a seeded source of uint32 values; `undefined` restores crypto. */
export function setIdSource(next: (() => number) | undefined): void {
  source = next ?? cryptoUint32;
}

function randomBase36(length: number): string {
  let out = '';
  while (out.length < length) out += (source() % 36 ** 5).toString(36).padStart(5, '0');
  return out.slice(0, length);
}

const sessions = new WeakMap<Y.Doc, { prefix: string; next: number }>();

/** Reserves `count` consecutive row ids for `doc`. */
export function newRowIds(doc: Y.Doc, count: number): string[] {
  let session = sessions.get(doc);
  if (!session) {
    session = { prefix: randomBase36(8), next: 0 };
    sessions.set(doc, session);
  }
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) ids[i] = session.prefix + (session.next++).toString(36);
  return ids;
}

/** A random id for changelog entries and proposals (12 base36 characters, ~62 bits). */
export function newId(): string {
  return randomBase36(12);
}
