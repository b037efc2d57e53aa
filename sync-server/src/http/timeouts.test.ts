import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server/server.ts';
import { startTestServer, temporaryDataDir } from '../testing/clients.ts';
import { defaultHttpTimeouts, HTTP_TIMEOUT_VARIABLES, positiveNumbersFromEnvironment } from './timeouts.ts';

const running: { server: RunningServer; remove(): void }[] = [];
afterEach(async () => {
  for (const { server, remove } of running.splice(0)) {
    await server.close();
    remove();
  }
});

/** Resolves with what the server wrote before it closed a connection that never finished its headers. */
function slowHeaders(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (data) => {
      received += data.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    // A slowloris client: the request line and one header, then nothing more.
    socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  });
}

describe('slow clients', () => {
  it('closes a connection whose headers do not arrive within the headers timeout (408)', async () => {
    const data = temporaryDataDir();
    const server = await startTestServer({
      dataDir: data.dir,
      httpTimeouts: { headersTimeoutMs: 300, checkIntervalMs: 100 },
    });
    running.push({ server, remove: data.remove });
    const before = await fetch(`${server.url}/api/health`);
    expect(before.status).toBe(200);
    const written = await slowHeaders(server.port);
    expect(written).toMatch(/^HTTP\/1\.1 408/);
    // And the server still answers everyone else.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('reads its timeouts from the environment and refuses a bad value by name', () => {
    const read = positiveNumbersFromEnvironment(
      { DATAPATCH_HEADERS_TIMEOUT_MS: '5000' },
      defaultHttpTimeouts,
      HTTP_TIMEOUT_VARIABLES,
    );
    expect(read.ok && read.values.headersTimeoutMs).toBe(5000);
    expect(read.ok && read.values.requestTimeoutMs).toBe(defaultHttpTimeouts.requestTimeoutMs);
    const bad = positiveNumbersFromEnvironment(
      { DATAPATCH_REQUEST_TIMEOUT_MS: '0' },
      defaultHttpTimeouts,
      HTTP_TIMEOUT_VARIABLES,
    );
    expect(!bad.ok && bad.message).toContain('DATAPATCH_REQUEST_TIMEOUT_MS');
  });
});
