import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openingHoursInWords } from './hoursInWords.ts';
import { isOpeningHours } from './openingHoursCheck.ts';
import {
  proposedOpeningHours,
  readWeeklyHours,
  type WeeklyHours,
  weeklyHoursProblems,
  writeWeeklyHours,
} from './weeklyHours.ts';

const samples = JSON.parse(
  readFileSync(new URL('../fixtures/opening-hours/samples.json', import.meta.url), 'utf8'),
) as Record<string, string[]>;

describe('readWeeklyHours / writeWeeklyHours: the plain opening_hours syntax ⇄ a week', () => {
  it.each([
    'Mo-Fr 09:00-12:00,14:00-17:00',
    'Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00',
    'Mo,We,Fr 08:30-12:30; Tu,Th 08:30-12:30,13:30-16:00',
    'Mo-Su 06:00-22:00',
    'Mo-Su 06:00-01:00',
    '24/7',
    'Mo-Fr 00:00-24:00; Sa,Su off',
    'Mo-Sa 10:00-19:00; Su off; PH off',
    'Tu 12:00-14:00; We 12:00-18:00; Th 18:00-21:00',
    '',
  ])('%j is read and written back unchanged, and passes the strict check', (value) => {
    const week = readWeeklyHours(value);
    expect(week).not.toBeNull();
    expect(writeWeeklyHours(week as WeeklyHours)).toBe(value);
    if (value !== '') expect(isOpeningHours(value)).toBe(true);
  });

  it.each([
    ['Mo-Fr 09:00-12:00, 14:00-17:00', 'Mo-Fr 09:00-12:00,14:00-17:00'],
    ['08:00-18:00', 'Mo-Su 08:00-18:00'],
    ['Mo,Tu,We 09:00-12:00', 'Mo-We 09:00-12:00'],
    // A later rule wins for its days, as in OSM: Sunday is closed, not open.
    ['Mo-Su 09:00-18:00; Su off', 'Mo-Sa 09:00-18:00; Su off'],
    ['Mo 09:00-12:00; Tu 09:00-12:00; Fr 14:00-16:00', 'Mo,Tu 09:00-12:00; Fr 14:00-16:00'],
    ['Sa-Mo 10:00-12:00', 'Mo,Sa,Su 10:00-12:00'],
    ['Mo-Su 00:00-24:00', '24/7'],
  ])('%j is written canonically as %j', (value, canonical) => {
    expect(writeWeeklyHours(readWeeklyHours(value) as WeeklyHours)).toBe(canonical);
    expect(isOpeningHours(canonical)).toBe(true);
  });

  it.each([
    'Jan-Mar Mo-Fr 09:00-12:00',
    'PH 10:00-12:00',
    'Mo-Fr 9h-12h',
    'Mo-Fr',
    'Mo-Fr 09:00-25:00',
    'Lundi 9h-12h',
    'Mo-Fr 09:00-12:00 "sur rendez-vous"',
    'week 1-53/2 Mo 09:00-12:00',
    'Mo-Fr 09:00-12:00;;',
  ])('%j is beyond the week editor: null, no partial reading', (value) => {
    expect(readWeeklyHours(value)).toBeNull();
  });

  it('a week being filled names what is missing: a range without its end, the same day twice', () => {
    const week: WeeklyHours = {
      groups: [
        { days: ['Mo', 'Tu'], hours: { kind: 'open', ranges: [{ from: '09:00', to: '' }] } },
        { days: ['Tu'], hours: { kind: 'closed' } },
      ],
      closedOnHolidays: false,
    };
    expect(weeklyHoursProblems(week)).toEqual([
      { code: 'range-incomplete', group: 0, range: 0 },
      { code: 'day-twice', day: 'Tu' },
    ]);
  });

  it('a range still being filled is left out of the value', () => {
    expect(
      writeWeeklyHours({
        groups: [
          {
            days: ['Mo'],
            hours: {
              kind: 'open',
              ranges: [
                { from: '09:00', to: '12:00' },
                { from: '14:00', to: '' },
              ],
            },
          },
        ],
        closedOnHolidays: false,
      }),
    ).toBe('Mo 09:00-12:00');
  });

  it('groups without days, and open groups without ranges, write nothing', () => {
    expect(
      writeWeeklyHours({
        groups: [
          { days: [], hours: { kind: 'open', ranges: [{ from: '09:00', to: '12:00' }] } },
          { days: ['Sa'], hours: { kind: 'open', ranges: [] } },
        ],
        closedOnHolidays: false,
      }),
    ).toBe('');
  });
});

describe('proposedOpeningHours: what people typed → the OSM form to propose', () => {
  it.each([
    ['6 h - 22 h', 'Mo-Su 06:00-22:00'],
    ['24 h / 24', '24/7'],
    ['6 h - 1 h', 'Mo-Su 06:00-01:00'],
    ['Lundi 9h-12h', 'Mo 09:00-12:00'],
    ['du lundi au vendredi de 9h à 17h', 'Mo-Fr 09:00-17:00'],
    ['Lundi au vendredi 9h-12h/14h-18h', 'Mo-Fr 09:00-12:00,14:00-18:00'],
    ['Lundi 14h-17h; mardi au vendredi 9h-12h/14h-17h', 'Mo 14:00-17:00; Tu-Fr 09:00-12:00,14:00-17:00'],
    ['Mardi 12h-14h mercredi 12h-18h jeudi 18h-21h', 'Tu 12:00-14:00; We 12:00-18:00; Th 18:00-21:00'],
  ])('%j → %j, which passes the strict check', (text, osm) => {
    expect(proposedOpeningHours(text)).toBe(osm);
    expect(isOpeningHours(osm)).toBe(true);
  });

  it.each(['Mo-Fr 09:00-12:00', '24/7'])('%j is already in the syntax: nothing to propose', (value) => {
    expect(proposedOpeningHours(value)).toBeNull();
  });

  it.each(['Voir fiche équipement', 'Tous les jours sur rendez-vous', '10h/18h', 'horaire'])(
    '%j is not guessed',
    (text) => {
      expect(proposedOpeningHours(text)).toBeNull();
    },
  );

  it('every real sample is either plain syntax, proposed in a form that passes, or left alone', () => {
    const outcomes = { plain: 0, proposed: 0, left: 0 };
    for (const values of Object.values(samples))
      for (const value of values) {
        if (readWeeklyHours(value) !== null) outcomes.plain++;
        else {
          const proposed = proposedOpeningHours(value);
          if (proposed === null) outcomes.left++;
          else {
            expect(isOpeningHours(proposed), `${value} → ${proposed}`).toBe(true);
            // What is proposed can be described, so the person reads it before taking it.
            expect(openingHoursInWords(proposed, 'fr')).not.toBeNull();
            outcomes.proposed++;
          }
        }
      }
    expect(outcomes).toEqual({ plain: 1, proposed: 13, left: 3 });
  });
});
