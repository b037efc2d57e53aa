// French and English text for every validation error, filled from the error's own data so the
// browser form and the server say the same thing. Codes are Frictionless' names.

import { patternInWords } from './patternInWords.ts';

export type ValidationErrorCode =
  | 'type-error'
  | 'constraint-error'
  | 'missing-cell'
  | 'unique-error'
  | 'primary-key-error'
  | 'blank-row'
  | 'extra-label'
  | 'missing-label'
  | 'custom-check-error';

export type SchemaWarningCode = 'custom-check-unknown' | 'custom-check-column-unknown';

export type ConstraintName =
  | 'required'
  | 'enum'
  | 'pattern'
  | 'minimum'
  | 'maximum'
  | 'exclusiveMinimum'
  | 'exclusiveMaximum'
  | 'minLength'
  | 'maxLength'
  | 'minItems'
  | 'maxItems'
  | 'uniqueItems'
  /** Another JSON Schema rule (`not`, `dependentRequired`…): `expected` names the keyword. */
  | 'schema';

export interface Message {
  fr: string;
  en: string;
}

const constraintText: Record<ConstraintName, Message> = {
  required: { fr: 'une valeur est obligatoire', en: 'a value is required' },
  enum: { fr: 'la valeur doit être l’une de : {expected}', en: 'the value must be one of: {expected}' },
  // Said in words by patternInWords.ts, never as the regex.
  pattern: { fr: '', en: '' },
  minimum: { fr: 'la valeur doit être au moins {expected}', en: 'the value must be at least {expected}' },
  maximum: { fr: 'la valeur doit être au plus {expected}', en: 'the value must be at most {expected}' },
  exclusiveMinimum: {
    fr: 'la valeur doit être supérieure à {expected}',
    en: 'the value must be above {expected}',
  },
  exclusiveMaximum: {
    fr: 'la valeur doit être inférieure à {expected}',
    en: 'the value must be below {expected}',
  },
  minLength: {
    fr: 'au moins {expected} caractères ou éléments',
    en: 'at least {expected} characters or items',
  },
  maxLength: {
    fr: 'au plus {expected} caractères ou éléments',
    en: 'at most {expected} characters or items',
  },
  minItems: { fr: 'au moins {expected} éléments', en: 'at least {expected} items' },
  maxItems: { fr: 'au plus {expected} éléments', en: 'at most {expected} items' },
  uniqueItems: { fr: 'un même élément est répété', en: 'an item is repeated' },
  schema: {
    fr: 'la valeur ne respecte pas la règle « {expected} » du schéma',
    en: 'the value breaks the schema rule "{expected}"',
  },
};

const typeNames: Record<string, Message> = {
  string: { fr: 'un texte', en: 'a text' },
  number: { fr: 'un nombre', en: 'a number' },
  integer: { fr: 'un nombre entier', en: 'a whole number' },
  boolean: { fr: 'une valeur oui/non', en: 'a yes/no value' },
  object: { fr: 'un objet JSON', en: 'a JSON object' },
  array: { fr: 'un tableau JSON', en: 'a JSON array' },
  list: { fr: 'une liste', en: 'a list' },
  date: { fr: 'une date', en: 'a date' },
  time: { fr: 'une heure', en: 'a time' },
  datetime: { fr: 'une date et heure', en: 'a date and time' },
  year: { fr: 'une année', en: 'a year' },
  yearmonth: { fr: 'une année et un mois', en: 'a year and month' },
  duration: { fr: 'une durée ISO 8601', en: 'an ISO 8601 duration' },
  geopoint: { fr: 'un point géographique', en: 'a geographic point' },
  geojson: { fr: 'un objet GeoJSON', en: 'a GeoJSON object' },
  null: { fr: 'vide', en: 'empty' },
};

/** `accepted` lists the spellings a user may type (a boolean's trueValues and falseValues). */
export function typeErrorMessage(
  field: string,
  type: string,
  format: string | undefined,
  accepted?: string[],
): Message {
  // A JSON Schema may accept several types ("string|number"): name each.
  const names = type.split('|').map((t) => typeNames[t] ?? { fr: t, en: t });
  const name = {
    fr: names.map((n) => n.fr).join(' ou '),
    en: names.map((n) => n.en).join(' or '),
  };
  const detail = accepted ? accepted.join(' / ') : format && format !== 'default' ? format : '';
  const fmt = detail ? ` (${detail})` : '';
  return {
    fr: `« ${field} » : la valeur doit être ${name.fr}${fmt}.`,
    en: `"${field}": the value must be ${name.en}${fmt}.`,
  };
}

/** `example` is the field's own example value, shown with a pattern instead of the regex. */
export function constraintErrorMessage(
  field: string,
  constraint: ConstraintName,
  expected: unknown,
  example?: string,
): Message {
  if (constraint === 'pattern') {
    const words = patternInWords(String(expected), example);
    return { fr: `« ${field} » : ${words.fr}.`, en: `"${field}": ${words.en}.` };
  }
  const text = constraintText[constraint];
  const shown = Array.isArray(expected) ? expected.join(', ') : String(expected);
  return {
    fr: `« ${field} » : ${text.fr.replace('{expected}', shown)}.`,
    en: `"${field}": ${text.en.replace('{expected}', shown)}.`,
  };
}

export function rowErrorMessage(
  code: Exclude<ValidationErrorCode, 'type-error' | 'constraint-error' | 'custom-check-error'>,
  detail: string,
): Message {
  switch (code) {
    case 'missing-cell':
      return {
        fr: `La cellule « ${detail} » manque dans cette ligne.`,
        en: `Cell "${detail}" is missing from this row.`,
      };
    case 'unique-error':
      return {
        fr: `« ${detail} » : cette valeur est déjà utilisée par une autre ligne.`,
        en: `"${detail}": this value is already used by another row.`,
      };
    case 'primary-key-error':
      return {
        fr: `La clé primaire (${detail}) est déjà utilisée par une autre ligne.`,
        en: `The primary key (${detail}) is already used by another row.`,
      };
    case 'blank-row':
      return { fr: 'La ligne est vide.', en: 'The row is empty.' };
    case 'extra-label':
      return {
        fr: `La colonne « ${detail} » n’est pas dans le schéma.`,
        en: `Column "${detail}" is not in the schema.`,
      };
    case 'missing-label':
      return {
        fr: `La colonne « ${detail} » du schéma manque dans le fichier.`,
        en: `Schema column "${detail}" is missing from the file.`,
      };
  }
}

/** `problem` is the check's own text (what is wrong with the value), without the field name. */
export function customCheckErrorMessage(field: string, problem: Message): Message {
  return { fr: `« ${field} » : ${problem.fr}.`, en: `"${field}": ${problem.en}.` };
}

export function schemaWarningMessage(code: SchemaWarningCode, check: string, column: string | null): Message {
  const col = column ?? '?';
  if (code === 'custom-check-unknown')
    return {
      fr: `Le contrôle personnalisé « ${check} » (colonne « ${col} ») n’est pas vérifié ici.`,
      en: `Custom check "${check}" (column "${col}") is not checked here.`,
    };
  return {
    fr: `Le contrôle personnalisé « ${check} » porte sur la colonne « ${col} », absente du schéma.`,
    en: `Custom check "${check}" names column "${col}", which is not in the schema.`,
  };
}
