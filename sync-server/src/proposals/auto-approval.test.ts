/**
 * Auto-approval end to end over HTTP: a device whose proposals moderators accepted twice gets
 * its next opening-hours change accepted automatically, shown in the history as such; a name
 * change from the same device waits; a moderator undoes the automatic acceptance.
 */
import { getProposal, readCell, readRows, verifiedAt } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';

let t: AccessTestServer;
let row: string;
beforeAll(async () => {
  t = await startAccessServer();
  row = await t.server.relay.readDocument(roomName('lieux', 'validated'), (doc) => readRows(doc)[0]!.id);
});
afterAll(async () => {
  await t.cleanup();
});

const json = { 'content-type': 'application/json' };
let keys = 0;
async function propose(base: Record<string, unknown>, proposed: Record<string, unknown>): Promise<string> {
  keys += 1;
  const response = await fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      kind: 'change',
      rowId: row,
      base,
      proposed,
      idempotencyKey: `auto-approval-${keys}-000000`,
    }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { proposalId: string }).proposalId;
}
const asModerator = (path: string, method: string, body: unknown) =>
  fetch(`${t.server.url}/api/datasets/lieux/${path}`, {
    method,
    headers: { ...json, ...t.headers('moderator') },
    body: JSON.stringify(body),
  });
const status = (id: string) =>
  t.server.relay.readDocument(roomName('lieux', 'pending'), (doc) => getProposal(doc, id));
const verified = () =>
  t.server.relay.readDocument(roomName('lieux', 'validated'), (doc) => verifiedAt(doc, row).horaires ?? '');
const hours = () =>
  t.server.relay.readDocument(roomName('lieux', 'validated'), (doc) => readCell(doc, row, 'horaires'));

describe('auto-approval over HTTP', () => {
  it('accepts a trusted device’s opening hours automatically, keeps its name change waiting, and undoes', async () => {
    const put = await asModerator('auto-approval', 'PUT', {
      fields: ['horaires', 'nom'],
      acceptedNeeded: 2,
      window: 5,
    });
    expect(put.status).toBe(200);
    // The name is never auto-approvable, even when asked for.
    expect(((await put.json()) as { settings: { fields: string[] } }).settings.fields).toEqual(['horaires']);
    expect((await asModerator('auto-approval', 'PUT', { fields: 'horaires' })).status).toBe(400);
    expect((await fetch(`${t.server.url}/api/datasets/lieux/auto-approval`)).status).not.toBe(200);

    // Not trusted yet: the first hours change waits, then a moderator accepts it (twice).
    let current = '9h-17h';
    for (const next of ['8h-17h', '8h-18h']) {
      const id = await propose({ horaires: current }, { horaires: next });
      expect((await status(id))?.status).toBe('pending');
      expect((await asModerator(`proposals/${id}/accept`, 'POST', {})).status).toBe(200);
      current = next;
    }

    const auto = await propose({ horaires: current }, { horaires: '7h-19h' });
    expect(await hours()).toBe('7h-19h');
    const decided = await status(auto);
    expect(decided).toMatchObject({ status: 'accepted', decision: { automatic: true } });

    const changes = await fetch(`${t.server.url}/api/datasets/lieux/changes?proposalId=${auto}`, {
      headers: t.headers('moderator'),
    });
    const history = (await changes.json()) as { entries?: { by: { name?: string } }[] };
    expect(JSON.stringify(history)).toContain('acceptée automatiquement');

    // "C'est toujours exact": nothing changes, but the field is verified again, automatically.
    const before = await verified();
    const same = await propose({ horaires: '7h-19h' }, { horaires: '7h-19h' });
    expect(await status(same)).toMatchObject({ status: 'accepted', decision: { automatic: true } });
    expect(await hours()).toBe('7h-19h');
    expect((await verified()) > before).toBe(true);

    const name = await propose({ nom: 'Mairie' }, { nom: 'Hôtel de ville' });
    expect((await status(name))?.status).toBe('pending');

    expect((await asModerator(`proposals/${auto}/undo`, 'POST', {})).status).toBe(200);
    expect(await hours()).toBe(current);
    expect((await status(auto))?.status).toBe('pending');
  });
});
