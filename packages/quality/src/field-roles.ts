/**
 * Which column of a dataset holds a place's name, address, postcode, town, phone, e-mail, SIRET,
 * position and update date, read from the schema's field names and titles. Each role goes to at
 * most one field, each field to at most one role; an unknown column gets no role.
 */

import { foldText } from './normalize.ts';

export type FieldRole =
  | 'name'
  | 'address'
  | 'postcode'
  | 'city'
  | 'phone'
  | 'email'
  | 'siret'
  | 'website'
  | 'latitude'
  | 'longitude'
  | 'point'
  | 'updatedAt';

export type FieldRoles = Partial<Record<FieldRole, string>>;

export interface SchemaFieldLike {
  name: string;
  title?: string | undefined;
  type?: string | undefined;
}

/**
 * Per role, patterns on the folded field name or title (words joined by single spaces), best
 * first: a field matching an earlier pattern wins over one matching a later one.
 */
const rolePatterns: [FieldRole, RegExp[]][] = [
  ['siret', [/^(siret|siren|n siret|numero siret|siret structure)$/, /\bsiret\b/, /\bsiren\b/]],
  [
    'email',
    [/^(e ?mail|courriel|mail|contact e ?mail|adresse e ?mail)$/, /\b(e ?mail|courriel)\b/, /\bmail\b/],
  ],
  [
    'phone',
    [
      /^(tel|telephone|phone|n tel|num tel|numero telephone|contact tel|contact telephone)$/,
      /\b(telephone|tel|phone)\b/,
    ],
  ],
  [
    'website',
    [/^(site|site web|site internet|url|website|web)$/, /\b(url|website|site web|site internet)\b/],
  ],
  ['latitude', [/^(lat|latitude|y|ylat|geo point 2d lat|lat coor1)$/, /\blat(itude)?$/]],
  [
    'longitude',
    [/^(lon|lng|long|longitude|x|xlong|geo point 2d long|long coor1)$/, /\b(lon|lng|long|longitude)$/],
  ],
  [
    'point',
    [/^(geo point 2d|geopoint|geo point|coordonnees|coordinates|position|geometry|geom|geo shape|point)$/],
  ],
  [
    'postcode',
    [
      /^(cp|code postal|codepostal|postcode|zip|zipcode|code postal commune)$/,
      /\b(code postal|postcode|cp)\b/,
    ],
  ],
  [
    'city',
    [
      /^(ville|commune|city|vil|lib com|libelle commune|nom commune|com nom|localite|town)$/,
      /\b(ville|commune|city|localite)\b/,
    ],
  ],
  [
    'address',
    [
      /^(adresse|adr|address|adresse postale|voie|adresse complete|adresse ligne 1|rue)$/,
      /^(adresse|address)\b/,
      /\badresse\b/,
    ],
  ],
  [
    'updatedAt',
    [
      /^(date maj|mise a jour|date mise a jour|updated at|last update|derniere mise a jour|maj)$/,
      /\b(maj|mise a jour|updated)\b/,
    ],
  ],
  [
    'name',
    [
      /^(nom|name|nom structure|nom du lieu|nom lieu|lib fs|raison sociale|nom dispositif|nom etablissement|libelle|intitule|titre|title|denomination|enseigne)$/,
      /^(nom|name|libelle|lib)\b/,
      /\b(nom|name)\b/,
    ],
  ],
];

/** Folds a field's name or title: "NOM_DISPOSITIF" → "nom dispositif", "contactEmail" → "contact email". */
function fold(text: string): string {
  return foldText(text.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

export function deriveFieldRoles(fields: readonly SchemaFieldLike[]): FieldRoles {
  const roles: FieldRoles = {};
  const taken = new Set<string>();
  const labels = fields.map((f) => [fold(f.name), f.title ? fold(f.title) : ''] as const);
  for (const [role, patterns] of rolePatterns) {
    search: for (const pattern of patterns) {
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i]!;
        if (taken.has(field.name)) continue;
        const [name, title] = labels[i]!;
        // Geocoder output columns (BAN_…) and complements describe the address, not the place.
        if (role === 'address' && /\b(complement|ban|geocod)/.test(`${name} ${title}`)) continue;
        if (role === 'city' && /\b(code|insee|epci)\b/.test(name)) continue;
        if (
          role === 'name' &&
          /\b(commune|ville|contact|responsable|epci|departement|dep|region)\b/.test(name)
        )
          continue;
        if (pattern.test(name) || (title !== '' && pattern.test(title))) {
          roles[role] = field.name;
          taken.add(field.name);
          break search;
        }
      }
    }
  }
  if (roles.point && roles.latitude && roles.longitude) delete roles.point;
  return roles;
}
