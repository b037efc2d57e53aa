import { describe, expect, it } from 'vitest';
import { messages } from './messages.ts';

describe('embed messages', () => {
  it('has every French word in English, and every status in both', () => {
    const fr = messages('fr');
    const en = messages('en');
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    expect(Object.keys(en.statuses).sort()).toEqual(Object.keys(fr.statuses).sort());
    for (const [key, value] of Object.entries(en)) {
      if (typeof value === 'string') expect(value, key).not.toBe('');
    }
  });

  it('counts records in each language', () => {
    expect(messages('fr').count(1, 1)).toBe('1 fiche');
    expect(messages('fr').count(200, 256)).toBe('200 fiches affichées sur 256');
    expect(messages('en').count(3, 3)).toBe('3 records');
  });
});
