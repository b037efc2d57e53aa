import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { roomName } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { defaultSettings, startServer } from '../server/server.ts';
import type { Row } from '../store/copy/instance-tables.ts';
import { openSqliteSide } from '../store/sqlite/sqlite-instance-side.ts';
import { runDatapatch } from '../testing/child-command.ts';
import { syncUrl, temporaryDataDir, waitFor } from '../testing/clients.ts';
import { type AccessTestServer, ADMIN, startAccessServer } from '../testing/http-server.ts';
import { runBackup, runRestore } from './backup.ts';
import { cliInstanceMessages } from './instance-messages.ts';

const ROOM = roomName('lieux', 'validated');
const messages = cliInstanceMessages({ LANG: 'C' });

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function capture() {
  const lines = { out: '', err: '' };
  return {
    lines,
    io: {
      out: (text: string) => {
        lines.out += text;
      },
      err: (text: string) => {
        lines.err += `${text}\n`;
      },
    },
  };
}

function editor(t: AccessTestServer, who: 'editor' | 'reader') {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(syncUrl(t.server.url), ROOM, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws is the Node WebSocket the provider expects.
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
    params: { token: t.tokens[who] },
  });
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider, probe: doc.getMap<number>('probe') };
}

async function propose(t: AccessTestServer, name: string): Promise<string> {
  const response = await fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'create',
      proposed: { nom: name, places: 1 },
      idempotencyKey: `backup-test-${name.replace(/\W/g, '_')}`,
    }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { proposalId: string }).proposalId;
}

/** Every row of every table but the update log, read in one snapshot. */
async function tableRows(dir: string): Promise<Record<string, Row[]>> {
  const side = openSqliteSide(dir, 'read');
  try {
    const out: Record<string, Row[]> = {};
    for (const table of await side.tables()) {
      out[table.name] = [];
      for await (const batch of side.rows(table.name, table.columns)) out[table.name]!.push(...batch);
      out[table.name]!.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return out;
  } finally {
    await side.finish(false);
  }
}

/** The probe keys a document holds: k0, k1, … written in order by one editor. */
function probeCount(doc: Y.Doc): number {
  const keys = [...doc.getMap('probe').keys()];
  for (let i = 0; i < keys.length; i++) expect(keys).toContain(`k${i}`);
  return keys.length;
}

describe('datapatch backup / restore', () => {
  it('a backup taken while the server serves edits brings back every document, account, role and proposal of that moment', async () => {
    const t = await startAccessServer();
    cleanups.push(() => t.cleanup());
    const proposals = [await propose(t, 'Avant 1'), await propose(t, 'Avant 2')];
    const writer = editor(t, 'editor');
    const watcher = editor(t, 'reader');
    await waitFor(() => writer.provider.synced && watcher.provider.synced, 'both clients to sync');
    // The relay broadcasts only what it committed: what the reader saw is durable.
    let written = 0;
    for (; written < 20; written++) writer.probe.set(`k${written}`, written);
    await waitFor(() => watcher.probe.size === 20, 'the first edits to reach the reader');
    // A proposal reaches its pending document after its 202 (the delivery is then recorded in its
    // row): take the reference once two reads a moment apart agree.
    let before = await tableRows(t.dataDir);
    for (let tries = 0; tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await tableRows(t.dataDir);
      if (JSON.stringify(again.proposals) === JSON.stringify(before.proposals)) break;
      before = again;
    }
    expect(before.users!.length).toBeGreaterThanOrEqual(5);
    expect(before.dataset_roles!.length).toBeGreaterThan(0);
    expect(before.proposals!.map((row) => row.id).sort()).toEqual([...proposals].sort());

    // Edits keep arriving while a second process takes the backup.
    let editing = true;
    const edits = (async () => {
      while (editing) {
        writer.probe.set(`k${written}`, written);
        written++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const out = join(temporaryDataDir().dir, 'instance.backup');
    cleanups.push(() => rmSync(join(out, '..'), { recursive: true, force: true }));
    const backup = await runDatapatch(['backup', '--out', out, '--data', t.dataDir]);
    editing = false;
    await edits;
    expect(backup.output).toContain('Backup written');
    expect(backup.code).toBe(0);
    await waitFor(() => watcher.probe.size === written, 'the last edits to reach the reader');

    // After the backup: a proposal that the backup must not hold.
    await propose(t, 'Après');
    const after = await tableRows(t.dataDir);
    expect(after.proposals!.length).toBe(3);

    await t.server.close();
    rmSync(t.dataDir, { recursive: true, force: true });
    const restore = capture();
    expect(await runRestore(['--from', out, '--data', t.dataDir], {}, restore.io, messages)).toBe(0);
    expect(await tableRows(t.dataDir)).toEqual(before);

    const again = await startServer({
      ...defaultSettings,
      port: 0,
      appDir: null,
      dataDir: t.dataDir,
      access: { admin: { DATAPATCH_ADMIN_EMAIL: ADMIN.email, DATAPATCH_ADMIN_PASSWORD: ADMIN.password } },
    });
    cleanups.push(() => again.close());
    const restored = await again.relay.readDocument(ROOM, (doc) => probeCount(doc));
    // A consistent snapshot: every edit before the backup, then a prefix of those during it.
    expect(restored).toBeGreaterThanOrEqual(20);
    expect(restored).toBeLessThanOrEqual(written);
    console.log(`backup holds ${restored} of ${written} edits (20 before it started)`);
    // A session of the moment still signs in.
    const me = await fetch(`${again.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${t.tokens.owner}` },
    });
    expect(me.status).toBe(200);
  });

  it('refuses what would lose data: an existing file, a served folder, a file that is not a backup', async () => {
    const t = await startAccessServer();
    cleanups.push(() => t.cleanup());
    const dir = temporaryDataDir();
    cleanups.push(dir.remove);
    const out = join(dir.dir, 'one.backup');
    const run = capture();
    expect(await runBackup(['--out', out, '--data', t.dataDir], {}, run.io, messages)).toBe(0);

    const again = capture();
    expect(await runBackup(['--out', out, '--data', t.dataDir], {}, again.io, messages)).toBe(1);
    expect(again.lines.err).toContain('(out-exists)');

    const served = capture();
    expect(await runRestore(['--from', out, '--data', t.dataDir, '--replace'], {}, served.io, messages)).toBe(
      1,
    );
    expect(served.lines.err).toContain('(folder-in-use)');

    const notBackup = join(dir.dir, 'notes.txt');
    writeFileSync(
      notBackup,
      'not a database at all, just some words that are long enough to look like a header',
    );
    const wrong = capture();
    expect(
      await runRestore(['--from', notBackup, '--data', join(dir.dir, 'fresh')], {}, wrong.io, messages),
    ).toBe(1);
    expect(wrong.lines.err).toContain('(not-a-backup)');
    expect(existsSync(join(dir.dir, 'fresh', 'datapatch.sqlite'))).toBe(false);

    await t.server.close();
    const occupied = capture();
    expect(await runRestore(['--from', out, '--data', t.dataDir], {}, occupied.io, messages)).toBe(1);
    expect(occupied.lines.err).toContain('(folder-has-data)');
    expect(
      await runRestore(['--from', out, '--data', t.dataDir, '--replace'], {}, capture().io, messages),
    ).toBe(0);

    const missing = capture();
    expect(await runBackup([], {}, missing.io, messages)).toBe(2);
    expect(missing.lines.err).toContain('--out is required');
  });
});
