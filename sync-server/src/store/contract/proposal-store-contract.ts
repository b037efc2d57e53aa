/**
 * What every ProposalStore promises, stated once and run against each backend: a key is one
 * proposal and an address never passes its cap, even when intakes race (on a shared backend,
 * through two handles as two processes would); delivery hands each revision over once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProposalRecord, ProposalStore } from '../proposal-store.ts';
import type { OpenBackend, StoreBackend } from './backends.ts';

let counter = 0;
function record(fields: Partial<ProposalRecord> = {}): ProposalRecord {
  counter += 1;
  const n = String(counter).padStart(6, '0');
  return {
    id: `proposal-${n}`,
    dataset_id: 'toilets',
    idempotency_key_hash: `key-${n}`,
    receipt_hash: `receipt-${n}`,
    receipt_box: `box-${n}`,
    body: JSON.stringify({ kind: 'change', proposed: { name: n } }),
    address_hash: 'address-a',
    created_at: 1_767_000_000_000 + counter,
    updated_at: 1_767_000_000_000 + counter,
    revision: 1,
    delivered_revision: 0,
    settled_at: null,
    ...fields,
  };
}

export function proposalStoreContract(backend: StoreBackend): void {
  describe(`ProposalStore on ${backend.name}`, () => {
    let store: OpenBackend;
    /** A second process's handle where the backend is shared, else the same store. */
    let other: ProposalStore;
    beforeEach(async () => {
      store = await backend.open();
      other = backend.shared ? (await store.another()).proposals : store.proposals;
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('stores a batch and reads each back as it was written, by id and by key', async () => {
      const batch = [record(), record({ address_hash: 'address-b', dataset_id: 'benches' })];
      const outcomes = await store.proposals.intake(batch, 10);
      expect(outcomes).toEqual(batch.map((r) => ({ kind: 'stored', record: r })));
      for (const r of batch) {
        expect(await other.get(r.id)).toEqual(r);
        expect(await other.byIdempotencyKey(r.dataset_id, r.idempotency_key_hash)).toEqual(r);
      }
      expect(await other.get('missing')).toBeUndefined();
      expect(await other.byIdempotencyKey('toilets', 'missing')).toBeUndefined();
    });

    it('a key already stored, or twice in one batch, answers with the first proposal', async () => {
      const first = record();
      const twin = record({ idempotency_key_hash: first.idempotency_key_hash });
      const again = record({ idempotency_key_hash: first.idempotency_key_hash });
      const outcomes = await store.proposals.intake([first, twin], 10);
      expect(outcomes).toEqual([
        { kind: 'stored', record: first },
        { kind: 'existing', record: first },
      ]);
      expect(await other.intake([again], 10)).toEqual([{ kind: 'existing', record: first }]);
      // The same key in another dataset is another proposal.
      const elsewhere = record({ idempotency_key_hash: first.idempotency_key_hash, dataset_id: 'benches' });
      expect(await other.intake([elsewhere], 10)).toEqual([{ kind: 'stored', record: elsewhere }]);
    });

    it('50 intakes of one key at once, from two handles, make one proposal', async () => {
      const key = record().idempotency_key_hash;
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? other : store.proposals).intake([record({ idempotency_key_hash: key })], 100),
        ),
      );
      const kinds = outcomes.map(([outcome]) => outcome!.kind);
      expect(kinds.filter((kind) => kind === 'stored')).toHaveLength(1);
      expect(kinds.filter((kind) => kind === 'existing')).toHaveLength(49);
      const ids = new Set(outcomes.map(([outcome]) => (outcome as { record: ProposalRecord }).record.id));
      expect(ids.size).toBe(1);
      expect(await store.proposals.unsettledOf('address-a', 100)).toHaveLength(1);
    });

    it('intakes racing from two handles never pass the cap of one address', async () => {
      const cap = 7;
      const outcomes = (
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 ? other : store.proposals).intake(i % 5 === 0 ? [record(), record()] : [record()], cap),
          ),
        )
      ).flat();
      expect(outcomes.filter((outcome) => outcome.kind === 'stored')).toHaveLength(cap);
      expect(outcomes.filter((outcome) => outcome.kind === 'over-cap')).toHaveLength(outcomes.length - cap);
      expect(await store.proposals.unsettledOf('address-a', 100)).toHaveLength(cap);
      // Another address is not held back.
      expect(await other.intake([record({ address_hash: 'address-b' })], cap)).toMatchObject([
        { kind: 'stored' },
      ]);
    });

    it('a burst in one batch stops at the cap; settling frees a place, for good', async () => {
      const batch = [record(), record(), record()];
      expect((await store.proposals.intake(batch, 2)).map((outcome) => outcome.kind)).toEqual([
        'stored',
        'stored',
        'over-cap',
      ]);
      expect(await store.proposals.get(batch[2]!.id)).toBeUndefined();
      expect((await other.unsettledOf('address-a', 10)).map((row) => row.id)).toEqual([
        batch[0]!.id,
        batch[1]!.id,
      ]);
      await other.settle([batch[0]!.id], 5);
      await other.settle([batch[0]!.id], 9);
      expect(await store.proposals.get(batch[0]!.id)).toMatchObject({ settled_at: 5 });
      expect(await store.proposals.intake([record()], 2)).toMatchObject([{ kind: 'stored' }]);
      expect(await store.proposals.unsettledOf('address-a', 1)).toEqual([
        { id: batch[1]!.id, dataset_id: 'toilets' },
      ]);
    });

    it('amending replaces the body and bumps the revision, never once settled', async () => {
      const [a, b] = [record(), record()];
      await store.proposals.intake([a, b], 10);
      expect(await other.amend(a.id, '{"kind":"change"}', 77)).toEqual({
        ...a,
        body: '{"kind":"change"}',
        revision: 2,
        updated_at: 77,
      });
      await store.proposals.settle([b.id], 1);
      expect(await other.amend(b.id, '{}', 78)).toBeUndefined();
      expect(await other.amend('missing', '{}', 78)).toBeUndefined();
    });

    it('delivers each revision once: again only after an amendment; a failed write records nothing', async () => {
      const [a, b] = [record(), record()];
      await store.proposals.intake([a, b, record({ dataset_id: 'benches' })], 10);
      const written: string[] = [];
      const write = async (records: ProposalRecord[]) => {
        written.push(...records.map((r) => `${r.id}@${r.revision}`));
      };
      await expect(
        store.proposals.deliver('toilets', async () => {
          throw new Error('relay closing');
        }),
      ).rejects.toThrow('relay closing');
      expect(await store.proposals.deliver('toilets', write, [b.id])).toBe(1);
      expect(await store.proposals.deliver('toilets', write)).toBe(1);
      expect(await store.proposals.deliver('toilets', write)).toBe(0);
      expect(written).toEqual([`${b.id}@1`, `${a.id}@1`]);
      await store.proposals.amend(a.id, '{}', 2);
      expect(await store.proposals.deliver('toilets', write)).toBe(1);
      expect(written.at(-1)).toBe(`${a.id}@2`);
      expect(await store.proposals.get(a.id)).toMatchObject({ revision: 2, delivered_revision: 2 });
    });

    it('two handles delivering one dataset at once hand each proposal over once', async () => {
      const stored = Array.from({ length: 12 }, () => record({ address_hash: `address-${counter}` }));
      const written: string[] = [];
      const write = async (records: ProposalRecord[]) => {
        // As the relay does: the write takes a while to become durable.
        await new Promise((resolve) => setTimeout(resolve, 5));
        written.push(...records.map((r) => r.id));
      };
      const rounds = stored.map(async (r, i) => {
        await store.proposals.intake([r], 10);
        await Promise.all([
          store.proposals.deliver('toilets', write, i % 2 ? [r.id] : undefined),
          other.deliver('toilets', write),
        ]);
      });
      await Promise.all(rounds);
      expect(written.sort()).toEqual(stored.map((r) => r.id).sort());
    });
  });
}
