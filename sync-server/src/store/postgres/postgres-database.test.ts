import { afterEach, describe, expect, it } from 'vitest';
import { createTestSchema, requireServices, type TestSchema } from '../../testing/services.ts';
import { MIGRATIONS } from './migrations.ts';
import { openPostgres } from './postgres-database.ts';

const postgres = await requireServices('the PostgreSQL migrations', ['postgres']);

let schemas: TestSchema[] = [];
afterEach(async () => {
  for (const schema of schemas) await schema.drop();
  schemas = [];
});

async function freshSchema(): Promise<TestSchema> {
  const schema = await createTestSchema();
  schemas.push(schema);
  return schema;
}

// Without PostgreSQL this is skipped: requireServices printed why (and fails it under CI=true).
describe.skipIf(!postgres.available)(
  'the PostgreSQL schema is brought up to date by numbered migrations',
  () => {
    it('each migration is applied once and recorded, also when two processes start together', async () => {
      const schema = await freshSchema();
      const [a, b] = await Promise.all([openPostgres(schema.url), openPostgres(schema.url)]);
      try {
        // One of the two applied everything, the other waited for it and found nothing to do.
        expect([...a.applied, ...b.applied].sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
        const recorded = await a.pool.query<{ version: number }>(
          'SELECT version FROM datapatch_migrations ORDER BY version',
        );
        expect(recorded.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
        const again = await openPostgres(schema.url);
        expect(again.applied).toEqual([]);
        await again.close();
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('every connection commits synchronously, whatever the server default', async () => {
      const schema = await freshSchema();
      const url = new URL(schema.url);
      // A role or server default of "off" must not reach the update log.
      url.searchParams.set('options', `${url.searchParams.get('options')} -c synchronous_commit=off`);
      const db = await openPostgres(url.toString());
      try {
        const shown = await db.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        expect(shown.rows[0]?.synchronous_commit).toBe('on');
      } finally {
        await db.close();
      }
    });
  },
);

describe('a database that cannot be used is a coded error at open', () => {
  it('an unreachable server and a URL that is not postgres:// are refused with their codes', async () => {
    await expect(
      openPostgres('postgres://nobody@127.0.0.1:1/none', { connectTimeoutMs: 1_000 }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await expect(openPostgres('mysql://127.0.0.1/x')).rejects.toMatchObject({ code: 'database-url-invalid' });
  });
});
