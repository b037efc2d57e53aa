import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PostgresAccessStore } from '../store/postgres/postgres-access-store.ts';
import { openPostgres } from '../store/postgres/postgres-database.ts';
import { openSqliteAccessStore } from '../store/sqlite/sqlite-access-store.ts';
import { openDatabase } from '../store/sqlite/sqlite-database.ts';
import { temporaryDataDir } from '../testing/clients.ts';
import { createTestSchema, requireServices } from '../testing/services.ts';
import { runUserCommand } from './user.ts';

const postgres = await requireServices('datapatch user add on PostgreSQL', ['postgres']);
const PASSWORD = 'a passphrase of my own';

describe('datapatch user add', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  beforeEach(() => {
    data = temporaryDataDir();
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    data.remove();
  });

  it('makes the account in the data folder, and a second one with the same email is refused', async () => {
    const args = ['add', '--email', 'Lea@example.org', '--password', PASSWORD, '--hub', 'Tiers-lieu'];
    expect(await runUserCommand([...args, '--data', data.dir], {})).toBe(0);
    expect(await runUserCommand([...args, '--data', data.dir], {})).toBe(1);
    const db = openDatabase(data.dir);
    try {
      const store = openSqliteAccessStore(db);
      const user = await store.findUserByEmail('lea@example.org');
      expect(user).toBeDefined();
      expect(await store.hubsOf(user?.id ?? '')).toMatchObject([{ name: 'Tiers-lieu', hubRole: 'admin' }]);
    } finally {
      db.close();
    }
  });

  // PostgreSQL is not running here (outside CI): requireServices said why; the folder case above still runs.
  it.skipIf(!postgres.available)(
    'with --database-url the account is made in PostgreSQL, where the server keeps them, not in the folder',
    async () => {
      const schema = await createTestSchema();
      try {
        const args = ['add', '--email', 'sam@example.org', '--password', PASSWORD, '--data', data.dir];
        expect(await runUserCommand([...args, '--database-url', schema.url], {})).toBe(0);
        const pg = await openPostgres(schema.url, { maxConnections: 1 });
        try {
          expect(await new PostgresAccessStore(pg).findUserByEmail('sam@example.org')).toBeDefined();
        } finally {
          await pg.close();
        }
        const db = openDatabase(data.dir);
        try {
          expect(await openSqliteAccessStore(db).countUsers()).toBe(0);
        } finally {
          db.close();
        }
        const unreachable = 'postgres://nobody@127.0.0.1:1/none';
        expect(await runUserCommand(args, { DATAPATCH_DATABASE_URL: unreachable })).toBe(2);
      } finally {
        await schema.drop();
      }
    },
  );
});
