/**
 * A binary WebSocket message as one unmasked server frame (RFC 6455, section 5.2), built once
 * and written as is to every member of a room. `ws` frames each `send` anew, per member: a
 * header allocated, then the header and the payload corked and written as two buffers. One
 * prebuilt frame per broadcast is one plain write per member (bench/README, "relay").
 * Invariant: the frame is FIN, opcode binary, no mask, no extension bit, and its length field
 * uses the shortest form, as a server must send it.
 */

const FIN_BINARY = 0x82;
const LENGTH_16 = 126;
const LENGTH_64 = 127;

export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerLength = length < LENGTH_16 ? 2 : length <= 0xffff ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN_BINARY;
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = LENGTH_16;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = LENGTH_64;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerLength);
  return frame;
}
