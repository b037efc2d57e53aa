/**
 * Backup and store copy benchmark: an instance of BENCH_ROOMS rooms × BENCH_UPDATES small edits
 * each (plus the demo dataset) in a data folder, then `backupDataFolder` (VACUUM INTO), the copy
 * into PostgreSQL (a schema of its own, dropped after) and back into a fresh folder, each with
 * its checks (row counts, every room's Yjs snapshot). Prints times and sizes; never fails on a
 * figure. Run: npx tsx bench/instance-copy.ts (needs PostgreSQL on 127.0.0.1 for the copies).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { seedDemoDataset } from '../sync-server/src/data/demo-dataset.ts';
import { copyInstance } from '../sync-server/src/store/copy/instance-copy.ts';
import { openPostgresSide } from '../sync-server/src/store/postgres/postgres-instance-side.ts';
import { backupDataFolder } from '../sync-server/src/store/sqlite/sqlite-backup.ts';
import { DATABASE_FILE, openDatabase } from '../sync-server/src/store/sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from '../sync-server/src/store/sqlite/sqlite-dataset-registry.ts';
import { openSqliteSide } from '../sync-server/src/store/sqlite/sqlite-instance-side.ts';
import { SqliteUpdateStore } from '../sync-server/src/store/sqlite/sqlite-update-store.ts';
import { createTestSchema, requireServices } from '../sync-server/src/testing/services.ts';

const ROOMS = Number(process.env.BENCH_ROOMS ?? 200);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 50);

const work = mkdtempSync(join(tmpdir(), 'datapatch-bench-copy-'));
const time = async <T>(what: string, run: () => Promise<T> | T): Promise<T> => {
  const start = performance.now();
  const result = await run();
  console.log(`${what}: ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
};

try {
  const source = join(work, 'source');
  const db = openDatabase(source);
  const updates = new SqliteUpdateStore(db);
  await seedDemoDataset({ updates, registry: new SqliteDatasetRegistry(db) });
  await time(`build: ${ROOMS} rooms × ${UPDATES} edits`, async () => {
    for (let r = 0; r < ROOMS; r++) {
      const doc = new Y.Doc();
      const edits: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => edits.push(update));
      for (let u = 0; u < UPDATES; u++) doc.getMap('cells').set(`c${u % 20}`, `value ${r}.${u}`);
      await updates.appendUpdates(edits.map((update) => ({ room: `ds/bench-${r}/validated`, update })));
    }
  });
  await updates.close();
  const rows = ROOMS * UPDATES + 1;
  console.log(
    `data folder: ${(statSync(join(source, DATABASE_FILE)).size / 1e6).toFixed(1)} MB, ${rows} update rows`,
  );

  const backup = join(work, 'instance.backup');
  const summary = await time('backup (VACUUM INTO, checked)', () => backupDataFolder(source, backup));
  console.log(`backup file: ${(summary.bytes / 1e6).toFixed(1)} MB`);

  const postgres = await requireServices('the store copy benchmark', ['postgres']);
  if (postgres.available) {
    const schema = await createTestSchema();
    try {
      const there = await time('store copy data folder → PostgreSQL (checked)', async () =>
        copyInstance(openSqliteSide(source, 'read'), await openPostgresSide(schema.url, 'write')),
      );
      const back = await time('store copy PostgreSQL → fresh data folder (checked)', async () =>
        copyInstance(await openPostgresSide(schema.url, 'read'), openSqliteSide(join(work, 'back'), 'write')),
      );
      console.log(`copied: ${there.updates} update rows in ${there.rooms} rooms, back ${back.updates}`);
    } finally {
      await schema.drop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
