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
// An append batch arrives as one buffer (`bytes`) cut at `ends`, update i going to rooms[i].
const append = db.transaction((rooms, ends, bytes) =>
  rooms.map((room, i) => {
    const update = bytes.subarray(i === 0 ? 0 : ends[i - 1], ends[i]);
    return Number(insert.run(room, update).lastInsertRowid);
  }),
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
        ? append(request.rooms, request.ends, request.bytes)
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
