/**
 * What `datapatch import`, `validate` and `export` say, in French and English (same language
 * rule as cli-messages.ts). Error codes stay in English in both: they are for scripts and searches.
 */
import type { RepairWarning } from '@datapatch/io';
import type { ValidationError } from '@datapatch/schema';

const en = {
  importUsage: `Usage: datapatch import FILE [--schema S] [--custom-props P] [--dataset ID] [--title T] [--data DIR] [--strict] [--accept-repairs]

Imports FILE (CSV, TSV, XLSX, JSON, GeoJSON) into the data folder: creates the dataset or appends
to it, validating the rows against S (a Table Schema, Datami field list or JSON Schema), else the
stored schema, else one inferred from the file. P: Datami custom props (*-fields-custom-props.json:
OUI/NON booleans, tag separators) applied to that schema. Every repair the file needed (renamed
headers, padded rows, quotes…) is listed with its line. A quote that nothing closes refuses the
file unless --accept-repairs (the quote is then read as a character). --strict refuses the file
when a row fails the schema or the file needed any repair. A refused file writes nothing.
Do not run it while a server serves the same data folder: the server would not see the new rows
until the dataset leaves its memory. Import through POST /api/datasets/<id>/import instead.
`,
  validateUsage: `Usage: datapatch validate FILE --schema S [--custom-props P] [--format text|json] [--strict] [--accept-repairs]

Prints every repair FILE needed (with its line), then every error of FILE against S, cell by cell:
a Table Schema, a Datami field list (with its custom props P, *-fields-custom-props.json) or a JSON
Schema (draft-07, 2019-09, 2020-12). A quote that nothing closes is an error unless
--accept-repairs; --strict makes any repair an error. Exit code 0 when valid, 1 when invalid,
refused or unreadable, 2 for bad arguments or a schema that cannot be used (schema_invalid,
schema_kind_unsupported, custom_props_invalid).
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
  schemaFile: (path: string, problem: string) =>
    `the schema ${path} (${problem}): ${
      {
        'schema-missing': 'no such file',
        'schema-unreadable': 'cannot be read',
        'schema-binary': 'is a binary file, not a JSON schema',
        'schema-not-json': 'is not valid JSON',
      }[problem] ?? problem
    }`,
  repairsHeading: (n: number) => `${n} repair${n > 1 ? 's' : ''}:`,
  repair: (w: RepairWarning) =>
    `  ${w.line === null ? '' : `line ${w.line}, `}${w.row === null ? (w.kind.startsWith('header-') ? 'header' : 'file') : `row ${w.row}`}${
      w.column ? `, column ${w.column.position} "${w.column.from}" → "${w.column.to}"` : ''
    }: ${w.kind}${w.detail ? ` (${w.detail})` : ''}`,
  repairsCut: (shown: number, total: number) => `  … ${total - shown} more repairs not listed`,
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
  importUsage: `Usage : datapatch import FICHIER [--schema S] [--custom-props P] [--dataset ID] [--title T] [--data DOSSIER] [--strict] [--accept-repairs]

Importe FICHIER (CSV, TSV, XLSX, JSON, GeoJSON) dans le dossier de données : crée le jeu de données
ou y ajoute les lignes, en les validant avec S (Table Schema, liste de champs Datami ou JSON Schema),
sinon le schéma enregistré, sinon un schéma déduit du fichier. P : propriétés Datami
(*-fields-custom-props.json : booléens OUI/NON, séparateurs d'étiquettes) appliquées à ce schéma.
Chaque réparation du fichier (en-têtes renommés, lignes complétées, guillemets…) est listée avec sa
ligne. Un guillemet que rien ne ferme fait refuser le fichier, sauf avec --accept-repairs (il est
alors lu comme un caractère). --strict refuse le fichier si une ligne est invalide ou si le fichier
a demandé une réparation. Un fichier refusé n'écrit rien.
Ne le lancez pas pendant qu'un serveur sert ce même dossier : le serveur ne verrait les nouvelles
lignes qu'une fois le jeu de données sorti de sa mémoire. Importez alors par POST /api/datasets/<id>/import.
`,
  validateUsage: `Usage : datapatch validate FICHIER --schema S [--custom-props P] [--format text|json] [--strict] [--accept-repairs]

Affiche chaque réparation de FICHIER (avec sa ligne), puis chaque erreur de FICHIER selon S, cellule
par cellule : Table Schema, liste de champs Datami (avec ses propriétés P, *-fields-custom-props.json)
ou JSON Schema (draft-07, 2019-09, 2020-12). Un guillemet que rien ne ferme est une erreur sauf avec
--accept-repairs ; --strict fait de toute réparation une erreur. Code de sortie 0 si valide, 1 si
invalide, refusé ou illisible, 2 si les arguments sont mauvais ou le schéma
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
  schemaFile: (path: string, problem: string) =>
    `le schéma ${path} (${problem}) : ${
      {
        'schema-missing': 'fichier introuvable',
        'schema-unreadable': 'illisible',
        'schema-binary': 'est un fichier binaire, pas un schéma JSON',
        'schema-not-json': 'n’est pas du JSON valide',
      }[problem] ?? problem
    }`,
  repairsHeading: (n: number) => `${n} réparation${n > 1 ? 's' : ''} :`,
  repair: (w: RepairWarning) =>
    `  ${w.line === null ? '' : `ligne ${w.line} du fichier, `}${w.row === null ? (w.kind.startsWith('header-') ? 'en-tête' : 'fichier') : `enregistrement ${w.row}`}${
      w.column ? `, colonne ${w.column.position} « ${w.column.from} » → « ${w.column.to} »` : ''
    } : ${w.kind}${w.detail ? ` (${w.detail})` : ''}`,
  repairsCut: (shown: number, total: number) => `  … ${total - shown} autres réparations non listées`,
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

/** Every repair of an import as lines to print (empty when there was none). */
export function repairLines(
  m: CliDataMessages,
  warnings: readonly RepairWarning[],
  notListed: number,
): string[] {
  if (warnings.length === 0) return [];
  const lines = [m.repairsHeading(warnings.length + notListed)];
  for (const warning of warnings) lines.push(m.repair(warning));
  if (notListed > 0) lines.push(m.repairsCut(warnings.length, warnings.length + notListed));
  return lines;
}

/** Exit codes shared by the three commands. */
export const EXIT = { ok: 0, failed: 1, badArguments: 2 } as const;
