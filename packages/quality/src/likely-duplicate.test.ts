import { describe, expect, it } from 'vitest';
import type { FieldRoles } from './field-roles.ts';
import { compareRecords, likelyDuplicateScore } from './likely-duplicate.ts';
import { toPlace } from './place.ts';

const roles: FieldRoles = {
  name: 'nom',
  address: 'adresse',
  postcode: 'cp',
  city: 'commune',
  phone: 'tel',
  siret: 'siret',
  latitude: 'lat',
  longitude: 'lon',
};
const place = (values: Record<string, unknown>) => toPlace(values, roles);
const guise = {
  nom: 'France services de Guise',
  adresse: '6 rue André Godin',
  cp: '02120',
  commune: 'Guise',
  tel: '03 23 61 00 00',
  lat: 49.90147,
  lon: 3.626688,
};

describe('whether two places are likely the same', () => {
  it('says so for the same place written otherwise and moved 40 m, with the reasons', () => {
    const verdict = compareRecords(
      place(guise),
      place({
        ...guise,
        nom: 'FRANCE SERVICES GUISE',
        adresse: '6 r. Andre Godin',
        tel: '+33 3 23 61 00 00',
        lat: 49.90183,
      }),
    );
    expect(verdict.score).toBeGreaterThanOrEqual(likelyDuplicateScore);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['same-name', 'nearby', 'same-address', 'same-phone']);
    expect(verdict.reasons.find((r) => r.code === 'nearby')).toEqual({ code: 'nearby', meters: 40 });
  });

  it('tells apart two services of the same building with different names', () => {
    const library = { ...guise, nom: 'Médiathèque de Guise', tel: '03 23 61 11 11' };
    expect(compareRecords(place(guise), place(library)).score).toBeLessThan(likelyDuplicateScore);
  });

  it('tells apart two places of the same district whose names differ only by their kind', () => {
    const epn = { ...guise, nom: 'EPN Guise Godin', adresse: '13 avenue de France' };
    const fs = { ...guise, nom: 'France services Guise Godin' };
    expect(compareRecords(place(fs), place(epn)).score).toBeLessThan(likelyDuplicateScore);
  });

  it('tells apart places of the same name in two towns', () => {
    const other = {
      ...guise,
      cp: '59000',
      commune: 'Lille',
      adresse: '1 rue Nationale',
      tel: '',
      lat: 50.63,
      lon: 3.06,
    };
    expect(
      compareRecords(
        place({ ...guise, nom: 'Maison pour tous' }),
        place({ ...other, nom: 'Maison pour tous' }),
      ).score,
    ).toBeLessThan(likelyDuplicateScore);
  });

  it('trusts the same SIRET and distrusts different ones', () => {
    const a = place({ ...guise, siret: '130 005 481 00010' });
    expect(
      compareRecords(a, place({ ...guise, nom: 'MSAP Guise', siret: '13000548100010' })).reasons,
    ).toContainEqual({ code: 'same-siret' });
    expect(compareRecords(a, place({ ...guise, siret: '13000548100028' })).score).toBeLessThan(
      compareRecords(a, place({ ...guise, siret: '' })).score,
    );
  });

  it('compares records without positions by town', () => {
    const noPosition = { ...guise, lat: '', lon: '' };
    const verdict = compareRecords(place(noPosition), place({ ...noPosition, adresse: '6 Rue Andre Godin' }));
    expect(verdict.meters).toBeNull();
    expect(verdict.reasons.map((r) => r.code)).toContain('same-town');
    expect(verdict.score).toBeGreaterThanOrEqual(likelyDuplicateScore);
  });

  it('is symmetric', () => {
    const a = place(guise);
    const b = place({ ...guise, nom: 'MSAP Guise', lat: 49.902 });
    expect(compareRecords(a, b).score).toBe(compareRecords(b, a).score);
  });
});
