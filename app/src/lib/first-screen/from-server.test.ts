import { describe, expect, it } from 'vitest';
import { fetchFirstScreen, firstScreenFromAnswers } from './from-server.ts';

const about = { datasetId: 'wc', title: 'Toilettes', rowCount: 2, licence: 'ODbL' };
const schema = {
  datasetId: 'wc',
  schema: {
    fields: [
      { name: 'id', type: 'string' },
      { name: 'adresse', title: 'Adresse', type: 'string' },
      { name: 'nom', title: 'Nom', type: 'string' },
    ],
    primaryKey: 'id',
  },
};
const rows = {
  total: 2,
  rows: [
    { id: 'r1', values: { id: '1', adresse: '1 rue A', nom: 'Gare', where: { lat: 1 } } },
    { id: 'r2', values: { id: '2', adresse: '2 rue B', nom: null } },
  ],
};

describe('the first screen read from the public API', () => {
  it('shows the rows in the API order, the naming field first, with the fields’ titles', () => {
    const made = firstScreenFromAnswers('wc', about, schema, rows);
    expect(made?.about.licence).toBe('ODbL');
    expect(made?.screen).toMatchObject({
      id: 'wc',
      title: 'Toilettes',
      total: 2,
      ids: ['r1', 'r2'],
      columns: [
        { name: 'nom', label: 'Nom' },
        { name: 'id', label: 'id' },
        { name: 'adresse', label: 'Adresse' },
      ],
    });
    // Only what a cell can show is kept (an object is not a cell).
    expect(made?.screen.rows.r1).toEqual({ id: '1', adresse: '1 rue A', nom: 'Gare' });
  });

  it('is null when an answer is missing or is not what the API sends', () => {
    expect(firstScreenFromAnswers('wc', null, schema, rows)).toBeNull();
    expect(firstScreenFromAnswers('wc', about, { schema: {} }, rows)).toBeNull();
    expect(firstScreenFromAnswers('wc', about, schema, { rows: [{ values: {} }] })).toBeNull();
  });

  it('is null when the dataset is private (the API refuses) or the device is offline', async () => {
    const refusing = (async () => new Response('{}', { status: 401 })) as unknown as typeof fetch;
    expect(await fetchFirstScreen('wc', refusing)).toBeNull();
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await fetchFirstScreen('wc', offline)).toBeNull();
  });
});
