/**
 * What `datapatch import`, `validate` and `export` say, in French and English (same language
 * rule as cli-messages.ts). Error codes stay in English in both: they are for scripts and searches.
 */
import type { ValidationError } from '@datapatch/schema';

const en = {
  importUsage: `Usage: datapatch import FILE [--schema S] [--custom-props P] [--dataset ID] [--title T] [--data DIR] [--strict]

Imports FILE (CSV, TSV, XLSX, JSON, GeoJSON) into the data folder: creates the dataset or appends
to it, validating the rows against S (a Table Schema, Datami field list or JSON Schema), else the
stored schema, else one inferred from the file. P: Datami custom props (*-fields-custom-props.json:
OUI/NON booleans, tag separators) applied to that schema. --strict refuses the file when a row fails
the schema.
Do not run it while a server serves the same data folder: the server would not see the new rows
until the dataset leaves its memory. Import through POST /api/datasets/<id>/import instead.
`,
  validateUsage: `Usage: datapatch validate FILE --schema S [--custom-props P] [--format text|json]

Prints every error of FILE against S, cell by cell: a Table Schema, a Datami field list (with its
custom props P, *-fields-custom-props.json) or a JSON Schema (draft-07, 2019-09, 2020-12). Exit code
0 when valid, 1 when invalid or unreadable, 2 for bad arguments or a schema that cannot be used
(schema_invalid, schema_kind_unsupported, custom_props_invalid).
`,
  exportUsage: `Usage: datapatch export --dataset ID [--format csv|xlsx|json|geojson|datapackage]
                        [--bom] [--separator ',' | ';' | tab] [--for excel] [--out FILE] [--data DIR]

Writes the validated rows of a dataset (default CSV, to standard output). The CSV holds every
value exactly as stored. --for excel writes a copy for spreadsheets instead: a byte order mark,
';' (unless --separator), and an apostrophe before text a spreadsheet could run as a formula
(never before a number, a coordinate pair or a phone number).
`,
  badFlag: (detail: string, command: string) =>
    `datapatch ${command}: ${detail}\nRun "datapatch ${command} --help" for the options.`,
  missing: (what: string) => `${what} is required`,
  badChoice: (flag: string, value: string, allowed: string) =>
    `${flag} must be one of ${allowed}, got "${value}"`,
  badDatasetId: (id: string) => `"${id}" is not a dataset id (1-64 letters, digits, - or _)`,
  unreadable: (path: string, reason: string) => `cannot read ${path}: ${reason}`,
  noDataFolder: (dir: string) => `no Data Patch data in ${dir}`,
  noDataset: (id: string) => `no dataset "${id}" in this data folder`,
  refused: (code: string, message: string) => `refused (${code}): ${message}`,
  imported: (rows: number, id: string, created: boolean, source: string) =>
    `${created ? 'Created' : 'Appended to'} dataset "${id}": ${rows} rows (schema: ${source}).`,
  serverWarning:
    'Note: if a server serves this data folder, it sees these rows only once the dataset leaves its memory.',
  valid: (rows: number) => `Valid: ${rows} rows, no error.`,
  invalid: (rows: number, errors: number) => `Invalid: ${errors} errors in ${rows} rows.`,
  more: (n: number) => `… and ${n} more`,
  error: (e: ValidationError) =>
    `${e.row === null ? 'header' : `row ${e.row}`}${e.field ? `, field "${e.field}"` : ''}: ${e.code}${
      e.constraint ? ` (${e.constraint})` : ''
    } — ${e.message.en}${e.value !== undefined && e.value !== null ? ` [value: ${JSON.stringify(e.value)}]` : ''}`,
  wrote: (bytes: number, path: string) => `Wrote ${bytes} bytes to ${path}.`,
};

const fr: typeof en = {
  importUsage: `Usage : datapatch import FICHIER [--schema S] [--custom-props P] [--dataset ID] [--title T] [--data DOSSIER] [--strict]

Importe FICHIER (CSV, TSV, XLSX, JSON, GeoJSON) dans le dossier de données : crée le jeu de données
ou y ajoute les lignes, en les validant avec S (Table Schema, liste de champs Datami ou JSON Schema),
sinon le schéma enregistré, sinon un schéma déduit du fichier. P : propriétés Datami
(*-fields-custom-props.json : booléens OUI/NON, séparateurs d'étiquettes) appliquées à ce schéma.
--strict refuse le fichier si une ligne est invalide.
Ne le lancez pas pendant qu'un serveur sert ce même dossier : le serveur ne verrait les nouvelles
lignes qu'une fois le jeu de données sorti de sa mémoire. Importez alors par POST /api/datasets/<id>/import.
`,
  validateUsage: `Usage : datapatch validate FICHIER --schema S [--custom-props P] [--format text|json]

Affiche chaque erreur de FICHIER selon S, cellule par cellule : Table Schema, liste de champs Datami
(avec ses propriétés P, *-fields-custom-props.json) ou JSON Schema (draft-07, 2019-09, 2020-12).
Code de sortie 0 si valide, 1 si invalide ou illisible, 2 si les arguments sont mauvais ou le schéma
inutilisable (schema_invalid, schema_kind_unsupported, custom_props_invalid).
`,
  exportUsage: `Usage : datapatch export --dataset ID [--format csv|xlsx|json|geojson|datapackage]
                        [--bom] [--separator ',' | ';' | tab] [--for excel] [--out FICHIER] [--data DOSSIER]

Écrit les lignes validées d'un jeu de données (CSV par défaut, sur la sortie standard). Le CSV
contient chaque valeur telle qu'enregistrée. --for excel écrit plutôt une copie pour tableur :
marque d'ordre des octets, ';' (sauf --separator) et une apostrophe devant un texte qu'un tableur
pourrait exécuter comme formule (jamais devant un nombre, des coordonnées ou un téléphone).
`,
  badFlag: (detail: string, command: string) =>
    `datapatch ${command} : ${detail}\nLancez « datapatch ${command} --help » pour voir les options.`,
  missing: (what: string) => `${what} est obligatoire`,
  badChoice: (flag: string, value: string, allowed: string) =>
    `${flag} doit valoir ${allowed}, reçu « ${value} »`,
  badDatasetId: (id: string) =>
    `« ${id} » n'est pas un identifiant de jeu de données (1 à 64 lettres, chiffres, - ou _)`,
  unreadable: (path: string, reason: string) => `impossible de lire ${path} : ${reason}`,
  noDataFolder: (dir: string) => `pas de données Data Patch dans ${dir}`,
  noDataset: (id: string) => `pas de jeu de données « ${id} » dans ce dossier`,
  refused: (code: string, message: string) => `refusé (${code}) : ${message}`,
  imported: (rows: number, id: string, created: boolean, source: string) =>
    `${created ? 'Jeu de données créé' : 'Lignes ajoutées au jeu de données'} « ${id} » : ${rows} lignes (schéma : ${source}).`,
  serverWarning:
    "Note : si un serveur sert ce dossier, il ne verra ces lignes qu'une fois le jeu de données sorti de sa mémoire.",
  valid: (rows: number) => `Valide : ${rows} lignes, aucune erreur.`,
  invalid: (rows: number, errors: number) => `Invalide : ${errors} erreurs dans ${rows} lignes.`,
  more: (n: number) => `… et ${n} de plus`,
  error: (e: ValidationError) =>
    `${e.row === null ? 'en-tête' : `ligne ${e.row}`}${e.field ? `, champ « ${e.field} »` : ''} : ${e.code}${
      e.constraint ? ` (${e.constraint})` : ''
    } — ${e.message.fr}${e.value !== undefined && e.value !== null ? ` [valeur : ${JSON.stringify(e.value)}]` : ''}`,
  wrote: (bytes: number, path: string) => `${bytes} octets écrits dans ${path}.`,
};

export type CliDataMessages = typeof en;

export function cliDataMessages(env: NodeJS.ProcessEnv = process.env): CliDataMessages {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('fr') ? fr : en;
}

/** Exit codes shared by the three commands. */
export const EXIT = { ok: 0, failed: 1, badArguments: 2 } as const;
