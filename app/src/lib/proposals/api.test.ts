import { describe, expect, it } from 'vitest';
import { ClientErrorCode, ProposalsApi, readState } from './api.ts';

function recording(answer: () => Response | Promise<Response>) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    return answer();
  }) as typeof fetch;
  return { api: new ProposalsApi({ fetch: fetchImpl }), calls };
}

const body = {
  kind: 'change' as const,
  rowId: 'r1',
  base: { a: '1' },
  proposed: { a: '2' },
  idempotencyKey: 'k'.repeat(32),
};

describe('ProposalsApi', () => {
  it('posts the proposal with an empty honeypot and reads the receipt', async () => {
    const { api, calls } = recording(() =>
      Response.json({ proposalId: 'p1', receipt: 'r1' }, { status: 202 }),
    );
    expect(await api.submit('demo set', body)).toEqual({ ok: true, proposalId: 'p1', receipt: 'r1' });
    expect(calls[0]).toMatchObject({
      url: '/api/datasets/demo%20set/proposals',
      method: 'POST',
      body: { ...body, website: '' },
    });
  });

  it('says to retry later on no network, 5xx, 429 and a server without the API; not on a refusal', async () => {
    const cases: [() => Response, boolean, string][] = [
      [
        () => Response.json({ error: { code: 'rate_limited', message: '' } }, { status: 429 }),
        true,
        'rate_limited',
      ],
      [() => new Response('oops', { status: 502 }), true, ClientErrorCode.unexpectedAnswer],
      [() => new Response('<html>', { status: 404 }), true, ClientErrorCode.unexpectedAnswer],
      [
        () =>
          Response.json({ error: { code: 'proposal_invalid', message: '', issues: [] } }, { status: 400 }),
        false,
        'proposal_invalid',
      ],
      [
        () => Response.json({ error: { code: 'proposals_closed', message: '' } }, { status: 403 }),
        false,
        'proposals_closed',
      ],
    ];
    for (const [answer, retry, code] of cases) {
      const { api } = recording(answer);
      expect(await api.submit('demo', body)).toMatchObject({ ok: false, retry, error: { code } });
    }
    const { api } = recording(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await api.submit('demo', body)).toMatchObject({
      ok: false,
      retry: true,
      status: 0,
      error: { code: ClientErrorCode.network },
    });
  });

  it('sends the receipt in the query to read, amend and withdraw', async () => {
    const { api, calls } = recording(() => Response.json({ ok: true, proposal: { status: 'pending' } }));
    await api.status('p1', 'r&1');
    await api.amend('p1', 'r&1', { kind: 'change', rowId: 'r1', base: {}, proposed: { a: '3' } });
    await api.withdraw('p1', 'r&1');
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['GET', '/api/proposals/p1?receipt=r%261'],
      ['PATCH', '/api/proposals/p1?receipt=r%261'],
      ['DELETE', '/api/proposals/p1?receipt=r%261'],
    ]);
    expect(calls[1]?.body).not.toHaveProperty('receipt');
  });
});

describe('readState', () => {
  it('reads a decision with its reason and accepted fields', () => {
    expect(
      readState({
        ok: true,
        proposal: {
          status: 'partially-accepted',
          decision: { status: 'partially-accepted', at: '2026-01-01', reason: 'une partie', fields: ['a'] },
        },
      }),
    ).toEqual({ status: 'partially-accepted', reason: 'une partie', fields: ['a'], decidedAt: '2026-01-01' });
    expect(readState({ status: 'bogus' }).status).toBe('pending');
  });

  it("reads the moderator's reason for each refused field, ignoring what is not text", () => {
    expect(
      readState({
        proposal: {
          status: 'partially-accepted',
          decision: {
            status: 'partially-accepted',
            fields: ['a'],
            refusedReasons: { b: 'pas vérifié', c: 3 },
          },
        },
      }).refusedReasons,
    ).toEqual({ b: 'pas vérifié' });
  });
});
