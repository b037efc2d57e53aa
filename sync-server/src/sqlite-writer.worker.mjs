/**
 * The SQLite writer thread of SqliteUpdateStore. Plain JavaScript so that it loads the same
 * way under tsx, vitest and plain Node. It owns the only writing connection: appends and
 * compactions run here one transaction each, so a commit's fsync never blocks the relay's
 * event loop. Invariant: a reply is posted only after its transaction committed (or failed).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.synchronous}`);
db.pragma('busy_timeout = 5000');

const insert = db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
const deleteUpTo = db.prepare('DELETE FROM updates WHERE room = ? AND seq <= ?');
const append = db.transaction((batch) =>
  batch.map(({ room, update }) => Number(insert.run(room, update).lastInsertRowid)),
);
const compact = db.transaction((room, merged, upToSeq) => {
  deleteUpTo.run(room, upToSeq);
  return Number(insert.run(room, merged).lastInsertRowid);
});

parentPort.on('message', (request) => {
  if (request.op === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const result =
      request.op === 'append'
        ? append(request.batch)
        : compact(request.room, request.merged, request.upToSeq);
    parentPort.postMessage({ id: request.id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({
      id: request.id,
      ok: false,
      message: String(error?.message ?? error),
      code: error?.code,
    });
  }
});
