/**
 * Presence (y-protocols awareness) sent by clients, checked before it touches a room, and who owns
 * which awareness client id. Invariants: a state `readPresenceUpdate` accepts is a plain object
 * (or null) that JSON.stringify encodes again within `stateChars`, so encoding presences for a
 * joiner never throws; an awareness client id belongs to the one connection that introduced it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';

export interface PresenceLimits {
  /** Largest awareness update (the payload of one awareness message), in bytes. */
  updateBytes: number;
  /** Longest state, as sent and as encoded again, in JSON characters. */
  stateChars: number;
  /** Deepest nesting of arrays and objects in a state (`{}` is 1). */
  depth: number;
  /** Most awareness client ids one connection may hold at once (a y-websocket provider uses one). */
  idsPerConnection: number;
}

/** The app's presence is `{user: {id, name, color}, cursor: {row, field}}`: well under these. */
export const PRESENCE_LIMITS: PresenceLimits = {
  updateBytes: 32 * 1024,
  stateChars: 8 * 1024,
  depth: 16,
  idsPerConnection: 4,
};

export interface PresenceEntry {
  clientId: number;
  clock: number;
  /** null: the client removes this presence. */
  state: Record<string, unknown> | null;
}

/** True when arrays and objects in the JSON text `json` nest at most `max` deep (no parse, no recursion). */
function jsonDepthWithin(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return false;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return true;
}

function readState(json: string, limits: PresenceLimits): PresenceEntry['state'] | undefined {
  if (json.length > limits.stateChars || !jsonDepthWithin(json, limits.depth)) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(json);
    // What every joiner and every query will need: encoding it again, within the cap.
    const again = JSON.stringify(state);
    if (again === undefined || again.length > limits.stateChars) return undefined;
  } catch {
    return undefined;
  }
  if (state === null) return null;
  if (typeof state !== 'object' || Array.isArray(state)) return undefined;
  return state as Record<string, unknown>;
}

/**
 * The entries of an awareness update, or null when any of it is malformed or over a limit (then
 * none of it may be applied). Never throws.
 */
export function readPresenceUpdate(
  update: Uint8Array,
  limits: PresenceLimits = PRESENCE_LIMITS,
): PresenceEntry[] | null {
  if (update.byteLength > limits.updateBytes) return null;
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: PresenceEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = readState(decoding.readVarString(decoder), limits);
      if (state === undefined) return null;
      entries.push({ clientId, clock, state });
    }
    return decoding.hasContent(decoder) ? null : entries;
  } catch {
    return null;
  }
}

/** The awareness update for `entries`, as y-protocols writes it. */
export function encodePresenceEntries(entries: readonly PresenceEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

/**
 * y-protocols' `encodeAwarenessUpdate` for the ids `clientIds`, except that it never throws: a
 * state that cannot be encoded (which `readPresenceUpdate` keeps out) is left out rather than
 * failing the message for everyone.
 */
export function encodePresences(awareness: Awareness, clientIds: readonly number[]): Uint8Array {
  const entries: PresenceEntry[] = [];
  for (const clientId of clientIds) {
    const state = awareness.states.get(clientId) ?? null;
    try {
      JSON.stringify(state);
    } catch {
      continue;
    }
    entries.push({ clientId, clock: awareness.meta.get(clientId)?.clock ?? 0, state });
  }
  return encodePresenceEntries(entries);
}

export type PresenceAdmission = { ok: true; entries: PresenceEntry[] } | { ok: false };

/**
 * Which connection introduced which awareness client id, for one room. A connection may set or
 * remove only its own ids; entries about an id another connection holds are dropped (not an
 * error: a provider that reconnects may briefly overlap its old, not yet closed, connection).
 */
export class PresenceOwners<Member> {
  readonly #ownerOf = new Map<number, Member>();
  readonly #idsOf = new Map<Member, Set<number>>();

  /**
   * The entries `member` may apply: those about ids it holds, and new presences for ids nobody
   * holds. Removing an id one does not hold changes nothing and is dropped too. Refused (`ok:
   * false`) when it would make `member` hold more than `limits.idsPerConnection` ids.
   */
  admit(member: Member, entries: readonly PresenceEntry[], limits: PresenceLimits = PRESENCE_LIMITS) {
    const held = this.#idsOf.get(member);
    const claimed = new Set<number>();
    const admitted: PresenceEntry[] = [];
    for (const entry of entries) {
      const owner = this.#ownerOf.get(entry.clientId);
      if (owner === member) admitted.push(entry);
      else if (owner === undefined && entry.state !== null) {
        claimed.add(entry.clientId);
        admitted.push(entry);
      }
    }
    if ((held?.size ?? 0) + claimed.size > limits.idsPerConnection) return { ok: false } as const;
    return { ok: true, entries: admitted } as const;
  }

  claim(member: Member, clientId: number): void {
    if (this.#ownerOf.has(clientId)) return;
    this.#ownerOf.set(clientId, member);
    const ids = this.#idsOf.get(member);
    if (ids) ids.add(clientId);
    else this.#idsOf.set(member, new Set([clientId]));
  }

  release(clientId: number): void {
    const owner = this.#ownerOf.get(clientId);
    if (owner === undefined) return;
    this.#ownerOf.delete(clientId);
    const ids = this.#idsOf.get(owner);
    ids?.delete(clientId);
    if (ids?.size === 0) this.#idsOf.delete(owner);
  }

  /** The ids `member` holds (it is leaving: the caller removes their states). */
  idsOf(member: Member): number[] {
    return [...(this.#idsOf.get(member) ?? [])];
  }

  /** How many ids are held in this room (for tests and leak checks). */
  get size(): number {
    return this.#ownerOf.size;
  }
}
