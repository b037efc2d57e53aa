import type { ChangesPage, FeedChange } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from '../testing/child-server.ts';
import { temporaryDataDir } from '../testing/clients.ts';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function serve(dataDir: string): Promise<ChildServer> {
  const server = await spawnServer(dataDir);
  cleanups.push(async () => {
    server.process.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

async function importRows(server: ChildServer, rows: object[], query = '') {
  const form = new FormData();
  form.set('file', new File([JSON.stringify(rows)], 'lieux.json'));
  const response = await fetch(`${server.url}/api/datasets/suivi/import${query}`, {
    method: 'POST',
    body: form,
  });
  expect(response.status).toBeLessThan(300);
}

async function changes(server: ChildServer, since: string | null): Promise<ChangesPage> {
  const response = await fetch(`${server.url}/api/datasets/suivi/changes${since ? `?since=${since}` : ''}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ChangesPage;
}

describe('the change feed across a restart', () => {
  it('after kill -9, the same cursor gives exactly the same changes, and the stream resumes from it', async () => {
    const data = temporaryDataDir();
    cleanups.push(data.remove);
    const first = await serve(data.dir);
    await importRows(first, [{ nom: 'Mairie' }, { nom: 'Gare' }], '?new=1');
    const before = await changes(first, null);
    const cursor = before.next!;
    await importRows(first, [{ nom: 'Piscine' }]);
    const after = await changes(first, cursor);
    expect(after.changes).toEqual([
      expect.objectContaining({ action: 'created', values: { nom: 'Piscine' } }),
    ]);
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await serve(data.dir);
    expect(await changes(second, cursor)).toEqual(after);
    expect((await changes(second, null)).changes).toEqual([...before.changes, ...after.changes]);
    const controller = new AbortController();
    const stream = await fetch(`${second.url}/api/datasets/suivi/changes/stream`, {
      headers: { 'last-event-id': cursor },
      signal: controller.signal,
    });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const block = () =>
      text
        .split('\n\n')
        .slice(0, -1)
        .find((b) => /^data: /m.test(b));
    while (block() === undefined) text += (await reader.read()).value ?? '';
    controller.abort();
    expect(/^id: (.*)$/m.exec(block()!)?.[1]).toBe(after.changes[0]!.cursor);
    expect(JSON.parse(/^data: (.*)$/m.exec(block()!)?.[1] ?? 'null') as FeedChange).toEqual(after.changes[0]);
  });
});
