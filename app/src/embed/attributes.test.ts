import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCENT,
  DEFAULT_HEIGHT,
  parseAccent,
  parseFields,
  parseFilters,
  parseHeight,
  parseLang,
  parseView,
  readOptions,
  rowsUrl,
} from './attributes.ts';

describe('embed attributes', () => {
  it('reads the view, falling back to the table', () => {
    expect(parseView('map')).toBe('map');
    expect(parseView('cards')).toBe('cards');
    expect(parseView('MAP')).toBe('table');
    expect(parseView(null)).toBe('table');
  });

  it('reads the language, then the page language, then French', () => {
    expect(parseLang('en')).toBe('en');
    expect(parseLang('en-GB')).toBe('en');
    expect(parseLang(null, 'en')).toBe('en');
    expect(parseLang(null)).toBe('fr');
    expect(parseLang('de')).toBe('fr');
  });

  it('reads fields in order, without blanks or repeats', () => {
    expect(parseFields(' nom, commune,,nom ')).toEqual(['nom', 'commune']);
    expect(parseFields(null)).toEqual([]);
  });

  it('reads preset filters: fields apart, values joined by |, accents kept', () => {
    const filters = parseFilters('commune=Besançon;type=Mairie|Poste&commune=Dole');
    expect([...filters]).toEqual([
      ['commune', ['Besançon', 'Dole']],
      ['type', ['Mairie', 'Poste']],
    ]);
  });

  it('ignores filter parts without a field or a value', () => {
    expect(parseFilters('=x;commune=;nothing;a=b').size).toBe(1);
    expect(parseFilters('')).toEqual(new Map());
  });

  it('keeps a value that holds "=" whole', () => {
    expect(parseFilters('url=https://x.org/?a=b')).toEqual(new Map([['url', ['https://x.org/?a=b']]]));
  });

  it('bounds the height and accepts only hex colours', () => {
    expect(parseHeight('600')).toBe(600);
    expect(parseHeight('600px')).toBe(600);
    expect(parseHeight('10')).toBe(200);
    expect(parseHeight('abc')).toBe(DEFAULT_HEIGHT);
    expect(parseAccent('#0A5')).toBe('#0a5');
    expect(parseAccent('red; background: url(x)')).toBe(DEFAULT_ACCENT);
  });

  it('refuses a dataset id the server would not accept', () => {
    const attributes: Record<string, string> = { dataset: '../secret' };
    expect(readOptions((name) => attributes[name] ?? null)).toBeNull();
    attributes.dataset = 'lieux-2026';
    expect(readOptions((name) => attributes[name] ?? null)).toMatchObject({
      dataset: 'lieux-2026',
      view: 'table',
    });
  });

  it('asks the rows API with the search and every preset filter', () => {
    const url = new URL(
      rowsUrl(
        'https://hub.example',
        { dataset: 'lieux', filters: parseFilters('commune=Besançon|Dole') },
        ' poste ',
      ),
    );
    expect(url.pathname).toBe('/api/datasets/lieux/rows');
    expect(url.searchParams.get('q')).toBe('poste');
    expect(url.searchParams.getAll('filter.commune')).toEqual(['Besançon', 'Dole']);
    const geo = new URL(
      rowsUrl('https://hub.example', { dataset: 'lieux', filters: new Map() }, '', { format: 'geojson' }),
    );
    expect(geo.searchParams.get('format')).toBe('geojson');
    expect(geo.searchParams.has('q')).toBe(false);
  });
});
