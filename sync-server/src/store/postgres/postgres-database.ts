/**
 * Opens the instance's PostgreSQL database (node-postgres pool) and brings its tables up to
 * date. Invariants: every connection runs with `synchronous_commit = on`, so a COMMIT returns
 * once it is flushed; migrations run one process at a time (advisory lock) and each is recorded
 * in `datapatch_migrations` in the transaction that applied it.
 */
import pg from 'pg';
import { UpdateStoreError } from '../update-store.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export interface PostgresDatabase {
  pool: pg.Pool;
  /** Versions applied by this open (empty when the schema was up to date). */
  applied: number[];
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** Connections in the pool; appends are serialised by the group commit, reads are not. */
  maxConnections?: number;
  /** How long to wait for the server at start before saying it is unreachable. */
  connectTimeoutMs?: number;
}

/** Deadlock and serialisation failures roll the whole transaction back: running it again is safe. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/** Runs `work` in a transaction of its own connection; run again (up to 3 times) on a deadlock. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (error as { code?: string }).code;
      if (attempt < ATTEMPTS && code !== undefined && RETRYABLE.has(code)) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Hides the password of a connection URL, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

export async function openPostgres(
  url: string,
  options: PostgresOptions = {},
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<PostgresDatabase> {
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new UpdateStoreError('database-url-invalid', `not a postgres:// URL: ${redactUrl(url)}`);
  const { connectionString, options: ownOptions } = splitOptions(url);
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 8,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // Never rely on the server's default: "durable" must mean flushed before COMMIT returns.
    // Last wins: the URL's own settings (a test's search_path) are kept, this one is forced.
    options: `${ownOptions} -c synchronous_commit=on`.trim(),
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', (error) => console.error('datapatch: a PostgreSQL connection failed', error.message));
  let applied: number[];
  try {
    applied = await migrate(pool, migrations);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const { code, message } = error as { code?: string; message?: string };
    throw new UpdateStoreError(
      code ?? 'database-unreachable',
      `PostgreSQL at ${redactUrl(url)}: ${message ?? String(error)}`,
    );
  }
  let closed: Promise<void> | null = null;
  return {
    pool,
    applied,
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

/** node-postgres lets the URL's `options` override the pool's: take them out to merge them. */
function splitOptions(url: string): { connectionString: string; options: string } {
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options') ?? '';
  parsed.searchParams.delete('options');
  return { connectionString: parsed.toString(), options };
}

async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two processes starting together: the second waits here, then finds the work done.
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('datapatch-migrate:' || current_schema(), 0))`,
    );
    await client.query(
      `CREATE TABLE IF NOT EXISTS datapatch_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await client.query<{ version: number }>('SELECT version FROM datapatch_migrations');
    const have = new Set(done.rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (have.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO datapatch_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
