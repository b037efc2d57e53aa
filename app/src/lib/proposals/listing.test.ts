import { describe, expect, it } from 'vitest';
import type { OutboxEntry, Receipt } from '../outbox/outbox.ts';
import { amendHref, listProposals } from './listing.ts';

const label = { datasetTitle: 'Sanisettes', recordName: '4 rue X' };
const entry = (key: string, over: Partial<OutboxEntry> = {}): OutboxEntry => ({
  idempotencyKey: key,
  datasetId: 'demo',
  body: { kind: 'create', base: {}, proposed: { adresse: '1 rue Y' }, idempotencyKey: key },
  label,
  createdAt: 1,
  attempts: 0,
  nextAttemptAt: 0,
  refused: false,
  ...over,
});
const receipt = (key: string, over: Partial<Receipt> = {}): Receipt => ({
  idempotencyKey: key,
  proposalId: `p-${key}`,
  receipt: 'r',
  datasetId: 'demo',
  kind: 'change',
  rowId: 'row 1',
  base: { horaire: 'a' },
  proposed: { horaire: 'b' },
  label,
  createdAt: 2,
  sentAt: 3,
  status: 'pending',
  ...over,
});

describe('listProposals', () => {
  it('shows unsent and sent proposals, newest first, with the status a person reads', () => {
    const list = listProposals(
      [
        entry('a'),
        entry('b', {
          refused: true,
          attempts: 1,
          lastError: { code: 'proposal_invalid', message: 'Valeur invalide' },
        }),
      ],
      [receipt('c', { status: 'rejected', reason: 'Doublon', createdAt: 5 })],
    );
    expect(list.map((p) => [p.key, p.status, p.open, p.reason])).toEqual([
      ['c', 'rejected', false, 'Doublon'],
      ['a', 'unsent', true, undefined],
      ['b', 'refused', true, 'Valeur invalide'],
    ]);
  });

  it('shows a proposal once when both its entry and its receipt survived a crash', () => {
    expect(listProposals([entry('a')], [receipt('a')]).map((p) => p.status)).toEqual(['pending']);
  });

  it('does not offer to change an entry that may have reached the server unanswered', () => {
    expect(listProposals([entry('a', { attempts: 2 })], [])[0]?.open).toBe(false);
  });

  it('sends a correction back to its record form and a new place to the dataset form', () => {
    const [change] = listProposals([], [receipt('k1')]);
    const [create] = listProposals([entry('k2')], []);
    expect(amendHref(change!)).toBe('/datasets/demo/records/row%201/propose?amend=k1');
    expect(amendHref(create!)).toBe('/datasets/demo/propose?amend=k2');
  });
});

describe('what became of each field', () => {
  it('names the fields by their titles, never their column ids', () => {
    const titled = { ...label, fieldTitles: { horaire: 'Horaires', adresse: 'Adresse' } };
    const [listed] = listProposals([], [receipt('a', { label: titled })]);
    expect(listed?.fields).toEqual([{ name: 'horaire', title: 'Horaires', value: 'b' }]);
  });

  it('on a partial decision, says which fields were kept and why the others were refused', () => {
    const titled = {
      ...label,
      fieldTitles: { horaire: 'Horaires', adresse: 'Adresse', acces_pmr: 'Accessible' },
    };
    const [listed] = listProposals(
      [],
      [
        receipt('a', {
          label: titled,
          proposed: { horaire: 'Mo-Su 06:00-22:00', adresse: '5 rue X', acces_pmr: 'Oui' },
          status: 'partially-accepted',
          acceptedFields: ['horaire'],
          refusedReasons: { adresse: 'L’adresse officielle reste le 4.' },
        }),
      ],
    );
    expect(listed?.fields.map((f) => [f.title, f.outcome])).toEqual([
      ['Horaires', { kept: true }],
      ['Adresse', { kept: false, reason: 'L’adresse officielle reste le 4.' }],
      ['Accessible', { kept: false }],
    ]);
  });
});
