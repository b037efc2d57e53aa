/**
 * What the data commands share: their flags parser (bad input is a value, exit 2) and the
 * data folder's stores. Invariant: a command that only reads (export) never creates a data folder.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DATABASE_FILE, openDatabase } from '../store/sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from '../store/sqlite/sqlite-dataset-registry.ts';
import { SqliteUpdateStore } from '../store/sqlite/sqlite-update-store.ts';

export class BadArguments extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs, with its unknown-flag TypeErrors turned into BadArguments. */
export function parseFlags<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError) throw new BadArguments(error.message);
    throw error;
  }
}

export function dataFolder(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? env.DATAPATCH_DATA_DIR ?? './data');
}

export function hasData(dir: string): boolean {
  return existsSync(join(dir, DATABASE_FILE));
}

export function openStores(dir: string) {
  const db = openDatabase(dir);
  const updates = new SqliteUpdateStore(db);
  const registry = new SqliteDatasetRegistry(db);
  return { updates, registry, close: () => updates.close() };
}
