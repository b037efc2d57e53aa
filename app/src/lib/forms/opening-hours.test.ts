import { describe, expect, it } from 'vitest';
import { checkOpeningHours } from './opening-hours.ts';

describe('checkOpeningHours', () => {
  it('accepts the mednum example and gives no warning', async () => {
    const check = await checkOpeningHours('Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00', 'fr');
    expect(check).toMatchObject({ ok: true, warnings: [] });
  });

  // Strict, like the server's proposal intake: a value the library only reads by correcting it
  // would be refused after sending, so the form refuses it and offers the valid spelling.
  it.each([
    ['6 h - 22 h', '06:00-22:00'],
    ['Mardi 12h-14h mercredi 12h-18h', 'Tu 12:00-14:00; We 12:00-18:00'],
    ['du lundi au vendredi 9h-12h et 14h-18h', 'Mo-Fr 09:00-12:00,14:00-18:00'],
  ])('refuses the French habit %j and offers %j', async (value, suggestion) => {
    const check = await checkOpeningHours(value, 'fr');
    expect(check).toMatchObject({ ok: false, suggestion });
  });

  it('keeps advice on a valid value and offers its tidy spelling', async () => {
    const check = await checkOpeningHours('mo-fr 08:00-18:00', 'en');
    expect(check).toMatchObject({ ok: true, prettified: 'Mo-Fr 08:00-18:00' });
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
