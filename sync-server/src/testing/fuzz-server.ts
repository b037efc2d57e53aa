/**
 * Child process for the relay fuzz test: a server with accounts and roles (`startAccessServer`),
 * driven over IPC. Run with `--expose-gc` so `heap` measures what survives a full collection. A
 * crash of the relay ends this process, which the parent sees. Not used in production.
 */
import { Buffer } from 'node:buffer';
import * as Y from 'yjs';
import { startAccessServer } from './http-server.ts';

export type FuzzServerRequest =
  | { id: number; kind: 'heap' }
  | { id: number; kind: 'document'; room: string }
  | { id: number; kind: 'stop' };

export type FuzzServerMessage =
  | { kind: 'ready'; url: string; tokens: { reader: string; editor: string } }
  | { id: number; heapUsed: number }
  | { id: number; state: string }
  | { id: number; stopped: true };

const send = (message: FuzzServerMessage) => process.send?.(message);
const t = await startAccessServer();
send({ kind: 'ready', url: t.server.url, tokens: { reader: t.tokens.reader, editor: t.tokens.editor } });

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with --expose-gc');

process.on('message', async (request: FuzzServerRequest) => {
  switch (request.kind) {
    case 'heap':
      // Twice, with a turn between: some memory is only released by finalizers after the first.
      collect();
      await new Promise((resolve) => setImmediate(resolve));
      collect();
      send({ id: request.id, heapUsed: process.memoryUsage().heapUsed });
      return;
    case 'document': {
      const update = await t.server.relay.readDocument(request.room, (doc) => Y.encodeStateAsUpdate(doc));
      send({ id: request.id, state: Buffer.from(update).toString('base64') });
      return;
    }
    case 'stop':
      await t.cleanup();
      send({ id: request.id, stopped: true });
      process.disconnect();
      return;
  }
});
