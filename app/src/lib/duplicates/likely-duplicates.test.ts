import { describe, expect, it } from 'vitest';
import { askLikelyDuplicates, reasonMessages, recordHref, worthAsking } from './likely-duplicates.ts';

const candidate = {
  datasetId: 'doubs',
  datasetTitle: 'Lieux du Doubs',
  rowId: 'r 1',
  score: 0.99,
  reasons: [{ code: 'same-name' }, { code: 'nearby', meters: 40 }, { code: 'same-phone' }],
  label: { name: 'France services Amancey', address: '13 rue du Four', city: 'Amancey' },
};

describe('likely duplicates in the citizen’s form', () => {
  it('asks only once a name has a few letters', () => {
    expect(worthAsking({ nom: 'Ma', tel: '' })).toBe(false);
    expect(worthAsking({ nom: 'Mai' })).toBe(true);
  });

  it('posts the values and keeps well-formed candidates only', async () => {
    let sent: { url: string; body: unknown } | null = null;
    const fetcher = (async (url: string, init: RequestInit) => {
      sent = { url, body: JSON.parse(String(init.body)) };
      return new Response(JSON.stringify({ candidates: [candidate, { datasetId: 'x' }] }), { status: 200 });
    }) as unknown as typeof fetch;
    const found = await askLikelyDuplicates('doubs', { nom: 'France services Amancey' }, { fetch: fetcher });
    expect(found).toEqual([candidate]);
    expect(sent).toEqual({
      url: '/api/datasets/doubs/duplicates',
      body: { values: { nom: 'France services Amancey' } },
    });
  });

  it('shows nothing, without error, when offline or refused', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const refused = (async () => new Response('{}', { status: 404 })) as unknown as typeof fetch;
    expect(await askLikelyDuplicates('doubs', { nom: 'Mairie' }, { fetch: offline })).toEqual([]);
    expect(await askLikelyDuplicates('doubs', { nom: 'Mairie' }, { fetch: refused })).toEqual([]);
  });

  it('words the reasons through the catalog, distance included, and links the record', () => {
    expect(reasonMessages(candidate.reasons as never)).toEqual([
      ['duplicates.reason.same-name'],
      ['duplicates.reason.nearby', { meters: 40 }],
      ['duplicates.reason.same-phone'],
    ]);
    expect(reasonMessages([{ code: 'unknown-later' } as never])).toEqual([]);
    expect(recordHref(candidate)).toBe('/datasets/doubs/records/r%201');
  });
});
