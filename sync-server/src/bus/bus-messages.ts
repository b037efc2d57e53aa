/**
 * What processes tell each other on a room's Redis channel: committed updates with their seqs,
 * or only a seq range (large batches: read them from the store), or presence. Invariant: every
 * message names its sender, so a process ignores its own; decoding never throws (null instead).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type BusMessage =
  | { kind: 'updates'; sender: string; firstSeq: number; updates: Uint8Array[] }
  | { kind: 'range'; sender: string; firstSeq: number; lastSeq: number }
  | { kind: 'awareness'; sender: string; update: Uint8Array };

const KIND = { updates: 0, range: 1, awareness: 2 } as const;

export function encodeBusMessage(message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, KIND[message.kind]);
  encoding.writeVarString(encoder, message.sender);
  switch (message.kind) {
    case 'updates':
      encoding.writeVarUint(encoder, message.firstSeq);
      encoding.writeVarUint(encoder, message.updates.length);
      for (const update of message.updates) encoding.writeVarUint8Array(encoder, update);
      break;
    case 'range':
      encoding.writeVarUint(encoder, message.firstSeq);
      encoding.writeVarUint(encoder, message.lastSeq);
      break;
    case 'awareness':
      encoding.writeVarUint8Array(encoder, message.update);
      break;
  }
  return encoding.toUint8Array(encoder);
}

export function decodeBusMessage(bytes: Uint8Array): BusMessage | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const kind = decoding.readVarUint(decoder);
    const sender = decoding.readVarString(decoder);
    let message: BusMessage | null = null;
    if (kind === KIND.updates) {
      const firstSeq = decoding.readVarUint(decoder);
      const count = decoding.readVarUint(decoder);
      const updates: Uint8Array[] = [];
      for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder));
      message = { kind: 'updates', sender, firstSeq, updates };
    } else if (kind === KIND.range) {
      const firstSeq = decoding.readVarUint(decoder);
      message = { kind: 'range', sender, firstSeq, lastSeq: decoding.readVarUint(decoder) };
    } else if (kind === KIND.awareness) {
      message = { kind: 'awareness', sender, update: decoding.readVarUint8Array(decoder) };
    }
    return message !== null && !decoding.hasContent(decoder) ? message : null;
  } catch {
    return null;
  }
}
