import { describe, expect, it } from 'vitest';
import { frenchOpeningHours } from './frenchOpeningHours.ts';
import { isOpeningHours } from './openingHoursCheck.ts';

describe('frenchOpeningHours: French text → OpenStreetMap opening_hours', () => {
  it.each([
    ['Mardi 12h-14h mercredi 12h-18h', 'Tu 12:00-14:00; We 12:00-18:00'],
    ['6 h - 22 h', '06:00-22:00'],
    ['24 h / 24', '24/7'],
    ['24h/24 7j/7', '24/7'],
    ['Lundi 9h-12h', 'Mo 09:00-12:00'],
    ['du lundi au vendredi 9h-12h et 14h-18h', 'Mo-Fr 09:00-12:00,14:00-18:00'],
    ['fermé le dimanche', 'Su off'],
    [
      'Du lundi au vendredi de 9h à 12h et de 14h à 18h, fermé le samedi et le dimanche',
      'Mo-Fr 09:00-12:00,14:00-18:00; Sa,Su off',
    ],
    ['lundi, mardi et jeudi : 9h30-12h', 'Mo,Tu,Th 09:30-12:00'],
    ['Lundi-Vendredi 8H00-17H30', 'Mo-Fr 08:00-17:30'],
    ['tous les jours 10h-19h', 'Mo-Su 10:00-19:00'],
    ['9h à midi', '09:00-12:00'],
    ['Samedi 9h-12h, dimanche fermé', 'Sa 09:00-12:00; Su off'],
    ['fermé les jours fériés', 'PH off'],
    // France services writes each weekday's hours in its own column like this.
    ['09:00 - 12:00 / 13:30 - 17:00', '09:00-12:00,13:30-17:00'],
    // A bar between rules, as in Région Sud's lieux d'inclusion numérique.
    ['mardi mercredi et vendredi : 14h-18h |samedi : 9h-13h', 'Tu,We,Fr 14:00-18:00; Sa 09:00-13:00'],
    [
      'du Lundi au Jeudi 08:30 - 12:00 / 13:30 - 17:00 | Vendredi 08:30 - 12:00',
      'Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00',
    ],
  ])('%s → %s', (text, osm) => {
    expect(frenchOpeningHours(text)).toBe(osm);
    // Each answer must itself pass the strict check it is offered for.
    expect(isOpeningHours(osm)).toBe(true);
  });

  it.each([
    'sur rendez-vous',
    'true',
    'lundi',
    'Lundi 9-12',
    'Mo 25h-26h',
    'le matin',
    'de mars à octobre 9h-18h',
    '',
  ])('says nothing for %j (no guess)', (text) => {
    expect(frenchOpeningHours(text)).toBeNull();
  });
});
