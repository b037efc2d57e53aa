// Import failures a user can cause (empty, binary, too big, broken file) are values, never throws.
// Every failure has a stable `code` (asserted by tests) and a message in French and English.

export type ImportErrorCode =
  | 'file-empty'
  | 'file-too-large'
  | 'file-binary'
  | 'format-unknown'
  | 'csv-no-header'
  | 'csv-unclosed-quote'
  | 'repairs-refused'
  | 'xlsx-invalid'
  | 'xlsx-zip-bomb'
  | 'xlsx-sheet-not-found'
  | 'json-invalid'
  | 'json-not-a-table'
  | 'geojson-not-feature-collection';

export interface ImportError {
  code: ImportErrorCode;
  message: { fr: string; en: string };
}

export interface ImportFailure {
  ok: false;
  error: ImportError;
}

const messages: Record<ImportErrorCode, { fr: string; en: string }> = {
  'file-empty': { fr: 'Le fichier est vide.', en: 'The file is empty.' },
  'file-too-large': {
    fr: 'Le fichier dépasse la taille maximale acceptée ({limit} octets).',
    en: 'The file is larger than the accepted maximum ({limit} bytes).',
  },
  'file-binary': {
    fr: 'Le fichier semble binaire : ce n’est ni un CSV, ni un JSON, ni un XLSX.',
    en: 'The file looks binary: it is neither CSV, JSON nor XLSX.',
  },
  'format-unknown': {
    fr: 'Format de fichier non reconnu ({detail}).',
    en: 'Unrecognised file format ({detail}).',
  },
  'csv-no-header': {
    fr: 'Le fichier CSV n’a pas de ligne d’en-tête.',
    en: 'The CSV file has no header line.',
  },
  'csv-unclosed-quote': {
    fr: 'Un guillemet ouvert ligne {line} n’est jamais fermé : les lignes suivantes seraient lues dans une seule cellule. Corrigez le fichier, ou acceptez la réparation (le guillemet est gardé comme un caractère et la cellule s’arrête au séparateur suivant).',
    en: 'A quote opened on line {line} is never closed: the following lines would be read into one cell. Fix the file, or accept the repair (the quote is kept as a character and the cell ends at the next separator).',
  },
  'repairs-refused': {
    fr: 'Mode strict : le fichier a demandé {count} réparation(s), la première ligne {line} ({kind}). Rien n’a été importé.',
    en: 'Strict mode: the file needed {count} repair(s), the first on line {line} ({kind}). Nothing was imported.',
  },
  'xlsx-invalid': {
    fr: 'Le classeur XLSX est illisible ou tronqué ({detail}).',
    en: 'The XLSX workbook is unreadable or truncated ({detail}).',
  },
  'xlsx-zip-bomb': {
    fr: 'Le classeur XLSX se décompresse en plus de {limit} octets : refusé.',
    en: 'The XLSX workbook expands to more than {limit} bytes: refused.',
  },
  'xlsx-sheet-not-found': {
    fr: 'La feuille « {detail} » n’existe pas dans ce classeur.',
    en: 'Sheet "{detail}" does not exist in this workbook.',
  },
  'json-invalid': {
    fr: 'Le JSON est invalide ou tronqué ({detail}).',
    en: 'The JSON is invalid or truncated ({detail}).',
  },
  'json-not-a-table': {
    fr: 'Le JSON doit être un tableau d’objets.',
    en: 'The JSON must be an array of objects.',
  },
  'geojson-not-feature-collection': {
    fr: 'Le GeoJSON doit être une FeatureCollection.',
    en: 'The GeoJSON must be a FeatureCollection.',
  },
};

export function importFailure(
  code: ImportErrorCode,
  params: Record<string, string | number> = {},
): ImportFailure {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
  const template = messages[code];
  return { ok: false, error: { code, message: { fr: fill(template.fr), en: fill(template.en) } } };
}
