import { getProposal, listProposals } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import { intakeSetup, proposalCount, proposalJson } from '../testing/proposal-setup.ts';
import { type CheckedProposal, localPending, prepareProposal } from './intake.ts';
import { IntakeBatches } from './intake-batches.ts';

const roomy = {
  perAddress: { points: 10_000, durationSeconds: 60 },
  perDataset: { points: 10_000, durationSeconds: 60 },
  maxPendingPerAddress: 10_000,
};

async function setupWithBatches(marksDelayMs = 1, limits = roomy) {
  const setup = await intakeSetup({ limits, marksDelayMs });
  const delivered: string[] = [];
  const local = localPending(setup.pendingDoc);
  setup.deps.pendingOf = (datasetId) => {
    expect(datasetId).toBe('toilets');
    return {
      read: local.read,
      change: (change) =>
        local.change((doc) => {
          const before = new Set(listProposals(doc).map((proposal) => proposal.id));
          const answer = change(doc);
          const added = listProposals(doc)
            .map((proposal) => proposal.id)
            .filter((id) => !before.has(id));
          // Each proposal is in the store (committed) before it reaches the document.
          for (const id of added) expect(storedIds(setup)).toContain(id);
          delivered.push(...added);
          return answer;
        }),
    };
  };
  const batches = new IntakeBatches(setup.deps);
  return { ...setup, batches, delivered };
}

function storedIds(setup: Awaited<ReturnType<typeof intakeSetup>>): string[] {
  return (setup.deps.db.prepare('SELECT id FROM proposals').all() as { id: string }[]).map((row) => row.id);
}

async function checked(
  setup: Awaited<ReturnType<typeof intakeSetup>>,
  body = proposalJson(),
  ip = '192.0.2.1',
): Promise<CheckedProposal> {
  const prepared = await prepareProposal(setup.deps, 'toilets', body, { addressHash: setup.address(ip) });
  if (!('store' in prepared)) throw new Error(`not ready to store: ${JSON.stringify(prepared.answer)}`);
  return prepared.store;
}

describe('proposals arriving together share one commit', () => {
  it('twenty proposals sent at once are stored in one transaction, each answered once stored and delivered', async () => {
    const setup = await setupWithBatches();
    const items = await Promise.all(Array.from({ length: 20 }, () => checked(setup)));
    const answers = await Promise.all(items.map((item) => setup.batches.store(item)));
    expect(setup.batches.stats).toMatchObject({ commits: 1, proposals: 20, largest: 20 });
    expect(proposalCount(setup.deps)).toBe(20);
    for (const answer of answers) {
      expect(answer.ok).toBe(true);
      if (answer.ok) expect(getProposal(setup.pendingDoc, answer.proposalId)?.status).toBe('pending');
    }
    expect(new Set(setup.delivered).size).toBe(20);
  });

  it('proposals that arrive while a commit is written go into the next one', async () => {
    const setup = await setupWithBatches();
    const first = setup.batches.store(await checked(setup));
    const second = setup.batches.store(await checked(setup));
    await Promise.all([first, second]);
    const third = await setup.batches.store(await checked(setup));
    expect(third.ok).toBe(true);
    expect(setup.batches.stats.proposals).toBe(3);
    expect(setup.batches.stats.largest).toBeGreaterThanOrEqual(2);
  });

  it('the same idempotency key twice in one batch gives one proposal and the same answer', async () => {
    const setup = await setupWithBatches();
    const body = proposalJson();
    const [a, b] = await Promise.all([checked(setup, body), checked(setup, body)]);
    const answers = await Promise.all([setup.batches.store(a!), setup.batches.store(b!)]);
    expect(setup.batches.stats.commits).toBe(1);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]?.ok).toBe(true);
    expect(proposalCount(setup.deps)).toBe(1);
    expect(setup.delivered).toHaveLength(1);
  });

  it('the same key with another body in one batch is refused as a reused key, the first is kept', async () => {
    const setup = await setupWithBatches();
    const key = 'batch-twin-000000001';
    const a = await checked(setup, proposalJson({ idempotencyKey: key }));
    const b = await checked(
      setup,
      proposalJson({ idempotencyKey: key, proposed: { opening_hours: '24/7' } }),
    );
    const [first, second] = await Promise.all([setup.batches.store(a), setup.batches.store(b)]);
    expect(first?.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } });
    expect(proposalCount(setup.deps)).toBe(1);
  });

  it('a proposal that fails inside a batch fails alone: the others of its batch are stored and answered', async () => {
    const setup = await setupWithBatches();
    const [good1, broken, good2] = await Promise.all([checked(setup), checked(setup), checked(setup)]);
    // A row the table refuses (a NOT NULL column), as a disk-level surprise would be.
    const bad = { ...broken!, row: { ...broken!.row, body: null as unknown as string } };
    const outcomes = await Promise.allSettled([
      setup.batches.store(good1!),
      setup.batches.store(bad),
      setup.batches.store(good2!),
    ]);
    expect(setup.batches.stats.commits).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { ok: true } });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_CONSTRAINT_NOTNULL' } });
    expect(outcomes[2]).toMatchObject({ status: 'fulfilled', value: { ok: true } });
    expect(storedIds(setup).sort()).toEqual([good1!.row.id, good2!.row.id].sort());
  });

  it('the pending cap is exact inside a batch: a burst from one address stops at the cap', async () => {
    const setup = await setupWithBatches(1, { ...roomy, maxPendingPerAddress: 3 });
    const items = await Promise.all(Array.from({ length: 5 }, () => checked(setup)));
    const answers = await Promise.all(items.map((item) => setup.batches.store(item)));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(3);
    expect(answers.filter((answer) => !answer.ok)).toEqual(
      Array.from({ length: 2 }, () =>
        expect.objectContaining({ error: expect.objectContaining({ code: 'too_many_pending' }) }),
      ),
    );
    expect(proposalCount(setup.deps)).toBe(3);
  });

  it('delivery is recorded in SQLite afterwards, without a commit of its own while proposals keep coming', async () => {
    const setup = await setupWithBatches(60_000);
    const answer = await setup.batches.store(await checked(setup));
    if (!answer.ok) throw new Error('refused');
    const delivered = () =>
      (
        setup.deps.db
          .prepare('SELECT delivered_revision AS d FROM proposals WHERE id = ?')
          .get(answer.proposalId) as {
          d: number;
        }
      ).d;
    // The mark rides with the next proposal's commit.
    await setup.batches.store(await checked(setup));
    expect(delivered()).toBe(1);
    expect(setup.batches.stats.commits).toBe(2);
  });

  it('with nothing else coming, delivery marks are written on their own shortly after', async () => {
    const setup = await setupWithBatches(1);
    const answer = await setup.batches.store(await checked(setup));
    if (!answer.ok) throw new Error('refused');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const row = setup.deps.db
      .prepare('SELECT delivered_revision AS d FROM proposals WHERE id = ?')
      .get(answer.proposalId) as { d: number };
    expect(row.d).toBe(1);
  });
});
