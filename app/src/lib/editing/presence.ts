/**
 * Who else is on a dataset and on which cell, from Yjs awareness states.
 * Invariants: a person's colour depends only on their id (the same in every browser); our own
 * client is never listed; a state without a user (another kind of client) is ignored.
 */
export type PresenceUser = { id: string; name: string; hub?: string; color: string };
export type PresenceCursor = { rowId: string; field: string } | null;
export type Peer = PresenceUser & { clientId: number; cursor: PresenceCursor };

// Dark enough for white text and 3:1 against the page as a cell outline.
const COLORS = ['#b3261e', '#1d6b2f', '#0b57d0', '#8a4b00', '#7b1fa2', '#00696b', '#a0116e', '#4a5a00'];

export function colorFor(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return COLORS[hash % COLORS.length] ?? '#0b57d0';
}

function readUser(value: unknown): PresenceUser | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.name !== 'string') return null;
  return {
    id: v.id,
    name: v.name,
    ...(typeof v.hub === 'string' ? { hub: v.hub } : {}),
    color: typeof v.color === 'string' && /^#[0-9a-f]{6}$/i.test(v.color) ? v.color : colorFor(v.id),
  };
}

function readCursor(value: unknown): PresenceCursor {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return typeof v.rowId === 'string' && typeof v.field === 'string'
    ? { rowId: v.rowId, field: v.field }
    : null;
}

export function peersOf(states: ReadonlyMap<number, Record<string, unknown>>, ownClientId: number): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of states) {
    if (clientId === ownClientId) continue;
    const user = readUser(state.user);
    if (user === null) continue;
    peers.push({ ...user, clientId, cursor: readCursor(state.cursor) });
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

/** Peers by the cell they are on, keyed `rowId + U+001F + field`. */
export function peersByCell(peers: readonly Peer[]): Map<string, Peer[]> {
  const map = new Map<string, Peer[]>();
  for (const peer of peers) {
    if (peer.cursor === null) continue;
    const key = `${peer.cursor.rowId}\u001f${peer.cursor.field}`;
    const list = map.get(key);
    if (list === undefined) map.set(key, [peer]);
    else list.push(peer);
  }
  return map;
}
