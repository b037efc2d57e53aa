/**
 * A PostgreSQL database (its current schema) as one side of `datapatch store copy`.
 * Invariants: one connection, one transaction: a source reads in REPEATABLE READ (one snapshot
 * while servers write), a target writes everything or nothing; tables come from
 * information_schema; the update log keeps the source's seqs when they are unique per room and
 * `room_sequences` is set to each room's highest, so appends after the copy follow on.
 */
import type pg from 'pg';
import type { Cell, LoggedUpdate, Row, TableShape, WritableInstanceSide } from '../copy/instance-tables.ts';
import { openPostgres, redactUrl } from './postgres-database.ts';

/** Bookkeeping: the migrations record, and the per-room counters the update log derives. */
const NOT_COPIED = new Set(['datapatch_migrations', 'room_sequences', 'updates']);
const BATCH = 1000;
/** PostgreSQL's type oid of int8 (bigint). */
const INT8 = 20;

export async function openPostgresSide(url: string, mode: 'read' | 'write'): Promise<WritableInstanceSide> {
  const db = await openPostgres(url, { maxConnections: 1 });
  let client: pg.PoolClient;
  try {
    client = await db.pool.connect();
  } catch (error) {
    await db.close();
    throw error;
  }
  try {
    await client.query(mode === 'write' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // The snapshot is taken at the first statement of the transaction.
    await client.query('SELECT 1');
  } catch (error) {
    client.release();
    await db.close();
    throw error;
  }
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  let cursors = 0;

  return {
    description: redactUrl(url),
    sequence: 'per-room',
    async tables() {
      const tables = await client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      const columns = await client.query<{ table: string; name: string }>(
        `SELECT table_name AS table, column_name AS name FROM information_schema.columns
          WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
      );
      const keys = await client.query<{ table: string; references: string }>(
        `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS references
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE c.contype = 'f' AND n.nspname = current_schema()`,
      );
      const unquote = (name: string) => name.replace(/^"(.*)"$/, '$1').replaceAll('""', '"');
      return tables.rows
        .filter(({ name }) => !NOT_COPIED.has(name))
        .map(({ name }) => ({
          name,
          columns: columns.rows.filter((column) => column.table === name).map((column) => column.name),
          references: [
            ...new Set(
              keys.rows.filter((key) => unquote(key.table) === name).map((key) => unquote(key.references)),
            ),
          ],
        })) satisfies TableShape[];
    },
    async *rows(table, columns) {
      const cursor = `datapatch_copy_${++cursors}`;
      await client.query(
        `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}`,
      );
      try {
        for (;;) {
          const batch = await client.query<Row>(`FETCH ${BATCH} FROM ${cursor}`);
          if (batch.rows.length === 0) break;
          const counts = batch.fields.filter((field) => field.dataTypeID === INT8).map((field) => field.name);
          yield counts.length === 0 ? batch.rows : batch.rows.map((row) => readable(row, counts));
        }
      } finally {
        await client.query(`CLOSE ${cursor}`);
      }
    },
    async count(table) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
      return Number(result.rows[0]!.n);
    },
    async rooms() {
      const result = await client.query<{ room: string }>('SELECT DISTINCT room FROM updates ORDER BY room');
      return result.rows.map((row) => row.room);
    },
    async roomLog(room) {
      const result = await client.query<{ seq: string; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE room = $1 ORDER BY seq',
        [room],
      );
      return result.rows.map((row) => ({ seq: Number(row.seq), data: new Uint8Array(row.data) }));
    },
    async insert(table, columns, rows) {
      // The table's own row type converts each JSON value as its column's input would (1 for a
      // boolean, "\x…" for bytea, a number for bigint), so no per-backend type list is kept here.
      const list = columns.map(quote).join(', ');
      await client.query(
        `INSERT INTO ${quote(table)} (${list})
         SELECT ${list} FROM jsonb_populate_recordset(NULL::${quote(table)}, $1::jsonb)`,
        [JSON.stringify(rows.map((row) => jsonRow(row, columns)))],
      );
    },
    async appendRoomLog(room, updates: readonly LoggedUpdate[], keepSeqs) {
      if (updates.length === 0) return;
      const seqs = keepSeqs ? updates.map((update) => update.seq) : updates.map((_, i) => i + 1);
      await client.query(
        'INSERT INTO updates (room, seq, data) SELECT $1, seq, data FROM unnest($2::bigint[], $3::bytea[]) AS t(seq, data)',
        [room, seqs, updates.map((update) => Buffer.from(update.data))],
      );
      await client.query(
        `INSERT INTO room_sequences (room, last_seq) VALUES ($1, $2)
         ON CONFLICT (room) DO UPDATE SET last_seq = GREATEST(room_sequences.last_seq, EXCLUDED.last_seq)`,
        [room, Math.max(...seqs)],
      );
    },
    async clear(tables) {
      for (const table of tables) await client.query(`DELETE FROM ${quote(table)}`);
      await client.query('DELETE FROM updates');
      await client.query('DELETE FROM room_sequences');
    },
    async settle(tables) {
      // Serial and identity columns: their sequence must not hand out an id that was copied.
      const owned = await client.query<{ table: string; column: string; sequence: string }>(
        `SELECT c.table_name AS table, c.column_name AS column,
                pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS sequence
           FROM information_schema.columns c
          WHERE c.table_schema = current_schema() AND c.table_name = ANY($1::text[])
            AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL`,
        [tables],
      );
      for (const { table, column, sequence } of owned.rows) {
        await client.query(
          `SELECT setval($1, COALESCE((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
          [sequence],
        );
      }
    },
    async finish(commit) {
      try {
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      } finally {
        client.release();
        await db.close();
      }
    },
  };
}

/** bigint (int8) arrives as text: back to a number where it is one exactly. */
function readable(row: Row, counts: readonly string[]): Row {
  const out: Row = { ...row };
  for (const name of counts) {
    const value = row[name];
    if (typeof value === 'string' && Number.isSafeInteger(Number(value))) out[name] = Number(value);
  }
  return out;
}

function jsonRow(row: Row, columns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) out[column] = jsonCell(row[column] ?? null);
  return out;
}

function jsonCell(cell: Cell): unknown {
  if (cell instanceof Uint8Array) return `\\x${Buffer.from(cell).toString('hex')}`;
  if (typeof cell === 'bigint') return cell.toString();
  if (cell instanceof Date) return cell.toISOString();
  return cell;
}
