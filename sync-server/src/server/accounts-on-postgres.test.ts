import { describe, expect, it } from 'vitest';
import { openSqliteAccessStore } from '../store/sqlite/sqlite-access-store.ts';
import { openDatabase } from '../store/sqlite/sqlite-database.ts';
import { startTestServer, temporaryDataDir } from '../testing/clients.ts';
import { createTestSchema, requireServices } from '../testing/services.ts';

const postgres = await requireServices('accounts on PostgreSQL', ['postgres']);
const ADMIN = { email: 'admin@example.org', password: 'the right passphrase' };

// PostgreSQL is not running here (outside CI): requireServices said why; the contract suite runs on SQLite.
describe.skipIf(!postgres.available)('a server started with --database-url', () => {
  it('keeps its accounts in PostgreSQL: a second server on another data folder signs the same owner in', async () => {
    const schema = await createTestSchema();
    const first = temporaryDataDir();
    const second = temporaryDataDir();
    try {
      const settings = {
        databaseUrl: schema.url,
        openAccess: false,
        access: { admin: { DATAPATCH_ADMIN_EMAIL: ADMIN.email, DATAPATCH_ADMIN_PASSWORD: ADMIN.password } },
      };
      const one = await startTestServer({ ...settings, dataDir: first.dir });
      await one.close();
      // Another folder, no admin variables: the owner can only come from PostgreSQL.
      const two = await startTestServer({ ...settings, access: {}, dataDir: second.dir });
      try {
        const answer = await fetch(`${two.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...ADMIN, kind: 'bearer' }),
        });
        expect(answer.status).toBe(200);
      } finally {
        await two.close();
      }
      for (const folder of [first, second]) {
        const db = openDatabase(folder.dir);
        try {
          expect(await openSqliteAccessStore(db).countUsers()).toBe(0);
        } finally {
          db.close();
        }
      }
    } finally {
      first.remove();
      second.remove();
      await schema.drop();
    }
  });
});
