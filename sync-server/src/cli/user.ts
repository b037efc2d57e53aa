/**
 * `datapatch user add --email E [--password-stdin | --password P] [--name N] [--hub H] [--data D]
 * [--database-url URL]`: creates a hub member's account where the server keeps accounts (PostgreSQL
 * with a database URL, else the data folder's database) (optionally in hub H, created
 * if no hub has that name). Exit codes: 0 created, 1 refused (taken email, weak password…),
 * 2 bad arguments. The password never appears in the output.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addHubMember, createHub, createUser, messageFor, systemDependencies } from '../access/index.ts';
import { PostgresAccessStore } from '../store/postgres/postgres-access-store.ts';
import { openPostgres, type PostgresDatabase } from '../store/postgres/postgres-database.ts';
import { openSqliteAccessStore } from '../store/sqlite/sqlite-access-store.ts';
import { openDatabase } from '../store/sqlite/sqlite-database.ts';

type Language = 'fr' | 'en';

export function languageOf(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const texts = {
  en: {
    usage: `Usage: datapatch user add --email E [--password-stdin | --password P] [--name N] [--hub H] [--data DIR] [--database-url URL]

Creates a hub member's account. --password-stdin reads the password from standard input
(recommended: --password shows it to other users of this machine). DIR defaults to ./data
(DATAPATCH_DATA_DIR). With --database-url (DATAPATCH_DATABASE_URL) the account is made in that
PostgreSQL database, as the server started with it keeps its accounts there.
`,
    created: (email: string, id: string) => `Account created: ${email} (id ${id})`,
    inHub: (hub: string) => `Member of hub "${hub}".`,
    noPassword: 'Give a password with --password-stdin or --password.',
    unreachable: (reason: string) => `datapatch: cannot open the database: ${reason}`,
    insecureOpenAccess:
      'WARNING: DATAPATCH_INSECURE_OPEN_ACCESS=1: every room is writable by anyone. For tests only.',
  },
  fr: {
    usage: `Usage : datapatch user add --email E [--password-stdin | --password P] [--name N] [--hub H] [--data DOSSIER] [--database-url URL]

Crée le compte d'un membre de hub. --password-stdin lit le mot de passe sur l'entrée standard
(recommandé : --password le montre aux autres utilisateurs de la machine). DOSSIER vaut ./data
par défaut (DATAPATCH_DATA_DIR). Avec --database-url (DATAPATCH_DATABASE_URL), le compte est créé
dans cette base PostgreSQL, là où le serveur lancé avec elle garde ses comptes.
`,
    created: (email: string, id: string) => `Compte créé : ${email} (id ${id})`,
    inHub: (hub: string) => `Membre du hub « ${hub} ».`,
    noPassword: 'Donnez un mot de passe avec --password-stdin ou --password.',
    unreachable: (reason: string) => `datapatch : impossible d'ouvrir la base de données : ${reason}`,
    insecureOpenAccess:
      "ATTENTION : DATAPATCH_INSECURE_OPEN_ACCESS=1 : n'importe qui peut écrire dans tous les salons. Pour les tests seulement.",
  },
};

export function userTexts(env: NodeJS.ProcessEnv) {
  return texts[languageOf(env)];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function runUserCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const language = languageOf(env);
  const t = texts[language];
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        name: { type: 'string' },
        hub: { type: 'string' },
        data: { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`datapatch: ${(error as Error).message}\n${t.usage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(t.usage);
    return 0;
  }
  if (positionals[0] !== 'add' || positionals.length !== 1 || typeof values.email !== 'string') {
    console.error(t.usage);
    return 2;
  }
  const password =
    values['password-stdin'] === true
      ? await readStdin()
      : typeof values.password === 'string'
        ? values.password
        : undefined;
  if (password === undefined) {
    console.error(t.noPassword);
    return 2;
  }
  const dataDir = typeof values.data === 'string' ? values.data : (env.DATAPATCH_DATA_DIR ?? './data');
  const databaseUrl =
    typeof values['database-url'] === 'string'
      ? values['database-url']
      : (env.DATAPATCH_DATABASE_URL ?? null);
  let postgres: PostgresDatabase | null = null;
  if (databaseUrl) {
    try {
      postgres = await openPostgres(databaseUrl, { maxConnections: 2 });
    } catch (error) {
      console.error(t.unreachable((error as Error).message));
      return 2;
    }
  }
  const db = openDatabase(join(dataDir));
  try {
    const store = postgres ? new PostgresAccessStore(postgres) : openSqliteAccessStore(db);
    const deps = systemDependencies(store);
    const created = await createUser(deps, {
      email: values.email,
      password,
      ...(typeof values.name === 'string' ? { displayName: values.name } : {}),
    });
    if (!created.ok) {
      console.error(`datapatch: ${messageFor(created.error.code, language)} (${created.error.code})`);
      return 1;
    }
    console.log(t.created(created.user.email, created.user.id));
    if (typeof values.hub === 'string') {
      const existing = await store.findHubByName(values.hub);
      // The operator at the console adds people in the name of the hub's first admin.
      const admin = existing
        ? (await store.hubMembers(existing.id)).find((member) => member.hubRole === 'admin')
        : undefined;
      const joined = existing
        ? await addHubMember(deps, {
            hubId: existing.id,
            userId: created.user.id,
            by: admin?.userId ?? '',
            hubRole: 'member',
          })
        : await createHub(deps, { name: values.hub, createdBy: created.user.id });
      if (!joined.ok) {
        console.error(`datapatch: ${messageFor(joined.error.code, language)} (${joined.error.code})`);
        return 1;
      }
      console.log(t.inHub(values.hub));
    }
    return 0;
  } finally {
    db.close();
    await postgres?.close();
  }
}
