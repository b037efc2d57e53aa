import { describe, expect, it } from 'vitest';
import { planMerge } from './merge-plan.ts';

const bfc = {
  ref: { datasetId: 'bfc', recordId: 'mednumBFC_TL_121_' },
  roles: {
    name: 'nom_structure',
    address: 'adresse',
    phone: 'contact_tel',
    email: 'contact_email',
    latitude: 'lat',
    longitude: 'lon',
    updatedAt: 'mise_a_jour',
    city: 'ville',
  },
  values: {
    nom_structure: 'MFS Planoise',
    adresse: '7-9 rue Picasso',
    ville: 'BESANCON',
    contact_tel: '',
    contact_email: 'msap@besancon.fr',
    lat: '47.2193',
    lon: '5.97366',
    mise_a_jour: '02/03/2021',
    code_typo: 'M',
  },
};
const doubs = {
  ref: { datasetId: 'doubs', recordId: '16' },
  roles: {
    name: 'NOM_DISPOSITIF',
    address: 'ADRESSE',
    phone: 'N_TEL',
    email: 'MAIL',
    latitude: 'latitude',
    longitude: 'longitude',
    city: 'VILLE',
  },
  values: {
    NOM_DISPOSITIF: 'France services Planoise',
    ADRESSE: '7-9 rue Picasso',
    VILLE: 'Besançon',
    N_TEL: '03 81 41 22 21',
    MAIL: 'msap@besancon.fr',
    latitude: '47.219370',
    longitude: '5.973427',
  },
};

describe('a merge plan', () => {
  const plan = planMerge(bfc, doubs);
  const choice = (field: string) => plan.fields.find((f) => f.field === field)!;

  it('fills what the kept record lacks and says where it came from', () => {
    expect(choice('contact_tel')).toMatchObject({
      value: '03 81 41 22 21',
      from: doubs.ref,
      otherField: 'N_TEL',
      reason: 'only-value',
    });
    expect(plan.values.contact_tel).toBe('03 81 41 22 21');
  });

  it('keeps the kept record’s spelling when both say the same, unless the other is better written', () => {
    expect(choice('contact_email')).toMatchObject({
      value: 'msap@besancon.fr',
      from: bfc.ref,
      reason: 'same-value',
    });
    expect(choice('ville')).toMatchObject({ value: 'Besançon', from: doubs.ref, reason: 'better-written' });
  });

  it('takes the longer name and keeps the other as an alternative', () => {
    expect(choice('nom_structure')).toMatchObject({
      value: 'France services Planoise',
      reason: 'longer',
      alternative: 'MFS Planoise',
    });
  });

  it('moves latitude and longitude together, to the more precise position', () => {
    expect(choice('lat')).toMatchObject({ value: '47.219370', from: doubs.ref, reason: 'more-precise' });
    expect(choice('lon')).toMatchObject({ value: '5.973427', from: doubs.ref, reason: 'more-precise' });
  });

  it('keeps columns the other record has no counterpart for', () => {
    expect(choice('code_typo')).toMatchObject({ value: 'M', from: bfc.ref, otherField: null });
    expect(plan).toMatchObject({ kept: bfc.ref, merged: doubs.ref });
  });

  it('prefers the more recently updated record when both have a date', () => {
    const older = {
      ...bfc,
      values: {
        ...bfc.values,
        mise_a_jour: '2020-01-01',
        nom_structure: 'Maison de services au public de Planoise',
      },
    };
    const newer = {
      ...bfc,
      ref: { datasetId: 'bfc', recordId: 'x' },
      values: { ...bfc.values, mise_a_jour: '2023-03-29', nom_structure: 'MFS Planoise' },
    };
    const merged = planMerge(older, newer);
    expect(merged.fields.find((f) => f.field === 'nom_structure')).toMatchObject({
      value: 'MFS Planoise',
      reason: 'more-recent',
    });
    expect(merged.values.mise_a_jour).toBe('2023-03-29');
  });

  it('prefers a valid phone to an invalid one', () => {
    const broken = { ...doubs, values: { ...doubs.values, N_TEL: '03 81 41' } };
    const withPhone = { ...bfc, values: { ...bfc.values, contact_tel: '03.81.41.22.21' } };
    expect(planMerge(withPhone, broken).fields.find((f) => f.field === 'contact_tel')).toMatchObject({
      value: '03.81.41.22.21',
      reason: 'more-precise',
    });
  });

  it('lists the fields of the kept schema even when its record left them out', () => {
    const merged = planMerge(bfc, doubs, ['nom_structure', 'url_lieu']);
    expect(merged.fields.map((f) => f.field)).toEqual(['nom_structure', 'url_lieu']);
    expect(merged.values.url_lieu).toBeNull();
  });
});
