import { describe, expect, it } from 'vitest';
import { fetchDatasets, parseDatasetList } from './datasets.ts';

const answer = (status: number, body: string) => async () => new Response(body, { status });

describe('the list of public datasets', () => {
  it('reads the server’s list, bare or wrapped', () => {
    const item = { id: 'demo', title: 'Lieux', description: 'd', rowCount: 12 };
    expect(parseDatasetList([item])).toEqual([item]);
    expect(parseDatasetList({ datasets: [item] })).toEqual([item]);
  });

  it('tolerates missing titles and counts, drops entries without an id', () => {
    expect(parseDatasetList([{ id: 'x' }, { title: 'no id' }, null])).toEqual([
      { id: 'x', title: 'x', description: '', rowCount: null },
    ]);
  });

  it('reports failures as values with a code', async () => {
    const offline = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await fetchDatasets(offline as typeof fetch)).toMatchObject({
      ok: false,
      error: { code: 'network' },
    });
    expect(await fetchDatasets(answer(500, '{}') as typeof fetch)).toMatchObject({
      ok: false,
      error: { code: 'http' },
    });
    expect(await fetchDatasets(answer(200, '<html>') as typeof fetch)).toMatchObject({
      ok: false,
      error: { code: 'bad-response' },
    });
    expect(await fetchDatasets(answer(200, '[{"id":"demo","title":"Démo"}]') as typeof fetch)).toEqual({
      ok: true,
      datasets: [{ id: 'demo', title: 'Démo', description: '', rowCount: null }],
    });
  });
});
