import { describe, expect, it } from 'vitest';
import { checkOpeningHours } from './opening-hours.ts';

describe('checkOpeningHours', () => {
  it('accepts the mednum example and gives no warning', async () => {
    const check = await checkOpeningHours('Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00', 'fr');
    expect(check).toMatchObject({ ok: true, warnings: [] });
  });

  it('reads a French habit ("6 h - 22 h") but warns and offers the OSM spelling', async () => {
    const check = await checkOpeningHours('6 h - 22 h', 'fr');
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.warnings.length).toBeGreaterThan(0);
    expect(check.prettified).toBe('06:00-22:00');
  });

  it('refuses what is not opening hours, with a message', async () => {
    const check = await checkOpeningHours('quand on veut', 'fr');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message.length).toBeGreaterThan(0);
  });

  it('accepts an empty value (required-ness is the schema’s business)', async () => {
    expect(await checkOpeningHours('  ', 'en')).toEqual({ ok: true, warnings: [], prettified: '' });
  });
});
