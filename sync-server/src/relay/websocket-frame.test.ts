import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { binaryFrame } from './websocket-frame.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A server that writes `frames` straight to the upgraded socket, and a ws client reading them. */
async function receive(frames: Buffer[], count: number): Promise<Buffer[]> {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer();
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      for (const frame of frames) socket.write(frame);
      // ws's own sends interleave with prebuilt frames at frame boundaries.
      ws.send(Buffer.from('via ws'));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    wss.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: 1 << 20 });
  closers.push(async () => client.terminate());
  const received: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    client.on('message', (data: RawData, isBinary) => {
      expect(isBinary).toBe(true);
      received.push(data as Buffer);
      if (received.length === count) resolve();
    });
    // A malformed frame makes the client close with a protocol error instead.
    client.on('close', (code) => reject(new Error(`closed with ${code}`)));
    client.on('error', reject);
  });
  return received;
}

describe('a prebuilt frame', () => {
  it('reaches a ws client intact at every length form: 7-bit, 16-bit and 64-bit', async () => {
    const sizes = [0, 1, 125, 126, 65_535, 65_536, 300_000];
    const payloads = sizes.map((size, i) => {
      const payload = new Uint8Array(size);
      for (let j = 0; j < size; j++) payload[j] = (j * 31 + i) & 0xff;
      return payload;
    });
    const received = await receive(
      payloads.map((payload) => binaryFrame(payload)),
      payloads.length + 1,
    );
    expect(received.slice(0, -1).map((data) => data.byteLength)).toEqual(sizes);
    expect(received.slice(0, -1).map((data, i) => Buffer.compare(data, payloads[i]!))).toEqual(
      sizes.map(() => 0),
    );
    expect(received.at(-1)!.toString()).toBe('via ws');
  });

  it('uses the shortest length form, as RFC 6455 requires of a server', () => {
    expect([...binaryFrame(new Uint8Array(125)).subarray(0, 2)]).toEqual([0x82, 125]);
    expect([...binaryFrame(new Uint8Array(126)).subarray(0, 4)]).toEqual([0x82, 126, 0, 126]);
    expect([...binaryFrame(new Uint8Array(65_535)).subarray(0, 4)]).toEqual([0x82, 126, 0xff, 0xff]);
    expect([...binaryFrame(new Uint8Array(65_536)).subarray(0, 10)]).toEqual([
      0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0,
    ]);
  });
});
