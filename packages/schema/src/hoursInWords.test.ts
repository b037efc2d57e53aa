import { describe, expect, it } from 'vitest';
import { openingHoursInWords } from './hoursInWords.ts';

describe('openingHoursInWords: opening_hours said in plain French and English', () => {
  it.each([
    ['Mo-Fr 09:00-12:00,14:00-17:00', 'Du lundi au vendredi, 9 h – 12 h et 14 h – 17 h'],
    [
      'Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00',
      'Du lundi au vendredi, 9 h – 12 h et 14 h – 18 h 30 ; samedi, 8 h 30 – 12 h',
    ],
    ['24/7', '24 h/24, 7 j/7'],
    ['Mo-Su 06:00-22:00', 'Tous les jours, 6 h – 22 h'],
    ['Mo-Su 06:00-01:00', 'Tous les jours, 6 h – 1 h'],
    ['Mo,We,Fr 10:00-12:00', 'Lundi, mercredi et vendredi, 10 h – 12 h'],
    ['Mo-We,Sa 10:00-12:00', 'Du lundi au mercredi et samedi, 10 h – 12 h'],
    ['Mo-Fr 00:00-24:00; Sa,Su off', 'Du lundi au vendredi, 24 h/24 ; samedi et dimanche, fermé'],
    [
      'Mo-Sa 10:00-19:00; Su off; PH off',
      'Du lundi au samedi, 10 h – 19 h ; dimanche, fermé ; fermé les jours fériés',
    ],
    ['', ''],
  ])('%j → %j', (value, french) => {
    expect(openingHoursInWords(value, 'fr')).toBe(french);
  });

  it.each([
    ['Mo-Fr 09:00-12:00,14:00-17:00', 'Monday to Friday, 9:00 – 12:00 and 14:00 – 17:00'],
    ['24/7', 'Open 24/7'],
    ['Sa,Su off', 'Saturday and Sunday, closed'],
    ['Mo-Sa 10:00-19:00; PH off', 'Monday to Saturday, 10:00 – 19:00; closed on public holidays'],
  ])('in English, %j → %j', (value, english) => {
    expect(openingHoursInWords(value, 'en')).toBe(english);
  });

  it.each(['Jan-Mar 09:00-12:00', '6 h - 22 h'])('%j, beyond the plain syntax, is not described', (value) => {
    expect(openingHoursInWords(value, 'fr')).toBeNull();
  });
});
