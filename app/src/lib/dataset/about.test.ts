import { describe, expect, it } from 'vitest';
import { fetchAbout, parseAbout, sourceLink } from './about.ts';

describe('what a visitor needs to reuse a dataset', () => {
  it('keeps the fields it knows, drops empty ones and a date that is not one', () => {
    expect(
      parseAbout(
        {
          datasetId: 'lieux',
          title: 'Lieux',
          licence: 'ODbL',
          source: ' ',
          rowCount: 4,
          lastChange: 'yesterday',
          extra: 1,
        },
        'lieux',
      ),
    ).toEqual({ datasetId: 'lieux', title: 'Lieux', licence: 'ODbL', rowCount: 4 });
  });

  it('refuses an answer about another dataset or without a row count', () => {
    expect(parseAbout({ datasetId: 'other', rowCount: 1 }, 'lieux')).toBeNull();
    expect(parseAbout({ datasetId: 'lieux' }, 'lieux')).toBeNull();
    expect(parseAbout('lieux', 'lieux')).toBeNull();
  });

  it('is null when the server cannot be reached or refuses', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await fetchAbout('lieux', offline)).toBeNull();
    const refused = (async () => new Response('{}', { status: 404 })) as unknown as typeof fetch;
    expect(await fetchAbout('lieux', refused)).toBeNull();
  });

  it('links a source only when it is a web address', () => {
    expect(sourceLink('https://opendata.paris.fr/explore')).toBe('https://opendata.paris.fr/explore');
    expect(sourceLink('javascript:alert(1)')).toBeNull();
    expect(sourceLink('Ville de Paris')).toBeNull();
  });
});
