/**
 * Issue 14: an import costs nothing before its caller is known, its body is capped as it
 * arrives, and imports are limited per account and per instance; every JSON body is capped
 * too. Raw sockets, so a test can keep sending while it waits for the answer.
 */
import { connect, type Socket } from 'node:net';
import { AccessErrorCode, ImportLimitErrorCode, RequestLimitErrorCode } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { lyingZipBomb } from '../testing/hostile-files.ts';
import { type AccessTestServer, startAccessServer, type Who } from '../testing/http-server.ts';

const MIB = 1024 * 1024;
const servers: AccessTestServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await server.cleanup();
});

async function start(importLimits: Parameters<typeof startAccessServer>[0] = {}) {
  const server = await startAccessServer(importLimits);
  servers.push(server);
  return server;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: { error?: { code: string } } & Record<string, unknown>;
  /** Body bytes the client had written when the whole answer arrived. */
  sentBeforeAnswer: number;
}

/**
 * Sends the request line and headers, then up to `sendBytes` of body (64 KiB chunks, raw or
 * chunked), and resolves with the answer as soon as it is complete — the body may still be
 * unfinished. Rejects when no answer came once everything was sent (`wait` ms later).
 */
function upload(
  server: AccessTestServer,
  path: string,
  headers: Record<string, string>,
  sendBytes: number,
  options: { chunked?: boolean; keepOpen?: boolean; wait?: number } = {},
): { answer: Promise<Answer>; socket: Socket } {
  const { port } = server.server;
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined); // the server may close while we still write
  const lines = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (options.chunked) lines.push('Transfer-Encoding: chunked');
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  let sent = 0;
  let answered = false;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = () => {
    while (!answered && !socket.destroyed && sent < sendBytes) {
      const piece = chunk.subarray(0, Math.min(chunk.length, sendBytes - sent));
      sent += piece.length;
      const framed = options.chunked
        ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
        : piece;
      if (!socket.write(framed)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  const answer = new Promise<Answer>((resolve, reject) => {
    let received = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const check = setInterval(() => {
      if (sent >= sendBytes && timer === undefined)
        timer = setTimeout(
          () => reject(new Error(`no answer after ${sent} body bytes were sent`)),
          options.wait ?? 10_000,
        );
    }, 50);
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...headerLines] = received.subarray(0, end).toString().split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(':');
        parsed[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      const length = Number(parsed['content-length'] ?? 0);
      if (received.length < end + 4 + length) return;
      answered = true;
      clearInterval(check);
      clearTimeout(timer);
      if (!options.keepOpen) socket.destroy();
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: parsed,
        body: JSON.parse(received.subarray(end + 4, end + 4 + length).toString() || '{}'),
        sentBeforeAnswer: sent,
      });
    });
  });
  pump();
  return { answer, socket };
}

function auth(server: AccessTestServer, who: Who, extra: Record<string, string> = {}) {
  return server.headers(who, extra);
}

describe('an import is refused before its body is read', () => {
  it('answers an anonymous 100 MB import 401 while the client is still sending', async () => {
    const server = await start();
    const { answer } = upload(
      server,
      '/api/datasets/nouveau/import?filename=x.csv',
      { 'Content-Length': String(100 * MIB), 'Content-Type': 'text/csv' },
      256 * 1024,
    );
    const got = await answer;
    expect(got.status).toBe(401);
    expect(got.body.error?.code).toBe(AccessErrorCode.unauthenticated);
    expect(got.sentBeforeAnswer).toBeLessThan(100 * MIB);
    // The rest of the body is not read either: the connection closes after the answer.
    expect(got.headers.connection).toBe('close');
  });

  it('answers a reader appending to a dataset 403 before the body is read', async () => {
    const server = await start();
    const { answer } = upload(
      server,
      '/api/datasets/lieux/import?filename=x.csv',
      { ...auth(server, 'reader'), 'Content-Length': String(50 * MIB) },
      128 * 1024,
    );
    const got = await answer;
    expect(got.status).toBe(403);
    expect(got.body.error?.code).toBe(AccessErrorCode.forbidden);
  });

  it('answers 413 at once to a declared length over the cap, without reading any of it', async () => {
    const server = await start({ importLimits: { maxBytes: 64 * 1024 } });
    const { answer } = upload(
      server,
      '/api/datasets/nouveau/import?filename=x.csv',
      { ...auth(server, 'stranger'), 'Content-Length': String(200 * MIB) },
      0,
    );
    const got = await answer;
    expect(got.status).toBe(413);
    expect(got.body.error?.code).toBe('file-too-large');
  });

  it('stops reading a chunked body at the cap and answers 413', async () => {
    const server = await start({ importLimits: { maxBytes: 64 * 1024 } });
    // The cap is the file's 64 KiB plus 1 MiB of multipart allowance; 8 MiB are on offer.
    const { answer } = upload(
      server,
      '/api/datasets/nouveau/import?filename=x.csv',
      auth(server, 'stranger'),
      8 * MIB,
      { chunked: true },
    );
    const got = await answer;
    expect(got.status).toBe(413);
    expect(got.body.error?.code).toBe('file-too-large');
    expect(got.sentBeforeAnswer).toBeLessThan(8 * MIB);
  });
});

describe('imports running at once', () => {
  it('limits them per account and per instance with 429 import_busy and Retry-After, and frees a slot when a client goes', async () => {
    const server = await start({ importLimits: { perAccount: 1, perInstance: 2 } });
    const slow = (who: Who, id: string) =>
      upload(
        server,
        `/api/datasets/${id}/import?filename=x.csv&dryRun=1`,
        { ...auth(server, who), 'Content-Length': String(MIB) },
        1024,
        { keepOpen: true, wait: 60_000 },
      );
    const quick = async (who: Who, id: string) => {
      const response = await fetch(`${server.server.url}/api/datasets/${id}/import?filename=x.csv&dryRun=1`, {
        method: 'POST',
        headers: auth(server, who),
        body: 'nom,places\nMairie,3\n',
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as { error: { code: string }; dryRun?: boolean },
      };
    };
    // The stranger's first import holds its one slot while its body trickles in.
    const first = slow('stranger', 'nouveau-a');
    let second = await quick('stranger', 'nouveau-b');
    for (let i = 0; i < 20 && second.status !== 429; i++) second = await quick('stranger', 'nouveau-b');
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe(ImportLimitErrorCode.busy);
    expect(Number(second.retryAfter)).toBeGreaterThan(0);
    // Another account still gets the instance's second slot...
    const other = slow('editor', 'nouveau-c');
    let third = await quick('moderator', 'nouveau-d');
    for (let i = 0; i < 20 && third.status !== 429; i++) third = await quick('moderator', 'nouveau-d');
    // ...and with both slots taken, a third account is told the instance is busy.
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe(ImportLimitErrorCode.busy);
    // A client that goes away gives its slot back.
    first.socket.destroy();
    other.socket.destroy();
    let again = await quick('stranger', 'nouveau-b');
    for (let i = 0; i < 50 && again.status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await quick('stranger', 'nouveau-b');
    }
    expect(again.status).toBe(200);
    expect(again.body.dryRun).toBe(true);
  });
});

describe('imports within their budgets', () => {
  it('refuses a file over the row budget with import_row_budget_exceeded and writes nothing', async () => {
    const server = await start({ importLimits: { rowBudget: 2 } });
    const response = await fetch(`${server.server.url}/api/datasets/lieux/import?filename=x.csv`, {
      method: 'POST',
      headers: auth(server, 'editor'),
      body: 'nom,horaires,places\nA,,1\nB,,2\nC,,3\n',
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      ImportLimitErrorCode.rowBudgetExceeded,
    );
    const rows = (await (await fetch(`${server.server.url}/api/datasets/lieux/rows`)).json()) as {
      total: number;
    };
    expect(rows.total).toBe(2);
  });

  it('refuses a zip whose directory lies about its sizes (xlsx-zip-bomb), read in the worker', async () => {
    const server = await start({ importLimits: { maxBytes: MIB } });
    // The cap of 1 MiB allows 10 MiB expanded: 12 MiB of blank space, declared as 1 KiB.
    const response = await fetch(
      `${server.server.url}/api/datasets/nouveau/import?filename=x.xlsx&dryRun=1`,
      {
        method: 'POST',
        headers: auth(server, 'stranger'),
        body: lyingZipBomb(12 * MIB),
      },
    );
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('xlsx-zip-bomb');
  });

  it('answers 400 malformed_body to a multipart body it cannot parse, never 500', async () => {
    const server = await start();
    for (const [type, body] of [
      ['multipart/form-data', '--x\r\n\r\nno boundary'],
      ['multipart/form-data; boundary=x', 'garbage'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="file"'],
    ] as const) {
      const response = await fetch(`${server.server.url}/api/datasets/nouveau/import?dryRun=1`, {
        method: 'POST',
        headers: auth(server, 'stranger', { 'content-type': type }),
        body,
      });
      expect(response.status, type).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        ImportLimitErrorCode.malformedBody,
      );
    }
  });
});

describe('JSON bodies', () => {
  it('answers an anonymous 50 MB sign-in 413 body_too_large while the client is still sending', async () => {
    const server = await start();
    const { answer } = upload(
      server,
      '/api/auth/login',
      { 'Content-Length': String(50 * MIB), 'Content-Type': 'application/json' },
      256 * 1024,
    );
    const got = await answer;
    expect(got.status).toBe(413);
    expect(got.body.error?.code).toBe(RequestLimitErrorCode.bodyTooLarge);
    expect(got.headers.connection).toBe('close');
  });

  it('stops reading a chunked JSON body past 1 MiB (413), and still reads one within it', async () => {
    const server = await start();
    const { answer } = upload(server, '/api/auth/login', { 'Content-Type': 'application/json' }, 8 * MIB, {
      chunked: true,
    });
    const got = await answer;
    expect(got.status).toBe(413);
    expect(got.body.error?.code).toBe(RequestLimitErrorCode.bodyTooLarge);
    expect(got.sentBeforeAnswer).toBeLessThan(8 * MIB);
    const fine = await fetch(`${server.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.org', password: 'wrong', padding: 'x'.repeat(500_000) }),
    });
    expect(fine.status).toBe(401);
  });
});
