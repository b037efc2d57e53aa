import { describe, expect, it } from 'vitest';
import { ProposalsApi } from '../proposals/api.ts';
import { backoff, memoryStore, Outbox, type OutboxEntry, type Receipt } from './outbox.ts';

type Handler = (request: { method: string; url: string; body: unknown }) => Response | 'network-down';

/** A server that remembers proposals by idempotency key, as the real one does. */
function fakeServer() {
  const byKey = new Map<string, { proposalId: string; receipt: string; body: Record<string, unknown> }>();
  let down = false;
  let calls = 0;
  const statuses = new Map<string, unknown>();
  const handler: Handler = ({ method, url, body }) => {
    if (down) return 'network-down';
    if (method === 'POST') {
      const proposal = body as Record<string, unknown>;
      const key = String(proposal.idempotencyKey);
      let stored = byKey.get(key);
      if (stored === undefined) {
        stored = { proposalId: `p${byKey.size + 1}`, receipt: `r${byKey.size + 1}`, body: proposal };
        byKey.set(key, stored);
      }
      return Response.json({ proposalId: stored.proposalId, receipt: stored.receipt }, { status: 202 });
    }
    if (method === 'GET') {
      const id = /\/api\/proposals\/(\w+)/.exec(url)?.[1] ?? '';
      return Response.json(statuses.get(id) ?? { status: 'pending' });
    }
    if (method === 'DELETE') return Response.json({ status: 'withdrawn' });
    return new Response('', { status: 404 });
  };
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    calls++;
    const answer = handler({
      method: init?.method ?? 'GET',
      url: String(input),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    return answer;
  }) as typeof fetch;
  return {
    fetch: fetchImpl,
    byKey,
    statuses,
    get calls() {
      return calls;
    },
    setDown(value: boolean) {
      down = value;
    },
  };
}

function setup(fetchImpl: typeof fetch) {
  let now = 1_000_000;
  const entries = memoryStore<OutboxEntry>();
  const receipts = memoryStore<Receipt>();
  const outbox = new Outbox({
    api: new ProposalsApi({ fetch: fetchImpl }),
    entries,
    receipts,
    now: () => now,
    random: () => 0.5,
  });
  return { outbox, entries, receipts, advance: (ms: number) => (now += ms) };
}

const label = { datasetTitle: 'Sanisettes', recordName: '4 rue Salomon de Caus' };
const change = {
  kind: 'change' as const,
  rowId: 'r1',
  base: { horaire: '6 h - 22 h' },
  proposed: { horaire: '24/7' },
};

describe('Outbox', () => {
  it('keeps a proposal made offline and sends it once the network is back, exactly once', async () => {
    const server = fakeServer();
    const { outbox, advance } = setup(server.fetch);
    server.setDown(true);
    await outbox.add('demo', change, label);
    expect(await outbox.flush()).toEqual({ sent: 0, waiting: 1, refused: 0 });
    expect((await outbox.pending())[0]?.attempts).toBe(1);

    server.setDown(false);
    // Backoff: not due yet unless forced (the "online" event forces).
    expect(await outbox.flush()).toEqual({ sent: 0, waiting: 1, refused: 0 });
    advance(backoff(1, () => 0.5));
    expect(await outbox.flush()).toEqual({ sent: 1, waiting: 0, refused: 0 });
    expect(await outbox.pending()).toEqual([]);
    expect(server.byKey.size).toBe(1);
    const [receipt] = await outbox.receipts();
    expect(receipt).toMatchObject({
      proposalId: 'p1',
      receipt: 'r1',
      status: 'pending',
      proposed: { horaire: '24/7' },
    });
  });

  it('sends the same idempotency key again when an answer was lost, so the server keeps one proposal', async () => {
    const server = fakeServer();
    let loseAnswer = true;
    const lossy = (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await server.fetch(input, init);
      if (loseAnswer) {
        loseAnswer = false;
        throw new TypeError('connection reset');
      }
      return response;
    }) as typeof fetch;
    const { outbox } = setup(lossy);
    await outbox.add('demo', change, label);
    await outbox.flush();
    expect(server.byKey.size).toBe(1);
    expect(await outbox.pending()).toHaveLength(1);
    await outbox.flush({ force: true });
    expect(server.byKey.size).toBe(1);
    expect(await outbox.pending()).toHaveLength(0);
    expect(await outbox.receipts()).toHaveLength(1);
  });

  it('two flushes at once (online event and timer) send each proposal once', async () => {
    const server = fakeServer();
    const { outbox } = setup(server.fetch);
    await outbox.add('demo', change, label);
    await outbox.add('demo', { kind: 'delete', rowId: 'r2', base: {}, proposed: {} }, label);
    await Promise.all([outbox.flush(), outbox.flush({ force: true })]);
    expect(server.calls).toBe(2);
    expect(await outbox.receipts()).toHaveLength(2);
  });

  it('keeps a proposal the server refused for good, with the reason, and stops sending it', async () => {
    const refusing = (async () =>
      Response.json(
        {
          error: {
            code: 'proposal_invalid',
            message: 'bad',
            issues: [{ path: 'proposed.x', code: 'unknown-key' }],
          },
        },
        { status: 400 },
      )) as typeof fetch;
    const { outbox } = setup(refusing);
    await outbox.add('demo', change, label);
    expect(await outbox.flush({ force: true })).toEqual({ sent: 0, waiting: 0, refused: 1 });
    const [entry] = await outbox.pending();
    expect(entry).toMatchObject({ refused: true, lastError: { code: 'proposal_invalid' } });
    expect(await outbox.nextDueIn()).toBeNull();
    // Corrected by the person, it gets another chance under the same key.
    expect(
      await outbox.edit(entry!.idempotencyKey, { ...change, proposed: { horaire: 'Mo-Su 06:00-22:00' } }),
    ).toBe(true);
    expect((await outbox.pending())[0]).toMatchObject({
      refused: false,
      body: { proposed: { horaire: 'Mo-Su 06:00-22:00' } },
    });
  });

  it('retries later when the server is busy or rate-limits', async () => {
    const busy = (async () =>
      Response.json({ error: { code: 'rate_limited', message: '' } }, { status: 429 })) as typeof fetch;
    const { outbox } = setup(busy);
    await outbox.add('demo', change, label);
    expect(await outbox.flush()).toEqual({ sent: 0, waiting: 1, refused: 0 });
    expect(await outbox.nextDueIn()).toBe(backoff(1, () => 0.5));
  });

  it('follows a proposal to its decision and keeps the reason of a refusal', async () => {
    const server = fakeServer();
    const { outbox } = setup(server.fetch);
    await outbox.add('demo', change, label);
    await outbox.flush();
    expect(await outbox.refresh()).toEqual([]);
    server.statuses.set('p1', {
      status: 'rejected',
      decision: { status: 'rejected', at: 'x', reason: 'Doublon' },
    });
    const [changed] = await outbox.refresh();
    expect(changed).toMatchObject({ status: 'rejected', reason: 'Doublon' });
    // Decided proposals are not asked about again.
    const calls = server.calls;
    await outbox.refresh();
    expect(server.calls).toBe(calls);
  });

  it('withdraws a sent proposal through the server, and an unsent one by forgetting it', async () => {
    const server = fakeServer();
    const { outbox } = setup(server.fetch);
    const sent = await outbox.add('demo', change, label);
    await outbox.flush();
    expect(await outbox.withdraw(sent.idempotencyKey)).toEqual({ ok: true });
    expect((await outbox.receipts())[0]?.status).toBe('withdrawn');

    server.setDown(true);
    const unsent = await outbox.add('demo', change, label);
    expect(await outbox.withdraw(unsent.idempotencyKey)).toEqual({ ok: true });
    expect(await outbox.pending()).toEqual([]);
  });

  it('amends a sent proposal through the server and keeps the new values on the device', async () => {
    const server = fakeServer();
    const patched: unknown[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        patched.push(JSON.parse(String(init.body)));
        return Response.json({ ok: true, proposal: { status: 'pending' } });
      }
      return server.fetch(input, init);
    }) as typeof fetch;
    const { outbox } = setup(fetchImpl);
    const entry = await outbox.add('demo', change, label);
    await outbox.flush();
    const amended = { ...change, proposed: { horaire: 'Mo-Sa 08:00-20:00' } };
    expect(await outbox.amend(entry.idempotencyKey, amended)).toEqual({ ok: true });
    expect(patched).toEqual([{ ...amended, website: '' }]);
    expect((await outbox.receipts())[0]?.proposed).toEqual({ horaire: 'Mo-Sa 08:00-20:00' });
  });

  it('does not change an unsent proposal that may have reached the server unanswered', async () => {
    const server = fakeServer();
    server.setDown(true);
    const { outbox } = setup(server.fetch);
    const entry = await outbox.add('demo', change, label);
    await outbox.flush();
    expect(await outbox.edit(entry.idempotencyKey, { ...change, proposed: { horaire: 'x' } })).toBe(false);
    expect((await outbox.pending())[0]?.body.proposed).toEqual({ horaire: '24/7' });
  });

  it('backs off exponentially up to five minutes', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 10, 20].map((n) => backoff(n, mid))).toEqual([2000, 4000, 8000, 300_000, 300_000]);
  });
});
