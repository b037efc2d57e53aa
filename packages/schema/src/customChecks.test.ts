import { describe, expect, it } from 'vitest';
import { compileSchema, isPhoneNumber, isSiren, isSiret, type TableSchema } from './index.ts';
import { openingHoursValue, serverCustomChecks } from './server.ts';

describe('french-siren-value', () => {
  it('accepts 9 digits with a valid Luhn key', () => {
    expect(isSiren('217602176')).toBe(true); // commune de Dieppe
    expect(isSiren('732829320')).toBe(true);
  });
  it('rejects a wrong key, a wrong length, spaces or letters', () => {
    expect(isSiren('217602177')).toBe(false);
    expect(isSiren('21760217')).toBe(false);
    expect(isSiren('217 602 176')).toBe(false);
    expect(isSiren('21760217A')).toBe(false);
  });
});

describe('french-siret-value', () => {
  it('accepts 14 digits with a valid Luhn key', () => {
    expect(isSiret('21920044100018')).toBe(true);
  });
  it('rejects a wrong key or a wrong length', () => {
    expect(isSiret('80295478500028')).toBe(false);
    expect(isSiret('2192004410001')).toBe(false);
    expect(isSiret('219200441000180')).toBe(false);
  });
  it('La Poste (SIREN 356000000): the digits sum to a multiple of 5 instead of Luhn', () => {
    expect(isSiret('35600000049837')).toBe(true); // fails Luhn, sum 45
    expect(isSiret('35600000000048')).toBe(false); // passes Luhn, sum 26
  });
});

describe('phone-number-value', () => {
  it.each([
    '0478868230',
    '01 99 00 27 37',
    '01.99.00.27.37',
    '06-12-34-56-78',
    '+33 1 99 00 27 37',
    '+33199002737',
    '0033199002737',
    '+33 (0)1 99 00 27 37',
    '115',
    '3949',
    '+32 2 123 45 67',
  ])('accepts %s', (value) => {
    expect(isPhoneNumber(value)).toBe(true);
  });
  it.each(['01 99 00 27', '00 99 00', '+33 0 99 00 27 37', 'téléphone', '12', '019900273a'])(
    'rejects %s',
    (value) => {
      expect(isPhoneNumber(value)).toBe(false);
    },
  );
});

describe('opening-hours-value', () => {
  it.each([
    'Mo-Fr 08:00-20:00',
    'Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00',
    '24/7',
    'Mo-Fr 09:00-18:00; PH off',
  ])('accepts %s', (value) => {
    expect(openingHoursValue(value)).toBeNull();
  });
  it.each(['true', 'Lundi 9h', 'Mo 25:00-26:00'])(
    'rejects %s with a French and an English reason',
    (value) => {
      const message = openingHoursValue(value);
      expect(message?.fr).toMatch(/^horaires invalides/);
      expect(message?.en).toMatch(/^invalid opening hours/);
    },
  );
  // The library reads these by correcting them (French day names, "12h", hours without minutes):
  // Validata refuses them, and so do we, showing the form that would pass.
  it.each([
    ['Mardi 12h-14h mercredi 12h-18h', 'Tu 12:00-14:00; We 12:00-18:00'],
    ['6 h - 22 h', '06:00-22:00'],
    ['Lundi 9h-12h', 'Mo 09:00-12:00'],
    ['fermé le dimanche', 'Su off'],
    ['Mo-Fr 9-12', 'Mo-Fr 09:00-12:00'],
  ])('strict: refuses %s and shows the nearest valid form %s', (value, nearest) => {
    const message = openingHoursValue(value);
    expect(message?.fr).toContain(`forme valide la plus proche : « ${nearest} »`);
    expect(message?.en).toContain(`nearest valid form: "${nearest}"`);
  });
  it('a free comment becomes a quoted one; no nearest form when none can be derived', () => {
    expect(openingHoursValue('sur rendez-vous')?.fr).toContain('« "Sur rendez-vous" »');
    const message = openingHoursValue('true');
    expect(message?.fr).toMatch(/^horaires invalides/);
    expect(message?.fr).not.toContain('forme valide');
  });
});

const schema: TableSchema = {
  fields: [
    { name: 'siret', type: 'string', constraints: { required: true } },
    { name: 'tel', type: 'string' },
    { name: 'horaires', type: 'string' },
  ],
  custom_checks: [
    { name: 'french-siret-value', params: { column: 'siret' } },
    { name: 'phone-number-value', params: { column: 'tel' } },
    { name: 'opening-hours-value', params: { column: 'horaires' } },
  ],
};

describe('compileSchema with custom_checks', () => {
  it('reports a failing cell as custom-check-error with the check name and both languages', () => {
    const errors = compileSchema(schema).validateRow({ siret: '80295478500028', tel: 'x', horaires: '' }, 3);
    expect(errors.map((e) => [e.row, e.field, e.code, e.check])).toEqual([
      [3, 'siret', 'custom-check-error', 'french-siret-value'],
      [3, 'tel', 'custom-check-error', 'phone-number-value'],
    ]);
    expect(errors[0]?.value).toBe('80295478500028');
    expect(errors[0]?.message.fr).toContain('« siret »');
    expect(errors[0]?.message.en).toContain('"siret"');
  });

  it('skips empty cells (required says if a value is needed)', () => {
    const errors = compileSchema(schema, { customChecks: serverCustomChecks }).validateRow({
      siret: '',
      tel: '',
      horaires: '',
    });
    expect(errors.map((e) => e.code)).toEqual(['constraint-error']);
  });

  it('the browser default has no opening hours: one schema warning, the other checks still run', () => {
    const validator = compileSchema(schema);
    expect(validator.warnings.map((w) => [w.code, w.check, w.field])).toEqual([
      ['custom-check-unknown', 'opening-hours-value', 'horaires'],
    ]);
    expect(
      validator.validateRow({ siret: '21920044100018', tel: '01 99 00 27 37', horaires: 'true' }),
    ).toEqual([]);
  });

  it('the server registry checks opening hours too, with no warning', () => {
    const validator = compileSchema(schema, { customChecks: serverCustomChecks });
    expect(validator.warnings).toEqual([]);
    const errors = validator.validateRow({ siret: '21920044100018', tel: '0478868230', horaires: 'true' });
    expect(errors.map((e) => [e.field, e.check])).toEqual([['horaires', 'opening-hours-value']]);
  });

  it('an unknown check name is one warning however often declared, never a throw; a bad column too', () => {
    const validator = compileSchema({
      fields: [{ name: 'a' }],
      custom_checks: [
        { name: 'cohesive-columns-value', params: { column: 'a' } },
        { name: 'cohesive-columns-value', params: { column: 'a' } },
        { name: 'french-siren-value', params: { column: 'nope' } },
        'garbage',
      ],
    });
    expect(validator.warnings.map((w) => [w.code, w.check])).toEqual([
      ['custom-check-unknown', 'cohesive-columns-value'],
      ['custom-check-column-unknown', 'french-siren-value'],
    ]);
    expect(validator.warnings[0]?.message.fr).toContain('cohesive-columns-value');
    expect(validator.validateRow({ a: 'x' })).toEqual([]);
  });

  it('a custom registry replaces the default one', () => {
    const validator = compileSchema(schema, {
      customChecks: { 'phone-number-value': (v) => (v === 'ok' ? null : { fr: 'non', en: 'no' }) },
    });
    expect(validator.warnings.map((w) => w.check)).toEqual(['french-siret-value', 'opening-hours-value']);
    expect(validator.validateRow({ siret: 'x', tel: 'ko', horaires: '' }).map((e) => e.message.en)).toEqual([
      '"tel": no.',
    ]);
  });
});
