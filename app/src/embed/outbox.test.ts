import { describe, expect, it } from 'vitest';
import { EmbedOutbox, type KeyValueStorage } from './outbox.ts';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const body = (key: string) => ({
  kind: 'change' as const,
  rowId: 'r1',
  base: { nom: 'A' },
  proposed: { nom: 'B' },
  idempotencyKey: key,
});

describe('embed outbox', () => {
  it('keeps a proposal the network lost and sends it once the server answers', async () => {
    const storage = memoryStorage();
    let up = false;
    const sent: string[] = [];
    const outbox = new EmbedOutbox(storage, async (_url, init) => {
      if (!up) throw new TypeError('Failed to fetch');
      sent.push(String(init?.body));
      return new Response(JSON.stringify({ proposalId: 'p1', receipt: 'r-secret' }), { status: 202 });
    });
    const first = await outbox.add('https://hub.example', 'lieux', body('k1'));
    expect(first.status).toBe('unsent');
    // A new page load reads the same storage.
    const again = new EmbedOutbox(storage, async () => {
      throw new TypeError('x');
    });
    expect(again.entries().map((e) => e.key)).toEqual(['k1']);
    up = true;
    const [retried] = await outbox.retry();
    expect(retried).toMatchObject({ status: 'sent', proposalId: 'p1', receipt: 'r-secret' });
    expect(JSON.parse(sent[0] ?? '{}')).toMatchObject({ idempotencyKey: 'k1', website: '' });
    expect(await outbox.retry()).toEqual([]);
  });

  it('stops retrying what the server refused, keeping the reason', async () => {
    const outbox = new EmbedOutbox(memoryStorage(), async () =>
      Response.json({ error: { code: 'proposal_field_closed', message: 'x' } }, { status: 422 }),
    );
    const entry = await outbox.add('https://hub.example', 'lieux', body('k2'));
    expect(entry).toMatchObject({ status: 'refused', error: 'proposal_field_closed' });
    expect(await outbox.retry()).toEqual([]);
  });

  it('retries after a server error or a rate limit', async () => {
    let status = 503;
    const outbox = new EmbedOutbox(memoryStorage(), async () =>
      status === 202
        ? Response.json({ proposalId: 'p', receipt: 'r' }, { status })
        : new Response('busy', { status }),
    );
    expect((await outbox.add('https://hub.example', 'lieux', body('k3'))).status).toBe('unsent');
    status = 429;
    expect((await outbox.retry())[0]?.status).toBe('unsent');
    status = 202;
    expect((await outbox.retry())[0]?.status).toBe('sent');
  });

  it('works in memory when the page blocks storage', async () => {
    const outbox = new EmbedOutbox(null, async () =>
      Response.json({ proposalId: 'p', receipt: 'r' }, { status: 202 }),
    );
    await outbox.add('https://hub.example', 'lieux', body('k4'));
    expect(outbox.entries()).toHaveLength(1);
  });
});
