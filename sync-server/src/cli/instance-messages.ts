/**
 * What `datapatch backup`, `restore`, `migrate` and `store copy` say, in French and English (same
 * language rule as messages.ts). Refusal codes stay in English in both: they are for scripts.
 */

const en = {
  backupUsage: `Usage: datapatch backup --out FILE [--data DIR]

Writes a consistent copy of the data folder's database (documents, datasets, accounts, roles,
proposals, receipts) to FILE, which must not exist. Safe while "datapatch serve" runs: the copy
is one snapshot, edits made during it go to the next backup. DIR defaults to ./data
(DATAPATCH_DATA_DIR). With --database-url the documents are on PostgreSQL: back that up with
pg_dump. Exit codes: 0 written, 1 refused or failed, 2 bad arguments.
`,
  restoreUsage: `Usage: datapatch restore --from FILE [--data DIR] [--replace]

Puts a backup made by "datapatch backup" back as the data folder's database. Refused while a
"datapatch serve" uses the folder, when FILE is not an intact Data Patch backup, and when the
folder already holds a database, unless --replace. Exit codes: 0 restored, 1 refused or failed,
2 bad arguments.
`,
  migrateUsage: `Usage: datapatch migrate [--database-url URL] [--data DIR]

Brings the tables up to date and prints the migrations it applied: on PostgreSQL with
--database-url (DATAPATCH_DATABASE_URL), else in the data folder DIR (./data, DATAPATCH_DATA_DIR).
"datapatch serve" does the same at start; this command lets you do it before. Exit codes: 0 up to
date, 1 failed, 2 bad arguments.
`,
  copyUsage: `Usage: datapatch store copy --from SOURCE --to TARGET [--replace]

Copies a whole instance (update log of every document, datasets, accounts, sessions, roles, hubs,
invites, proposals, receipts…) from SOURCE to TARGET, each a data folder or a postgres:// URL,
then checks it: rows per table equal, and every document's state equal on both sides. The target
must be empty unless --replace (its rows are then deleted first, in the same transaction). The
source is read in one snapshot; a data folder target must not be served during the copy.
Exit codes: 0 copied and checked, 1 refused, failed or not equal, 2 bad arguments.
`,
  badArguments: (detail: string, command: string) =>
    `datapatch: ${detail}\nRun "datapatch ${command} --help" for the options.`,
  missing: (flag: string) => `${flag} is required`,
  extraArguments: (text: string) => `unexpected argument "${text}"`,
  backupWritten: (file: string, bytes: number) => `Backup written: ${file} (${bytes} bytes).`,
  restored: (dir: string) => `Restored into ${dir}. Start "datapatch serve" to serve it.`,
  rowsLine: (table: string, rows: number) => `  ${table}: ${rows} rows`,
  refused: (code: string, detail: string) => `datapatch: ${detail} (${code})`,
  migrated: (where: string, applied: readonly string[]) =>
    applied.length === 0
      ? `${where}: up to date, no migration applied.`
      : `${where}: applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`,
  copying: (from: string, to: string) => `Copying ${from} to ${to}…`,
  copied: (tables: number, rooms: number) =>
    `Copied and checked: ${tables} tables with equal row counts, ${rooms} documents with equal states.`,
  leftBehind: (tables: readonly string[]) =>
    `Not copied (the target has no such table): ${tables.join(', ')}.`,
  renumbered: 'The update log was renumbered in order (a data folder counts one sequence for all documents).',
};

export type CliInstanceMessages = typeof en;

const fr: CliInstanceMessages = {
  backupUsage: `Usage : datapatch backup --out FICHIER [--data DOSSIER]

Écrit dans FICHIER, qui ne doit pas exister, une copie cohérente de la base du dossier de données
(documents, jeux de données, comptes, rôles, propositions, reçus). Sans danger pendant que
« datapatch serve » tourne : la copie est un instantané, les modifications faites pendant iront
dans la sauvegarde suivante. DOSSIER vaut ./data par défaut (DATAPATCH_DATA_DIR). Avec
--database-url les documents sont dans PostgreSQL : sauvegardez-le avec pg_dump.
Codes de sortie : 0 écrit, 1 refusé ou échec, 2 arguments invalides.
`,
  restoreUsage: `Usage : datapatch restore --from FICHIER [--data DOSSIER] [--replace]

Remet une sauvegarde faite par « datapatch backup » comme base du dossier de données. Refusé tant
qu'un « datapatch serve » utilise le dossier, quand FICHIER n'est pas une sauvegarde Data Patch
intacte, et quand le dossier a déjà une base, sauf avec --replace. Codes de sortie : 0 restauré,
1 refusé ou échec, 2 arguments invalides.
`,
  migrateUsage: `Usage : datapatch migrate [--database-url URL] [--data DOSSIER]

Met les tables à jour et affiche les migrations appliquées : dans PostgreSQL avec --database-url
(DATAPATCH_DATABASE_URL), sinon dans le dossier de données DOSSIER (./data, DATAPATCH_DATA_DIR).
« datapatch serve » le fait aussi au démarrage ; cette commande permet de le faire avant. Codes de
sortie : 0 à jour, 1 échec, 2 arguments invalides.
`,
  copyUsage: `Usage : datapatch store copy --from SOURCE --to CIBLE [--replace]

Copie une instance entière (journal de chaque document, jeux de données, comptes, sessions, rôles,
hubs, invitations, propositions, reçus…) de SOURCE vers CIBLE, chacune un dossier de données ou une
URL postgres://, puis vérifie : autant de lignes par table, et l'état de chaque document égal des
deux côtés. La cible doit être vide, sauf avec --replace (ses lignes sont alors effacées d'abord,
dans la même transaction). La source est lue en un seul instantané ; un dossier cible ne doit pas
être servi pendant la copie. Codes de sortie : 0 copié et vérifié, 1 refusé, échec ou différent,
2 arguments invalides.
`,
  badArguments: (detail: string, command: string) =>
    `datapatch : ${detail}\nLancez « datapatch ${command} --help » pour les options.`,
  missing: (flag: string) => `${flag} est obligatoire`,
  extraArguments: (text: string) => `argument inattendu « ${text} »`,
  backupWritten: (file: string, bytes: number) => `Sauvegarde écrite : ${file} (${bytes} octets).`,
  restored: (dir: string) => `Restauré dans ${dir}. Lancez « datapatch serve » pour le servir.`,
  rowsLine: (table: string, rows: number) => `  ${table} : ${rows} lignes`,
  refused: (code: string, detail: string) => `datapatch : ${detail} (${code})`,
  migrated: (where: string, applied: readonly string[]) =>
    applied.length === 0
      ? `${where} : à jour, aucune migration appliquée.`
      : `${where} : ${applied.length} migration(s) appliquée(s) :\n${applied.map((name) => `  ${name}`).join('\n')}`,
  copying: (from: string, to: string) => `Copie de ${from} vers ${to}…`,
  copied: (tables: number, rooms: number) =>
    `Copié et vérifié : ${tables} tables avec autant de lignes, ${rooms} documents dans le même état.`,
  leftBehind: (tables: readonly string[]) =>
    `Non copiées (la cible n'a pas ces tables) : ${tables.join(', ')}.`,
  renumbered:
    'Le journal a été renuméroté dans le même ordre (un dossier de données compte une seule suite pour tous les documents).',
};

export function cliInstanceMessages(env: NodeJS.ProcessEnv = process.env): CliInstanceMessages {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('fr') ? fr : en;
}
