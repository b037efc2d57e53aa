/**
 * The y-websocket wire format (y-protocols sync + awareness), read defensively and written
 * once per message. Invariant: `readClientMessage` never throws: anything it cannot read
 * completely and exactly (truncated, trailing bytes, unknown type, a presence over its limits)
 * is `null`.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import type { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodePresences, type PresenceEntry, readPresenceUpdate } from './presence.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  /** `entries`: the update read and checked (`readPresenceUpdate`). */
  | { kind: 'awareness'; update: Uint8Array; entries: PresenceEntry[] }
  | { kind: 'query-awareness' };

function readSync(decoder: decoding.Decoder): ClientMessage | null {
  const syncType = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1:
      // Throws on a truncated or garbage state vector, which the caller turns into null.
      Y.decodeStateVector(payload);
      return { kind: 'sync-step-1', stateVector: payload };
    case syncProtocol.messageYjsSyncStep2:
      return { kind: 'sync-step-2', update: payload };
    case syncProtocol.messageYjsUpdate:
      return { kind: 'update', update: payload };
    default:
      return null;
  }
}

function readAwareness(update: Uint8Array): ClientMessage | null {
  const entries = readPresenceUpdate(update);
  return entries === null ? null : { kind: 'awareness', update, entries };
}

export function readClientMessage(data: Uint8Array): ClientMessage | null {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage | null;
    if (type === MESSAGE_SYNC) message = readSync(decoder);
    else if (type === MESSAGE_AWARENESS) message = readAwareness(decoding.readVarUint8Array(decoder));
    else if (type === MESSAGE_QUERY_AWARENESS) message = { kind: 'query-awareness' };
    else message = null;
    // Trailing bytes mean the sender and this reader disagree on the format: refuse rather than guess.
    return message !== null && !decoding.hasContent(decoder) ? message : null;
  } catch {
    return null;
  }
}

/** True when Yjs can decode every struct and the delete set of `update`. */
export function isDecodableUpdate(update: Uint8Array): boolean {
  try {
    Y.decodeUpdate(update);
    return true;
  } catch {
    return false;
  }
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The presences of `clients`; never throws (see `encodePresences`). */
export function awarenessMessage(awareness: Awareness, clients: readonly number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encodePresences(awareness, clients));
  return encoding.toUint8Array(encoder);
}

/** y-websocket's "permission denied" message; providers log it and keep the connection. */
export function permissionDeniedMessage(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}
