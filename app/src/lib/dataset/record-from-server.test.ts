import { describe, expect, it } from 'vitest';
import { fetchRecord, recordFromAnswers } from './record-from-server.ts';

const about = { datasetId: 'wc', title: 'Toilettes', rowCount: 2 };
const schema = { schema: { fields: [{ name: 'nom', title: 'Nom' }], primaryKey: 'nom' } };

describe('a record read from the public API', () => {
  it('gives the record’s values with the dataset’s fields', () => {
    expect(
      recordFromAnswers('wc', 'r1', about, schema, { row: { id: 'r1', values: { nom: 'Gare' } } }),
    ).toEqual({
      about,
      fields: [{ name: 'nom', title: 'Nom' }],
      primaryKey: 'nom',
      values: { nom: 'Gare' },
    });
  });

  it('is null for another record, a missing answer, a refusal or no network', async () => {
    expect(recordFromAnswers('wc', 'r1', about, schema, { row: { id: 'r2', values: {} } })).toBeNull();
    expect(recordFromAnswers('wc', 'r1', about, null, { row: { id: 'r1', values: {} } })).toBeNull();
    const refusing = (async () => new Response('{}', { status: 404 })) as unknown as typeof fetch;
    expect(await fetchRecord('wc', 'r1', refusing)).toBeNull();
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await fetchRecord('wc', 'r1', offline)).toBeNull();
  });
});
