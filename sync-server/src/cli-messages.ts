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
  --no-demo                DATAPATCH_NO_DEMO=1           do not create the demo dataset
  -h, --help               print this help

Data commands (see "datapatch <command> --help"): import FILE, validate FILE --schema S,
export --dataset ID.
`,
  badFlag: (detail: string) => `datapatch: ${detail}\nRun "datapatch --help" for the options.`,
  badNumber: (name: string, value: string) => `${name} must be a whole number, got "${value}"`,
  badPort: (value: string) => `the port must be between 0 and 65535, got "${value}"`,
  unknownCommand: (command: string) =>
    `unknown command "${command}" (commands: serve, import, validate, export)`,
  listening: (url: string, dataDir: string) => `Data Patch listening on ${url} (data in ${dataDir})`,
  noApp: 'No built app found (run "pnpm build"): serving the API and sync only.',
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
  --no-demo                DATAPATCH_NO_DEMO=1           ne pas créer le jeu de données de démonstration
  -h, --help               afficher cette aide

Commandes de données (voir « datapatch <commande> --help ») : import FICHIER,
validate FICHIER --schema S, export --dataset ID.
`,
  badFlag: (detail: string) => `datapatch : ${detail}\nLancez « datapatch --help » pour voir les options.`,
  badNumber: (name: string, value: string) => `${name} doit être un nombre entier, reçu « ${value} »`,
  badPort: (value: string) => `le port doit être compris entre 0 et 65535, reçu « ${value} »`,
  unknownCommand: (command: string) =>
    `commande inconnue « ${command} » (commandes : serve, import, validate, export)`,
  listening: (url: string, dataDir: string) => `Data Patch écoute sur ${url} (données dans ${dataDir})`,
  noApp:
    "Pas d'application construite (lancez « pnpm build ») : seules l'API et la synchronisation sont servies.",
  stopping: 'Arrêt : enregistrement de toutes les mises à jour…',
  stopped: 'Arrêté.',
};

export type CliMessages = typeof en;

export function cliMessages(env: NodeJS.ProcessEnv = process.env): CliMessages {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('fr') ? fr : en;
}
