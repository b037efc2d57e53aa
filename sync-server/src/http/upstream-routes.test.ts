// The official source over HTTP, on the France services fixture (the 2022 Hérault release, and
// the next one made from it): settings, who may run it, the dry run, the real run (one history
// batch, undone as one; conflicts in the moderation queue), the CSV of the hubs' corrections.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  batchEntries,
  createDataset,
  isRowDeleted,
  listProposals,
  readCell,
  readChangelog,
  readRows,
  setCell,
  undoBatch,
} from '@datapatch/core';
import { importFile } from '@datapatch/io';
import { roomName, type UpstreamRunAnswer } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { summarizeDataset } from '../data/dataset-summaries.ts';
import { type AccessTestServer, smallDataset, startAccessServer } from '../testing/http-server.ts';

const fixture = (name: string) =>
  new Uint8Array(
    readFileSync(new URL(`../../../packages/upstream/fixtures/france-services/${name}`, import.meta.url)),
  );
const RELEASE_2022 = 'liste-fs-20221201-herault.csv';
const NEXT = 'liste-fs-next-herault.csv';

let t: AccessTestServer;
let source: Server;
let sourceUp = true;
let rowOf: (idFs: string) => string;
const hub = { id: 'hub-editor', name: 'Awa' };

beforeAll(async () => {
  const read = await importFile(fixture(RELEASE_2022), { filename: RELEASE_2022 });
  if (!read.ok) throw new Error(read.error.code);
  t = await startAccessServer({
    onFirstStart: async ({ updates, registry }) => {
      const lieux = new Y.Doc();
      createDataset(
        lieux,
        {
          meta: { datasetId: 'lieux', title: 'France services (Hérault)' },
          schema: {
            fields: read.table.fields.map((name) => ({ name, type: 'string' })),
            primaryKey: 'id_fs',
          },
          rows: read.table.rows,
        },
        { id: 'test-seed' },
      );
      for (const [id, doc] of [
        ['lieux', lieux],
        ['secret', smallDataset('secret', 'Secret')],
      ] as const) {
        await updates.appendUpdates([
          { room: roomName(id, 'validated'), update: Y.encodeStateAsUpdate(doc) },
        ]);
        const summary = summarizeDataset(doc);
        if (summary) await registry.upsert(summary);
      }
    },
  });
  const ids = await t.server.relay.readDocument(roomName('lieux', 'validated'), (doc) =>
    Object.fromEntries(readRows(doc).map((row) => [String(row.values.id_fs), row.id])),
  );
  rowOf = (idFs) => ids[idFs] ?? '';
  // The official source, on 127.0.0.1 only.
  source = createServer((request, response) => {
    if (!sourceUp || request.url !== `/${NEXT}`) {
      response.writeHead(503).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/csv' }).end(fixture(NEXT));
  });
  await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => source.close(resolve));
  await t.cleanup();
});

const api = (path: string) => `${t.server.url}/api/datasets/lieux/upstream${path}`;
const json = { 'content-type': 'application/json' };
const code = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;
const upload = (name: string) => {
  const form = new FormData();
  form.set('file', new Blob([fixture(name)], { type: 'text/csv' }), name);
  return form;
};
const validated = <T>(read: (doc: Y.Doc) => T) =>
  t.server.relay.readDocument(roomName('lieux', 'validated'), read);

describe('the official source of a dataset over HTTP', () => {
  it('only owners name the source, with key columns the dataset has', async () => {
    const settings = (who: 'owner' | 'editor', body: unknown) =>
      fetch(api(''), { method: 'PUT', headers: { ...json, ...t.headers(who) }, body: JSON.stringify(body) });
    expect((await settings('editor', { key: ['id_fs'] })).status).toBe(403);
    const unknown = await settings('owner', { key: ['numero'] });
    expect([unknown.status, await code(unknown)]).toEqual([422, 'upstream_bad_key']);
    const badUrl = await settings('owner', { key: ['id_fs'], url: 'file:///etc/passwd' });
    expect([badUrl.status, await code(badUrl)]).toEqual([400, 'upstream_invalid_settings']);
    expect((await settings('owner', { key: ['id_fs'] })).status).toBe(200);
    // The data was created from the 2022 release: it is the base of the next merge.
    const named = await fetch(api(`/release?filename=${RELEASE_2022}`), {
      method: 'POST',
      headers: t.headers('owner'),
      body: fixture(RELEASE_2022),
    });
    expect(await named.json()).toMatchObject({ filename: RELEASE_2022, rows: 49 });
    const read = await fetch(api(''), { headers: t.headers('editor') });
    expect(await read.json()).toMatchObject({ url: null, key: ['id_fs'], lastRelease: { rows: 49 } });
  });

  it('lets only owners, editors and moderators run a release', async () => {
    const dry = (who: 'reader' | 'stranger' | 'anonymous') =>
      fetch(api('/dry-run'), { method: 'POST', headers: t.headers(who), body: upload(NEXT) });
    expect((await dry('reader')).status).toBe(403);
    // The dataset is public: others may read it, not run its source.
    expect((await dry('stranger')).status).toBe(403);
    expect((await dry('anonymous')).status).toBe(401);
  });

  it('dry run: counts and examples of the hubs corrections against the next release, nothing written', async () => {
    await t.server.relay.changeDocuments([roomName('lieux', 'validated')], ([doc]) => {
      setCell(doc!, rowOf('211'), 'mail', 'contact@lodevois-larzac.fr', hub);
      setCell(doc!, rowOf('205'), 'telephone', '04 67 26 37 11', hub);
      setCell(doc!, rowOf('1296'), 'mail', 'olargues@france-services.fr', hub);
      setCell(doc!, rowOf('2190'), 'telephone', '04 67 43 98 00', hub);
    });
    const before = await validated((doc) => readChangelog(doc).length);
    const response = await fetch(api('/dry-run'), {
      method: 'POST',
      headers: t.headers('editor'),
      body: upload(NEXT),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as UpstreamRunAnswer;
    expect(answer.counts).toMatchObject({
      fieldsToApply: 9,
      recordsToAdd: 2,
      correctionsKept: 2,
      conflicts: 2,
      proposedDeletions: 1,
      keyIssues: 0,
    });
    expect(answer.examples.conflicts[0]).toMatchObject({
      fields: { telephone: { base: '04 67 26 37 10', upstream: '04 67 26 37 99', ours: '04 67 26 37 11' } },
    });
    expect(answer.batchId).toBeUndefined();
    expect(await validated((doc) => readChangelog(doc).length)).toBe(before);
  });

  it('refuses a release it cannot read or fetch, with a code, and writes nothing', async () => {
    const binary = await fetch(api('/apply?filename=x.csv'), {
      method: 'POST',
      headers: t.headers('editor'),
      body: new Uint8Array([0, 1, 2, 0, 255, 0, 3]),
    });
    expect([binary.status, await code(binary)]).toEqual([422, 'upstream_unreadable']);
    const none = await fetch(api('/apply'), { method: 'POST', headers: t.headers('editor') });
    expect([none.status, await code(none)]).toEqual([409, 'upstream_no_release']);
    await fetch(api(''), {
      method: 'PUT',
      headers: { ...json, ...t.headers('owner') },
      body: JSON.stringify({
        key: ['id_fs'],
        url: `http://127.0.0.1:${(source.address() as AddressInfo).port}/${NEXT}`,
      }),
    });
    sourceUp = false;
    const down = await fetch(api('/apply'), { method: 'POST', headers: t.headers('editor') });
    expect([down.status, await code(down)]).toEqual([502, 'upstream_fetch_failed']);
    sourceUp = true;
    expect(await validated((doc) => readCell(doc, rowOf('202'), 'h_mercredi'))).toBe(
      '09:00 - 12:00 / 14:00 - 18:00',
    );
  });

  it('real run from the URL: upstream changes land in one batch, corrections stay, conflicts reach the queue with three values; undo restores', async () => {
    const response = await fetch(api('/apply'), { method: 'POST', headers: t.headers('editor') });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as UpstreamRunAnswer;
    expect(answer).toMatchObject({
      filename: NEXT,
      proposalsSent: 3,
      counts: { fieldsToApply: 9, recordsToAdd: 2 },
    });
    const batchId = answer.batchId ?? '';

    const after = await validated((doc) => ({
      castries: readCell(doc, rowOf('202'), 'h_mercredi'),
      lodeve: readCell(doc, rowOf('211'), 'mail'),
      capestang: readCell(doc, rowOf('205'), 'telephone'),
      meze: [readCell(doc, rowOf('2190'), 'telephone'), readCell(doc, rowOf('2190'), 'h_mercredi')],
      added: readRows(doc)
        .filter((row) => ['2900', '2901'].includes(String(row.values.id_fs)))
        .map((r) => r.id),
      batch: batchEntries(doc, batchId).map((e) => e.kind),
    }));
    expect(after).toMatchObject({
      castries: '09:00 - 12:00 / 14:00 - 17:30',
      lodeve: 'contact@lodevois-larzac.fr',
      capestang: '04 67 26 37 11',
      meze: ['04 67 43 98 00', '08:00 - 12:00 / 14:00 - 17:00'],
    });
    expect(after.added).toHaveLength(2);
    expect(after.batch.filter((k) => k === 'set')).toHaveLength(9);
    expect(after.batch.filter((k) => k === 'create')).toHaveLength(2);

    const queue = await t.server.relay.readDocument(roomName('lieux', 'pending'), (doc) =>
      listProposals(doc),
    );
    const capestang = queue.find((p) => p.rowId === rowOf('205'));
    expect(capestang).toMatchObject({
      kind: 'change',
      base: { telephone: '04 67 26 37 10' },
      proposed: { telephone: '04 67 26 37 99' },
      status: 'pending',
    });
    expect(capestang?.comment).toContain('Source officielle');
    expect(queue.find((p) => p.rowId === rowOf('1296'))).toMatchObject({
      kind: 'delete',
      base: { mail: 'olargues@france-services.gouv.fr' },
    });
    expect(queue.find((p) => p.rowId === rowOf('1290'))).toMatchObject({ kind: 'delete' });
    // A moderator sees the conflict (the hubs' value is not the release's) and may take the source's.
    const accept = (force: boolean) =>
      fetch(`${t.server.url}/api/datasets/lieux/proposals/${capestang?.id}/accept`, {
        method: 'POST',
        headers: { ...json, ...t.headers('moderator') },
        body: JSON.stringify({ force }),
      });
    const flagged = (await (await accept(false)).json()) as { error: { code: string } };
    expect(flagged.error.code).toBe('conflict');
    expect((await accept(true)).status).toBe(200);
    expect(await validated((doc) => readCell(doc, rowOf('205'), 'telephone'))).toBe('04 67 26 37 99');

    // The same release again changes nothing more: it is now the base.
    const again = (await (
      await fetch(api('/dry-run'), { method: 'POST', headers: t.headers('editor') })
    ).json()) as UpstreamRunAnswer;
    expect(again.counts).toMatchObject({ fieldsToApply: 0, recordsToAdd: 0, conflicts: 0 });

    const undone = await t.server.relay.changeDocuments([roomName('lieux', 'validated')], ([doc]) =>
      undoBatch(doc!, batchId, hub),
    );
    expect(undone).toMatchObject({ ok: true, undone: 11, skipped: [] });
    expect(
      await validated((doc) => [
        readCell(doc, rowOf('202'), 'h_mercredi'),
        readCell(doc, rowOf('211'), 'mail'),
        after.added.every((id) => isRowDeleted(doc, id)),
      ]),
    ).toEqual(['09:00 - 12:00 / 14:00 - 18:00', 'contact@lodevois-larzac.fr', true]);
  });

  it("exports the hubs' corrections since the last release taken as CSV", async () => {
    expect((await fetch(api('/changes.csv'), { headers: t.headers('reader') })).status).toBe(403);
    const response = await fetch(api('/changes.csv'), { headers: t.headers('editor') });
    expect(response.headers.get('content-type')).toContain('text/csv');
    const csv = await response.text();
    expect(csv.split('\r\n')[0]).toBe('id_fs,operation,champ,valeur_publiee,valeur_corrigee,date');
    expect(csv).toContain(
      '211,modification,mail,franceservices@lodevoisetlarzac.fr,contact@lodevois-larzac.fr,',
    );
    // Capestang's conflict was settled for the source's number: no correction left to send.
    expect(csv).not.toContain('205,');
  });
});
