import { roomName } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { summarizeDataset } from '../data/dataset-summaries.ts';
import { openDatabase } from '../store/sqlite/sqlite-database.ts';
import { SqliteDatasetRegistry } from '../store/sqlite/sqlite-dataset-registry.ts';
import { SqliteUpdateStore } from '../store/sqlite/sqlite-update-store.ts';
import { type ChildServer, spawnServer } from '../testing/child-server.ts';
import { temporaryDataDir } from '../testing/clients.ts';
import { ADMIN, smallDataset, startAccessServer } from '../testing/http-server.ts';

const PROPOSALS = process.env.DATAPATCH_EXTENSIVE === '1' ? 5000 : 1000;
const env = {
  DATAPATCH_ADMIN_EMAIL: ADMIN.email,
  DATAPATCH_ADMIN_PASSWORD: ADMIN.password,
  DATAPATCH_PROPOSALS_PER_ADDRESS: '1000000',
  DATAPATCH_PROPOSALS_PER_DATASET: '1000000',
  DATAPATCH_MAX_PENDING_PER_ADDRESS: '1000000',
};

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function seed(dir: string): Promise<void> {
  const db = openDatabase(dir);
  const updates = new SqliteUpdateStore(db);
  const doc = smallDataset('lieux', 'Lieux');
  await updates.appendUpdates([{ room: roomName('lieux', 'validated'), update: Y.encodeStateAsUpdate(doc) }]);
  const summary = summarizeDataset(doc);
  if (summary) await new SqliteDatasetRegistry(db).upsert(summary);
  await updates.close();
}

function body(i: number): string {
  return JSON.stringify({
    kind: 'create',
    proposed: { nom: `Lieu ${i}`, places: i },
    idempotencyKey: `crash-test-${String(i).padStart(8, '0')}`,
  });
}

async function post(server: ChildServer, i: number): Promise<{ status: number; proposalId?: string }> {
  const response = await fetch(`${server.url}/api/datasets/lieux/proposals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(i),
  });
  const answer = (await response.json()) as { proposalId?: string };
  return { status: response.status, ...(answer.proposalId ? { proposalId: answer.proposalId } : {}) };
}

/**
 * As the app's outbox does: a request that got no answer (a connection reset by a loaded
 * machine) is sent again with the same idempotency key, a bounded number of times.
 */
async function postUntilAnswered(
  server: ChildServer,
  i: number,
): Promise<{ status: number; proposalId?: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post(server, i);
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

describe('no proposal is lost', () => {
  it(`kill -9 while ${PROPOSALS} proposals are posted: every 202 is there after restart, retries duplicate none`, async () => {
    const data = temporaryDataDir();
    cleanups.push(data.remove);
    await seed(data.dir);
    const first = await spawnServer(data.dir, [], env);
    cleanups.push(() => void first.process.kill('SIGKILL'));

    const accepted = new Map<number, string>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < PROPOSALS && !killed) {
        const i = next++;
        try {
          const answer = await post(first, i);
          if (answer.status === 202 && answer.proposalId) accepted.set(i, answer.proposalId);
        } catch {
          // In flight when the server died: the client does not know, and will retry.
        }
        if (accepted.size >= PROPOSALS / 2 && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await first.exited;
    expect(accepted.size).toBeGreaterThanOrEqual(PROPOSALS / 2);
    console.log(`kill -9 after ${accepted.size} proposals answered 202 (of ${next} sent)`);

    const second = await spawnServer(data.dir, [], env);
    cleanups.push(async () => {
      second.process.kill('SIGTERM');
      await second.exited;
    });
    // The contributors' outboxes retry everything they sent, with the same keys, all at once.
    const retried = new Map<number, string>();
    const statuses = new Map<number, number>();
    let retry = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (retry < PROPOSALS) {
          const i = retry++;
          const answer = await postUntilAnswered(second, i);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          retried.set(i, answer.proposalId ?? '');
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 202: PROPOSALS });
    for (const [i, id] of accepted) expect(retried.get(i)).toBe(id);
    expect(new Set(retried.values()).size).toBe(PROPOSALS);

    // Every one of them is in the pending document moderators see.
    const login = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ADMIN, kind: 'bearer' }),
    });
    const { token } = (await login.json()) as { token: string };
    const inDoc = new Set<string>();
    let total = -1;
    for (let offset = 0; total < 0 || offset < total; offset += 1000) {
      const listed = await fetch(`${second.url}/api/datasets/lieux/proposals?limit=1000&offset=${offset}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const page = (await listed.json()) as { total: number; proposals: { id: string }[] };
      total = page.total;
      for (const proposal of page.proposals) inDoc.add(proposal.id);
    }
    expect(total).toBe(PROPOSALS);
    expect(inDoc.size).toBe(PROPOSALS);
    for (const id of accepted.values()) expect(inDoc.has(id)).toBe(true);
  }, 600_000);
});

describe('a body too large to be a proposal', () => {
  it('is refused with 413 proposal_too_large, declared or streamed without a length, and the server keeps taking proposals', async () => {
    const t = await startAccessServer();
    cleanups.push(t.cleanup);
    const url = `${t.server.url}/api/datasets/lieux/proposals`;
    const huge = JSON.stringify({ kind: 'create', proposed: { nom: 'x'.repeat(200_000) } });
    const declared = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe('proposal_too_large');

    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const streamed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 64) controller.enqueue(chunk);
          else controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('proposal_too_large');

    const fine = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(1),
    });
    expect(fine.status).toBe(202);
  });
});
