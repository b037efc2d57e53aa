/**
 * What the `datapatch` command says, in French and English; the language follows
 * LC_ALL / LC_MESSAGES / LANG (French when it starts with "fr", English otherwise).
 */

const en = {
  usage: `Usage: datapatch serve [options]

Serves the Data Patch app, its HTTP API under /api and the sync rooms under /sync/<room>.

Options (flag, environment variable, default):
  --port <n>               PORT                          8080
  --host <address>         HOST                          127.0.0.1
  --data <dir>             DATAPATCH_DATA_DIR            ./data
  --app <dir>              DATAPATCH_APP_DIR             app/build of this checkout
  --max-message-bytes <n>  DATAPATCH_MAX_MESSAGE_BYTES   33554432 (32 MiB)
  --room-grace-ms <n>      DATAPATCH_ROOM_GRACE_MS       10000
  --compact-after <n>      DATAPATCH_COMPACT_AFTER       500 (updates per room)
  --database-url <url>     DATAPATCH_DATABASE_URL        none: the update log stays in the data folder
                           (postgres://…: update log, datasets, accounts, proposals)
  --redis-url <url>        DATAPATCH_REDIS_URL           none: one process
                           (redis://…: rooms, presence and rate limits shared with
                           other processes; needs --database-url: see the README)
  --no-demo                DATAPATCH_NO_DEMO=1           do not create the demo dataset
  -h, --help               print this help

Data commands (see "datapatch <command> --help"): import FILE, validate FILE --schema S,
export --dataset ID.

Instance commands (see "datapatch <command> --help"):
  backup --out FILE          a consistent snapshot of the data folder, safe while serving
  restore --from FILE        puts a backup back (not while a server uses the folder)
  migrate [--database-url U] brings the tables up to date and prints what it applied
  store copy --from S --to T copies a whole instance between a data folder and PostgreSQL,
                             then checks it (rows per table, every document's state)
`,
  badFlag: (detail: string) => `datapatch: ${detail}\nRun "datapatch --help" for the options.`,
  badNumber: (name: string, value: string) => `${name} must be a whole number, got "${value}"`,
  badPort: (value: string) => `the port must be between 0 and 65535, got "${value}"`,
  badUrl: (name: string, value: string) => `${name} is not a URL this server can use: "${value}"`,
  redisNeedsDatabase: '--redis-url needs --database-url: processes share their rooms through PostgreSQL',
  unknownCommand: (command: string) =>
    `unknown command "${command}" (commands: serve, import, validate, export, user, backup, restore, migrate, store)`,
  listening: (url: string, dataDir: string) => `Data Patch listening on ${url} (data in ${dataDir})`,
  noApp: 'No built app found (run "pnpm build"): serving the API and sync only.',
  storage: (log: string, dataDir: string) =>
    `Update log, dataset list, proposals, accounts and roles: ${log}. Sign-in limits: SQLite in ${dataDir} (this process only).`,
  severalProcesses: (redisUrl: string) =>
    `Rooms, presence, rate limits and changes of rights kept in step with other processes through Redis at ${redisUrl}.`,
  startFailed: (code: string, detail: string) =>
    ({
      'database-unreachable': `cannot use the database: ${detail}`,
      'database-url-invalid': `cannot use the database: ${detail}`,
      'redis-unreachable': `cannot use Redis: ${detail}`,
      'redis-url-invalid': `cannot use Redis: ${detail}`,
      'data-folder-in-use': `${detail}: another "datapatch serve" already uses this data folder; stop it or pass another --data`,
    })[code] ?? detail,
  stopping: 'Stopping: saving every update…',
  stopped: 'Stopped.',
};

const fr: typeof en = {
  usage: `Usage : datapatch serve [options]

Sert l'application Data Patch, son API HTTP sous /api et les salons de synchronisation sous /sync/<salon>.

Options (drapeau, variable d'environnement, valeur par défaut) :
  --port <n>               PORT                          8080
  --host <adresse>         HOST                          127.0.0.1
  --data <dossier>         DATAPATCH_DATA_DIR            ./data
  --app <dossier>          DATAPATCH_APP_DIR             app/build de ce dépôt
  --max-message-bytes <n>  DATAPATCH_MAX_MESSAGE_BYTES   33554432 (32 Mio)
  --room-grace-ms <n>      DATAPATCH_ROOM_GRACE_MS       10000
  --compact-after <n>      DATAPATCH_COMPACT_AFTER       500 (mises à jour par salon)
  --database-url <url>     DATAPATCH_DATABASE_URL        aucune : le journal reste dans le dossier de données
                           (postgres://… : journal, jeux de données, comptes, propositions)
  --redis-url <url>        DATAPATCH_REDIS_URL           aucune : un seul processus
                           (redis://… : salons, présence et limites partagés entre
                           processus ; demande --database-url : voir le README)
  --no-demo                DATAPATCH_NO_DEMO=1           ne pas créer le jeu de données de démonstration
  -h, --help               afficher cette aide

Commandes de données (voir « datapatch <commande> --help ») : import FICHIER,
validate FICHIER --schema S, export --dataset ID.

Commandes de l'instance (voir « datapatch <commande> --help ») :
  backup --out FICHIER       un instantané cohérent du dossier de données, même pendant le service
  restore --from FICHIER     remet une sauvegarde (pas tant qu'un serveur utilise le dossier)
  migrate [--database-url U] met les tables à jour et affiche ce qui a été appliqué
  store copy --from S --to C copie une instance entière entre un dossier de données et
                             PostgreSQL, puis la vérifie (lignes par table, état de chaque document)
`,
  badFlag: (detail: string) => `datapatch : ${detail}\nLancez « datapatch --help » pour voir les options.`,
  badNumber: (name: string, value: string) => `${name} doit être un nombre entier, reçu « ${value} »`,
  badPort: (value: string) => `le port doit être compris entre 0 et 65535, reçu « ${value} »`,
  badUrl: (name: string, value: string) =>
    `${name} n'est pas une URL utilisable par ce serveur : « ${value} »`,
  redisNeedsDatabase:
    '--redis-url demande --database-url : les processus partagent leurs salons par PostgreSQL',
  unknownCommand: (command: string) =>
    `commande inconnue « ${command} » (commandes : serve, import, validate, export, user, backup, restore, migrate, store)`,
  listening: (url: string, dataDir: string) => `Data Patch écoute sur ${url} (données dans ${dataDir})`,
  noApp:
    "Pas d'application construite (lancez « pnpm build ») : seules l'API et la synchronisation sont servies.",
  storage: (log: string, dataDir: string) =>
    `Journal des modifications, liste des jeux de données, propositions, comptes et rôles : ${log}. Limites de connexion : SQLite dans ${dataDir} (ce processus seulement).`,
  severalProcesses: (redisUrl: string) =>
    `Salons, présences, limites et changements de droits tenus à jour avec les autres processus par Redis à ${redisUrl}.`,
  startFailed: (code: string, detail: string) =>
    ({
      'database-unreachable': `impossible d'utiliser la base de données : ${detail}`,
      'database-url-invalid': `impossible d'utiliser la base de données : ${detail}`,
      'redis-unreachable': `impossible d'utiliser Redis : ${detail}`,
      'redis-url-invalid': `impossible d'utiliser Redis : ${detail}`,
      'data-folder-in-use': `${detail} : un autre « datapatch serve » utilise déjà ce dossier de données ; arrêtez-le ou passez un autre --data`,
    })[code] ?? detail,
  stopping: 'Arrêt : enregistrement de toutes les mises à jour…',
  stopped: 'Arrêté.',
};

export type CliMessages = typeof en;

export function cliMessages(env: NodeJS.ProcessEnv = process.env): CliMessages {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('fr') ? fr : en;
}
