import { describe, expect, it } from 'vitest';
import { deriveFieldRoles } from './field-roles.ts';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('field roles from a schema', () => {
  it('reads the France services list', () => {
    expect(
      deriveFieldRoles(
        named(
          'id_fs',
          'insee_dep',
          'lib_fs',
          'adresse',
          'complement_adresse',
          'insee_com',
          'code_postal',
          'lib_com',
          'latitude',
          'longitude',
          'mail',
          'telephone',
        ),
      ),
    ).toEqual({
      name: 'lib_fs',
      address: 'adresse',
      postcode: 'code_postal',
      city: 'lib_com',
      latitude: 'latitude',
      longitude: 'longitude',
      email: 'mail',
      phone: 'telephone',
    });
  });

  it('reads the Doubs list in capitals, leaving the geocoder columns alone', () => {
    const roles = deriveFieldRoles(
      named(
        'NOM_DISPOSITIF',
        'ADRESSE',
        'CODE_POSTAL',
        'VILLE',
        'COM_CODE',
        'COM_NOM',
        'ADRESSE_COMPLETE',
        'N_TEL',
        'MAIL',
        'WEBSITE',
        'latitude',
        'longitude',
        'BAN_adress',
        'BAN_city',
      ),
    );
    expect(roles).toMatchObject({
      name: 'NOM_DISPOSITIF',
      address: 'ADRESSE',
      postcode: 'CODE_POSTAL',
      city: 'VILLE',
      phone: 'N_TEL',
      email: 'MAIL',
      website: 'WEBSITE',
    });
  });

  it('reads the BFC list with lon/lat and an update date, and Acceslibre’s short names', () => {
    expect(
      deriveFieldRoles(
        named(
          'bfc_id',
          'mise_a_jour',
          'lon',
          'lat',
          'adresse',
          'code_postal',
          'ville',
          'departement',
          'nom_structure',
          'contact_email',
          'contact_tel',
        ),
      ),
    ).toMatchObject({
      name: 'nom_structure',
      latitude: 'lat',
      longitude: 'lon',
      updatedAt: 'mise_a_jour',
      phone: 'contact_tel',
      email: 'contact_email',
    });
    expect(deriveFieldRoles(named('nom', 'adr', 'vil', 'cp', 'lng', 'lat', 'id', 'act'))).toEqual({
      name: 'nom',
      address: 'adr',
      city: 'vil',
      postcode: 'cp',
      latitude: 'lat',
      longitude: 'lng',
    });
  });

  it('uses titles when names say nothing, and a point column when there is no latitude', () => {
    expect(
      deriveFieldRoles([
        { name: 'c1', title: 'Nom du lieu' },
        { name: 'c2', title: 'Téléphone' },
        { name: 'c3', title: 'N° SIRET' },
        { name: 'geo_point_2d', title: 'Position' },
        { name: 'name', title: 'Name' },
      ]),
    ).toEqual({ name: 'c1', phone: 'c2', siret: 'c3', point: 'geo_point_2d' });
  });

  it('gives a role to one field only and no role to unknown columns', () => {
    const roles = deriveFieldRoles(named('nom', 'name', 'horaires', 'accessibilite'));
    expect(roles).toEqual({ name: 'nom' });
  });
});
