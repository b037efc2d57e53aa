/**
 * Test helper: y-websocket messages built by hand, including ones no honest client sends (raw
 * JSON text for a presence, any client id and clock), for the relay's defensive tests and fuzzing.
 */
import * as encoding from 'lib0/encoding';

export interface RawPresence {
  clientId: number;
  clock: number;
  /** The state's JSON text as sent (not necessarily valid JSON); 'null' removes the presence. */
  json: string;
}

/** An awareness message (type 1) holding `entries`. */
export function awarenessMessageOf(entries: readonly RawPresence[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const { clientId, clock, json } of entries) {
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, json);
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return encoding.toUint8Array(encoder);
}

/** A query for every presence (message type 3). */
export const QUERY_AWARENESS = new Uint8Array([3]);

/** JSON text of arrays nested `depth` deep inside an object: `{"a":[[…]]}`. */
export function nestedJson(depth: number): string {
  return `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
}
