import {
  acceptProposal,
  addRow,
  createDataset,
  getProposal,
  listProposals,
  rejectProposal,
} from '@datapatch/core';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateDatasetSettings } from '../access/datasets.ts';
import { seededRandom } from '../testing/access-dependencies.ts';
import {
  type IntakeBackend,
  intakeBackends,
  intakeSetup,
  proposalCount,
  proposalJson,
} from '../testing/proposal-setup.ts';
import {
  amendProposalByReceipt,
  deliverStoredProposals,
  proposalStatus,
  submitProposal,
  withdrawProposalByReceipt,
} from './intake.ts';

// Storing, idempotency and receipts run on every proposal store; limits, durability and
// privacy (which read the SQLite file) on SQLite.
const backends = await intakeBackends('the proposal intake');
let disposals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposals) await dispose();
  disposals = [];
});

/** A fresh setup on `backend`, disposed after the test. */
async function freshOn(backend: IntakeBackend, options?: Parameters<IntakeBackend['setup']>[0]) {
  const setup = await backend.setup(options);
  disposals.push(setup.dispose);
  return setup;
}

async function submitted(
  setup: Awaited<ReturnType<typeof intakeSetup>>,
  body = proposalJson(),
  ip = '192.0.2.1',
) {
  const answer = await submitProposal(setup.deps, 'toilets', body, {
    addressHash: setup.address(ip),
    pendingDoc: setup.pendingDoc,
  });
  if (!answer.ok) throw new Error(`${answer.error.code} ${JSON.stringify(answer.error.issues)}`);
  return answer;
}

for (const backend of backends) {
  // PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
  describe.skipIf(!backend.available)(`submitting a proposal on ${backend.name}`, () => {
    it('a valid proposal is stored, written into the pending document, and answered with an id and a receipt only', async () => {
      const setup = await freshOn(backend);
      const answer = await submitted(setup);
      expect(Object.keys(answer).sort()).toEqual(['ok', 'proposalId', 'receipt']);
      expect(await setup.count()).toBe(1);
      const inDoc = getProposal(setup.pendingDoc, answer.proposalId);
      expect(inDoc).toMatchObject({
        datasetId: 'toilets',
        kind: 'change',
        rowId: 'row-12',
        proposed: { opening_hours: 'Mo-Su 07:00-22:00' },
        contact: 'claire@example.net',
        status: 'pending',
      });
    });

    it('the same idempotency key twice gives one proposal and the same receipt', async () => {
      const setup = await freshOn(backend);
      const body = proposalJson();
      const first = await submitted(setup, body);
      const again = await submitted(setup, body);
      expect(again).toEqual(first);
      expect(await setup.count()).toBe(1);
      expect(listProposals(setup.pendingDoc)).toHaveLength(1);
    });

    it('the same idempotency key with another proposal is refused', async () => {
      const setup = await freshOn(backend);
      await submitted(setup, proposalJson({ idempotencyKey: 'device-key-0000000001' }));
      const other = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ idempotencyKey: 'device-key-0000000001', proposed: { opening_hours: '24/7' } }),
        { addressHash: setup.address('192.0.2.1') },
      );
      expect(other).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } });
      expect(await setup.count()).toBe(1);
    });

    it('the same key sent at the same moment from a flaky connection still makes one proposal', async () => {
      const seed = Number(process.env.DATAPATCH_SEED ?? 7);
      const rounds = process.env.DATAPATCH_EXTENSIVE === '1' ? 200 : 20;
      console.log(`idempotency race: seed ${seed}, ${rounds} rounds (replay with DATAPATCH_SEED=${seed})`);
      const setup = await freshOn(backend, {
        seed,
        limits: {
          perAddress: { points: 10_000, durationSeconds: 60 },
          perDataset: { points: 10_000, durationSeconds: 60 },
          maxPendingPerAddress: 10_000,
        },
      });
      const random = seededRandom(seed);
      const keys = new Set<string>();
      for (let round = 0; round < rounds; round++) {
        const key = `race-${random(8).toString('hex')}`;
        keys.add(key);
        const copies = 2 + (random(1)[0]! % 4);
        const body = proposalJson({ idempotencyKey: key });
        const answers = await Promise.all(
          Array.from({ length: copies }, (_, i) =>
            submitProposal(setup.deps, 'toilets', body, {
              addressHash: setup.address(`192.0.2.${i}`),
              pendingDoc: setup.pendingDoc,
            }),
          ),
        );
        expect(
          answers.every((answer) => answer.ok),
          `seed ${seed} round ${round}`,
        ).toBe(true);
        const ids = new Set(answers.map((answer) => (answer.ok ? answer.proposalId : answer.error.code)));
        expect(ids.size, `seed ${seed} round ${round}`).toBe(1);
      }
      expect(await setup.count()).toBe(keys.size);
      expect(listProposals(setup.pendingDoc)).toHaveLength(keys.size);
    });

    it('a proposal to a closed field is refused with its code and stores nothing', async () => {
      const setup = await freshOn(backend);
      const answer = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ proposed: { manager: 'Someone else' } }),
        {
          addressHash: setup.address('192.0.2.1'),
          pendingDoc: setup.pendingDoc,
        },
      );
      expect(answer).toMatchObject({
        ok: false,
        error: {
          code: 'proposal_field_closed',
          issues: [{ path: 'proposed.manager', code: 'field-closed' }],
        },
      });
      expect(await setup.count()).toBe(0);
      expect(listProposals(setup.pendingDoc)).toHaveLength(0);
    });

    it('a proposal with an invalid value is refused with its code, says which field, and stores nothing', async () => {
      const setup = await freshOn(backend);
      const answer = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ proposed: { capacity: -3, accessible: 'maybe', name: '' } }),
        { addressHash: setup.address('192.0.2.1'), pendingDoc: setup.pendingDoc },
      );
      expect(answer.ok).toBe(false);
      if (answer.ok) return;
      expect(answer.error.code).toBe('proposal_invalid');
      expect(answer.error.issues?.map((issue) => `${issue.path}:${issue.code}`).sort()).toEqual([
        'proposed.accessible:type-error',
        'proposed.capacity:minimum',
        'proposed.name:required',
      ]);
      expect(answer.error.issues?.[0]?.message.fr).toBeTruthy();
      expect(await setup.count()).toBe(0);
      expect(listProposals(setup.pendingDoc)).toHaveLength(0);
    });

    it('a field the dataset does not have is refused', async () => {
      const setup = await freshOn(backend);
      const answer = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ proposed: { colour: 'blue' } }),
        {
          addressHash: setup.address('192.0.2.1'),
        },
      );
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'proposal_invalid', issues: [{ code: 'unknown-field' }] },
      });
    });

    it('a new record with valid values is taken; an empty one is not', async () => {
      const setup = await freshOn(backend);
      const created = await submitted(
        setup,
        proposalJson({
          kind: 'create',
          rowId: undefined,
          base: {},
          proposed: { name: 'Place Bellecour', capacity: 2 },
        }),
      );
      expect(getProposal(setup.pendingDoc, created.proposalId)?.kind).toBe('create');
      const empty = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ kind: 'create', rowId: undefined, base: {}, proposed: { opening_hours: '' } }),
        { addressHash: setup.address('192.0.2.1') },
      );
      expect(empty).toMatchObject({ ok: false, error: { code: 'proposal_invalid' } });
    });

    it('a filled honeypot is treated as a robot and stores nothing', async () => {
      const setup = await freshOn(backend);
      const answer = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ website: 'http://spam.example' }),
        {
          addressHash: setup.address('192.0.2.1'),
        },
      );
      expect(answer).toMatchObject({ ok: false, error: { code: 'proposal_spam' } });
      expect(await setup.count()).toBe(0);
    });

    it('a body over the size cap is refused before it is read', async () => {
      const setup = await freshOn(backend);
      const answer = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ comment: 'x'.repeat(40_000) }),
        {
          addressHash: setup.address('192.0.2.1'),
        },
      );
      expect(answer).toMatchObject({ ok: false, error: { code: 'proposal_too_large' } });
    });

    it('a dataset with proposals closed refuses; a private one answers as if it did not exist', async () => {
      const setup = await freshOn(backend);
      const change = (changes: Parameters<typeof updateDatasetSettings>[1]['changes']) =>
        updateDatasetSettings(setup.deps, { datasetId: 'toilets', by: setup.owner, changes });
      const send = () =>
        submitProposal(setup.deps, 'toilets', proposalJson(), { addressHash: setup.address('192.0.2.1') });
      await change({ proposals: 'closed' });
      expect(await send()).toMatchObject({ ok: false, error: { code: 'proposals_closed' } });
      await change({ proposals: 'open', visibility: 'private' });
      expect(await send()).toMatchObject({ ok: false, error: { code: 'dataset_not_found' } });
      expect(
        await submitProposal(setup.deps, 'nowhere', proposalJson(), {
          addressHash: setup.address('192.0.2.1'),
        }),
      ).toMatchObject({ ok: false, error: { code: 'dataset_not_found' } });
      expect(await setup.count()).toBe(0);
    });
  });
}

describe('limits on anonymous proposals', () => {
  it('one address sending too fast is slowed down, others are not', async () => {
    const setup = await intakeSetup({ limits: { perAddress: { points: 2, durationSeconds: 600 } } });
    await submitted(setup, proposalJson(), '198.51.100.1');
    await submitted(setup, proposalJson(), '198.51.100.1');
    const third = await submitProposal(setup.deps, 'toilets', proposalJson(), {
      addressHash: setup.address('198.51.100.1'),
    });
    expect(third).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!third.ok) expect(third.error.retryAfterMs).toBeGreaterThan(0);
    await submitted(setup, proposalJson(), '198.51.100.2');
  });

  it('a retry of an accepted submission is answered even when the address is over its limit', async () => {
    const setup = await intakeSetup({ limits: { perAddress: { points: 1, durationSeconds: 600 } } });
    const body = proposalJson();
    const first = await submitted(setup, body, '198.51.100.1');
    expect(await submitted(setup, body, '198.51.100.1')).toEqual(first);
  });

  it('a dataset flooded from many addresses is slowed down', async () => {
    const setup = await intakeSetup({ limits: { perDataset: { points: 3, durationSeconds: 3600 } } });
    for (let i = 1; i <= 3; i++) await submitted(setup, proposalJson(), `198.51.100.${i}`);
    const next = await submitProposal(setup.deps, 'toilets', proposalJson(), {
      addressHash: setup.address('198.51.100.9'),
    });
    expect(next).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('refused proposals never spend the dataset budget: a flood of junk leaves room for real contributors', async () => {
    const setup = await intakeSetup({
      limits: {
        perDataset: { points: 3, durationSeconds: 3600 },
        invalidPerAddress: { points: 1000, durationSeconds: 600 },
      },
    });
    const junk = [
      'not json',
      proposalJson({ proposed: { capacity: -4 } }),
      proposalJson({ proposed: { colour: 'blue' } }),
      proposalJson({ proposed: { manager: 'closed field' } }),
      proposalJson({ website: 'robot' }),
    ];
    for (let i = 0; i < 40; i++) {
      const answer = await submitProposal(setup.deps, 'toilets', junk[i % junk.length]!, {
        addressHash: setup.address(`203.0.113.${i}`),
      });
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.code).not.toBe('rate_limited');
    }
    for (let i = 1; i <= 3; i++) await submitted(setup, proposalJson(), `198.51.100.${i}`);
    expect(proposalCount(setup.deps)).toBe(3);
  });

  it('an address sending too many refused proposals is slowed down on its own, even for a valid one', async () => {
    const setup = await intakeSetup({ limits: { invalidPerAddress: { points: 3, durationSeconds: 600 } } });
    const spammer = setup.address('203.0.113.7');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await submitProposal(
        setup.deps,
        'toilets',
        proposalJson({ proposed: { capacity: 'x' } }),
        {
          addressHash: spammer,
        },
      );
      if (!answer.ok) codes.push(answer.error.code);
    }
    expect(codes).toEqual([
      'proposal_invalid',
      'proposal_invalid',
      'proposal_invalid',
      'rate_limited',
      'rate_limited',
    ]);
    const valid = await submitProposal(setup.deps, 'toilets', proposalJson(), { addressHash: spammer });
    expect(valid).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!valid.ok) expect(valid.error.retryAfterMs).toBeGreaterThan(0);
    await submitted(setup, proposalJson(), '198.51.100.1');
  });

  it('an address with too many proposals waiting is refused until one is handled', async () => {
    const setup = await intakeSetup({ limits: { maxPendingPerAddress: 2 } });
    const first = await submitted(setup, proposalJson(), '198.51.100.1');
    await submitted(setup, proposalJson(), '198.51.100.1');
    const third = await submitProposal(setup.deps, 'toilets', proposalJson(), {
      addressHash: setup.address('198.51.100.1'),
    });
    expect(third).toMatchObject({ ok: false, error: { code: 'too_many_pending' } });
    await withdrawProposalByReceipt(setup.deps, first.proposalId, first.receipt, setup.pendingDoc);
    await submitted(setup, proposalJson(), '198.51.100.1');
  });
});

for (const backend of backends) {
  // PostgreSQL is skipped only when it does not answer: requireServices printed why (CI fails instead).
  describe.skipIf(!backend.available)(`following a proposal with its receipt on ${backend.name}`, () => {
    it('the receipt gives the status; a wrong receipt or id gives nothing', async () => {
      const setup = await freshOn(backend);
      const { proposalId, receipt } = await submitted(setup);
      expect(await proposalStatus(setup.deps, proposalId, receipt, setup.pendingDoc)).toMatchObject({
        ok: true,
        proposal: { proposalId, status: 'pending', proposed: { opening_hours: 'Mo-Su 07:00-22:00' } },
      });
      const wrong = await proposalStatus(setup.deps, proposalId, `dpr_${'A'.repeat(43)}`, setup.pendingDoc);
      const unknown = await proposalStatus(setup.deps, 'no-such-id', receipt, setup.pendingDoc);
      expect(wrong).toEqual(unknown);
      expect(wrong).toMatchObject({ ok: false, error: { code: 'proposal_not_found' } });
      expect(JSON.stringify(wrong)).not.toContain('opening_hours');
    });

    it('contact details never appear in what the contributor is answered', async () => {
      const setup = await freshOn(backend);
      const answer = await submitted(setup);
      const status = await proposalStatus(setup.deps, answer.proposalId, answer.receipt, setup.pendingDoc);
      expect(JSON.stringify([answer, status])).not.toContain('claire@example.net');
    });

    it("a moderator's decision and reason reach the contributor", async () => {
      const setup = await freshOn(backend);
      const { proposalId, receipt } = await submitted(setup);
      rejectProposal(setup.pendingDoc, proposalId, {
        moderator: { id: 'mod-1' },
        reason: 'Horaires non confirmés',
      });
      const status = await proposalStatus(setup.deps, proposalId, receipt, setup.pendingDoc);
      expect(status).toMatchObject({
        ok: true,
        proposal: { status: 'rejected', decision: { status: 'rejected', reason: 'Horaires non confirmés' } },
      });
      expect(JSON.stringify(status)).not.toContain('mod-1');
    });

    it('a partial decision tells the contributor which fields were kept, and why the others were not', async () => {
      const setup = await freshOn(backend);
      const { proposalId, receipt } = await submitted(
        setup,
        proposalJson({
          base: { name: 'Sanisette', opening_hours: 'Mo-Fr 08:00-18:00' },
          proposed: { name: 'Sanisette Rivoli', opening_hours: 'Mo-Su 07:00-22:00' },
        }),
      );
      const validated = new Y.Doc();
      createDataset(
        validated,
        {
          meta: { datasetId: 'toilets', title: 'Toilettes' },
          schema: { fields: [{ name: 'name' }, { name: 'opening_hours' }] },
        },
        { id: 'owner' },
      );
      addRow(
        validated,
        { name: 'Sanisette', opening_hours: 'Mo-Fr 08:00-18:00' },
        { id: 'owner' },
        { rowId: 'row-12' },
      );
      const accepted = acceptProposal(validated, setup.pendingDoc, proposalId, {
        moderator: { id: 'mod-1' },
        fields: ['opening_hours'],
        refusedReasons: { name: 'Le nom officiel reste « Sanisette ».' },
      });
      expect(accepted).toMatchObject({ ok: true, status: 'partially-accepted' });
      expect(await proposalStatus(setup.deps, proposalId, receipt, setup.pendingDoc)).toMatchObject({
        ok: true,
        proposal: {
          status: 'partially-accepted',
          decision: {
            status: 'partially-accepted',
            fields: ['opening_hours'],
            refusedReasons: { name: 'Le nom officiel reste « Sanisette ».' },
          },
        },
      });
    });

    it('a pending proposal can be amended and withdrawn with its receipt, not after a decision', async () => {
      const setup = await freshOn(backend);
      const { proposalId, receipt } = await submitted(setup);
      const amended = await amendProposalByReceipt(
        setup.deps,
        proposalId,
        receipt,
        JSON.stringify({ kind: 'change', rowId: 'row-12', proposed: { opening_hours: 'Mo-Sa 07:00-22:00' } }),
        { addressHash: setup.address('192.0.2.1'), pendingDoc: setup.pendingDoc },
      );
      expect(amended).toMatchObject({
        ok: true,
        proposal: { revision: 2, proposed: { opening_hours: 'Mo-Sa 07:00-22:00' } },
      });
      expect(getProposal(setup.pendingDoc, proposalId)?.proposed).toEqual({
        opening_hours: 'Mo-Sa 07:00-22:00',
      });

      const closedField = await amendProposalByReceipt(
        setup.deps,
        proposalId,
        receipt,
        JSON.stringify({ kind: 'change', rowId: 'row-12', proposed: { manager: 'x' } }),
        { addressHash: setup.address('192.0.2.1'), pendingDoc: setup.pendingDoc },
      );
      expect(closedField).toMatchObject({ ok: false, error: { code: 'proposal_field_closed' } });

      expect(
        await withdrawProposalByReceipt(setup.deps, proposalId, receipt, setup.pendingDoc),
      ).toMatchObject({
        ok: true,
        proposal: { status: 'withdrawn' },
      });
      expect(getProposal(setup.pendingDoc, proposalId)?.status).toBe('withdrawn');
      expect(
        await withdrawProposalByReceipt(setup.deps, proposalId, receipt, setup.pendingDoc),
      ).toMatchObject({
        ok: false,
        error: { code: 'proposal_not_pending' },
      });
    });

    it('amending after a moderator decided is refused', async () => {
      const setup = await freshOn(backend);
      const { proposalId, receipt } = await submitted(setup);
      rejectProposal(setup.pendingDoc, proposalId, { moderator: { id: 'mod-1' } });
      const late = await amendProposalByReceipt(setup.deps, proposalId, receipt, proposalJson(), {
        addressHash: setup.address('192.0.2.1'),
        pendingDoc: setup.pendingDoc,
      });
      expect(late).toMatchObject({ ok: false, error: { code: 'proposal_not_pending' } });
    });
  });
}

describe('durability and privacy', () => {
  it('a proposal stored while its document was not loaded reaches it later, once', async () => {
    const setup = await intakeSetup();
    delete setup.deps.pendingOf;
    const answer = await submitProposal(setup.deps, 'toilets', proposalJson(), {
      addressHash: setup.address('192.0.2.1'),
    });
    if (!answer.ok) throw new Error(answer.error.code);
    const doc = new Y.Doc();
    expect(await deliverStoredProposals(setup.deps, 'toilets', doc)).toBe(1);
    expect(getProposal(doc, answer.proposalId)?.status).toBe('pending');
    expect(await deliverStoredProposals(setup.deps, 'toilets', doc)).toBe(0);
  });

  it('a decision taken in the document alone (the app) frees a place under the pending cap', async () => {
    const setup = await intakeSetup({ limits: { maxPendingPerAddress: 1 } });
    const first = await submitted(setup, proposalJson(), '198.51.100.1');
    const refused = await submitProposal(setup.deps, 'toilets', proposalJson(), {
      addressHash: setup.address('198.51.100.1'),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'too_many_pending' } });
    // Nothing but the document is told: the status lives there.
    rejectProposal(setup.pendingDoc, first.proposalId, { moderator: { id: 'mod-1' } });
    await submitted(setup, proposalJson(), '198.51.100.1');
  });

  it('the address is stored only hashed', async () => {
    const setup = await intakeSetup();
    await submitted(setup, proposalJson(), '203.0.113.77');
    const tables = setup.deps.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    let dump = '';
    for (const { name } of tables)
      dump += JSON.stringify(setup.deps.db.prepare(`SELECT * FROM "${name}"`).all());
    expect(dump).not.toContain('203.0.113.77');
    expect(dump).toContain(setup.address('203.0.113.77'));
  });

  it('a clear address passed by mistake is refused loudly', async () => {
    const setup = await intakeSetup();
    await expect(
      submitProposal(setup.deps, 'toilets', proposalJson(), { addressHash: '203.0.113.77' }),
    ).rejects.toMatchObject({ code: 'address-not-hashed' });
  });

  it('neither the receipt nor the idempotency key is stored in clear', async () => {
    const setup = await intakeSetup();
    const body = proposalJson({ idempotencyKey: 'very-secret-device-key-42' });
    const { receipt } = await submitted(setup, body);
    const dump = JSON.stringify(setup.deps.db.prepare('SELECT * FROM proposals').all());
    expect(dump).not.toContain(receipt.slice(4));
    expect(dump).not.toContain('very-secret-device-key-42');
  });
});
