import { getProposal, readRows } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeClient, connectClient, waitFor, waitSynced } from '../testing/clients.ts';
import { type AccessTestServer, startAccessServer } from '../testing/http-server.ts';

let t: AccessTestServer;
let rowIds: string[];
beforeAll(async () => {
  t = await startAccessServer();
  rowIds = await t.server.relay.readDocument(roomName('lieux', 'validated'), (doc) =>
    readRows(doc).map((row) => row.id),
  );
});
afterAll(async () => {
  await t.cleanup();
});

const json = { 'content-type': 'application/json' };
const code = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;
let keys = 0;
function propose(fields: Record<string, unknown>) {
  keys += 1;
  return fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      kind: 'change',
      idempotencyKey: `moderation-test-${String(keys).padStart(6, '0')}`,
      ...fields,
    }),
  });
}
const moderate = (path: string, body: unknown, who: 'moderator' | 'reader' = 'moderator') =>
  fetch(`${t.server.url}/api/datasets/lieux/proposals/${path}`, {
    method: 'POST',
    headers: { ...json, ...t.headers(who) },
    body: JSON.stringify(body),
  });

describe('anonymous proposals over HTTP', () => {
  it('202 with id and receipt; the receipt reads, amends and withdraws; the same key twice makes one proposal', async () => {
    const body = {
      kind: 'change',
      rowId: rowIds[0],
      base: { horaires: '9h-17h' },
      proposed: { horaires: '8h-18h' },
      contact: 'claire@example.net',
      idempotencyKey: 'same-key-twice-000001',
    };
    const send = () =>
      fetch(`${t.server.url}/api/datasets/lieux/proposals`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(body),
      });
    const first = await send();
    expect(first.status).toBe(202);
    const { proposalId, receipt } = (await first.json()) as { proposalId: string; receipt: string };
    const second = await send();
    expect(await second.json()).toEqual({ proposalId, receipt });
    expect(await t.server.proposals.get(proposalId)).toMatchObject({ id: proposalId, revision: 1 });
    // In the pending document held by the relay, with the contact for moderators.
    const inDoc = await t.server.relay.readDocument(roomName('lieux', 'pending'), (doc) =>
      getProposal(doc, proposalId),
    );
    expect(inDoc).toMatchObject({ proposed: { horaires: '8h-18h' }, contact: 'claire@example.net' });

    const status = await fetch(`${t.server.url}/api/proposals/${proposalId}?receipt=${receipt}`);
    const read = (await status.json()) as { proposal: Record<string, unknown> };
    expect(read.proposal).toMatchObject({ status: 'pending', proposed: { horaires: '8h-18h' } });
    expect(read.proposal.contact).toBeUndefined();
    expect((await fetch(`${t.server.url}/api/proposals/${proposalId}?receipt=dpr_wrong`)).status).toBe(404);

    const amended = await fetch(`${t.server.url}/api/proposals/${proposalId}?receipt=${receipt}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({
        ...body,
        proposed: { horaires: '7h-19h' },
        idempotencyKey: 'amend-key-00000001',
      }),
    });
    expect(amended.status).toBe(200);
    expect(((await amended.json()) as { proposal: { proposed: unknown } }).proposal.proposed).toEqual({
      horaires: '7h-19h',
    });
    const withdrawn = await fetch(`${t.server.url}/api/proposals/${proposalId}?receipt=${receipt}`, {
      method: 'DELETE',
    });
    expect(((await withdrawn.json()) as { proposal: { status: string } }).proposal.status).toBe('withdrawn');
  });

  it('a private dataset takes no proposal and answers like a missing one', async () => {
    const response = await fetch(`${t.server.url}/api/datasets/secret/proposals`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        kind: 'create',
        proposed: { nom: 'x' },
        idempotencyKey: 'private-dataset-0001',
      }),
    });
    expect(response.status).toBe(404);
    expect(await code(response)).toBe('dataset_not_found');
  });

  it('a value the schema refuses is 422 proposal_invalid with issues', async () => {
    const response = await propose({ rowId: rowIds[0], proposed: { places: -4 } });
    expect(response.status).toBe(422);
    expect(await code(response)).toBe('proposal_invalid');
  });
});

describe('moderation over HTTP', () => {
  it('an accept is seen at once by a connected y-websocket reader, and goes in the changelog', async () => {
    const reader = connectClient(t.server.url, roomName('lieux', 'validated'));
    try {
      await waitSynced(reader);
      const created = await propose({ rowId: rowIds[1], base: { places: 0 }, proposed: { places: 12 } });
      const { proposalId } = (await created.json()) as { proposalId: string };
      const accepted = await moderate(`${proposalId}/accept`, {});
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({ ok: true, status: 'accepted' });
      await waitFor(
        () => readRows(reader.doc).find((row) => row.id === rowIds[1])?.values.places === 12,
        'the reader to see the accepted value',
      );
      const changes = await fetch(`${t.server.url}/api/datasets/lieux/changes?proposalId=${proposalId}`);
      expect(((await changes.json()) as { changes: { new: unknown }[] }).changes[0]?.new).toBe(12);
      // Decided: it no longer counts against its contributor's pending cap.
      expect((await t.server.proposals.get(proposalId))?.settled_at).not.toBeNull();
    } finally {
      closeClient(reader);
    }
  });

  it('a partial accept over HTTP keeps a reason per refused field, and the receipt holder reads it', async () => {
    const created = await propose({
      // No base: the previous test changed this record, and a conflict is not what this test is about.
      rowId: rowIds[1],
      proposed: { places: 14, horaires: '9h-17h' },
    });
    const { proposalId, receipt } = (await created.json()) as { proposalId: string; receipt: string };
    const refused = await moderate(`${proposalId}/accept`, {
      fields: ['places'],
      refusedReasons: { horaires: 7 },
    });
    expect(refused.status).toBe(400);
    const accepted = await moderate(`${proposalId}/accept`, {
      fields: ['places'],
      refusedReasons: { horaires: 'Horaires non confirmés par la mairie' },
    });
    expect(await accepted.json()).toMatchObject({ ok: true, status: 'partially-accepted' });
    const status = await fetch(`${t.server.url}/api/proposals/${proposalId}?receipt=${receipt}`);
    expect(((await status.json()) as { proposal: unknown }).proposal).toMatchObject({
      status: 'partially-accepted',
      decision: { fields: ['places'], refusedReasons: { horaires: 'Horaires non confirmés par la mairie' } },
    });
  });

  it('a conflict answers 409 with base, current and proposed; force overwrites; undo puts it back', async () => {
    const a = (await (
      await propose({ rowId: rowIds[0], base: { nom: 'Mairie' }, proposed: { nom: 'Hôtel de ville' } })
    ).json()) as {
      proposalId: string;
    };
    const b = (await (
      await propose({ rowId: rowIds[0], base: { nom: 'Mairie' }, proposed: { nom: 'Mairie annexe' } })
    ).json()) as {
      proposalId: string;
    };
    expect((await moderate(`${a.proposalId}/accept`, {})).status).toBe(200);
    const conflict = await moderate(`${b.proposalId}/accept`, {});
    expect(conflict.status).toBe(409);
    expect(
      ((await conflict.json()) as { error: { code: string; conflicts: unknown[] } }).error,
    ).toMatchObject({
      code: 'conflict',
      conflicts: [{ field: 'nom', base: 'Mairie', current: 'Hôtel de ville', proposed: 'Mairie annexe' }],
    });
    expect((await moderate(`${b.proposalId}/accept`, { force: true })).status).toBe(200);
    const undo = await moderate(`${b.proposalId}/undo`, {});
    expect(await undo.json()).toMatchObject({ ok: true, status: 'pending' });
    const nom = await t.server.relay.readDocument(
      roomName('lieux', 'validated'),
      (doc) => readRows(doc).find((row) => row.id === rowIds[0])?.values.nom,
    );
    expect(nom).toBe('Hôtel de ville');
  });

  it('reject records the reason for the contributor; a reader may not moderate', async () => {
    const created = (await (
      await propose({ rowId: rowIds[1], proposed: { horaires: 'jamais' } })
    ).json()) as {
      proposalId: string;
      receipt: string;
    };
    expect((await moderate(`${created.proposalId}/reject`, { reason: 'doublon' }, 'reader')).status).toBe(
      403,
    );
    expect((await moderate(`${created.proposalId}/reject`, { reason: 'doublon' })).status).toBe(200);
    const status = await fetch(
      `${t.server.url}/api/proposals/${created.proposalId}?receipt=${created.receipt}`,
    );
    expect(((await status.json()) as { proposal: { decision: unknown } }).proposal.decision).toMatchObject({
      status: 'rejected',
      reason: 'doublon',
    });
  });

  it('lists proposals by status, row and field; SQL injection in filters is refused with invalid_filter', async () => {
    const list = async (query: string) =>
      fetch(`${t.server.url}/api/datasets/lieux/proposals?${query}`, { headers: t.headers('moderator') });
    const rejected = (await (await list('status=rejected')).json()) as { proposals: { status: string }[] };
    expect(rejected.proposals.length).toBeGreaterThan(0);
    expect(rejected.proposals.every((p) => p.status === 'rejected')).toBe(true);
    const byField = (await (await list('field=places')).json()) as { proposals: { proposed: object }[] };
    expect(byField.proposals.every((p) => 'places' in p.proposed)).toBe(true);
    const byRow = (await (await list(`rowId=${rowIds[1]}`)).json()) as { total: number };
    expect(byRow.total).toBeGreaterThan(0);
    for (const query of [
      `status=${encodeURIComponent("pending' OR '1'='1")}`,
      `limit=${encodeURIComponent('1; DROP TABLE proposals')}`,
      `olderThanMs=${encodeURIComponent('0 UNION SELECT * FROM users')}`,
    ]) {
      const response = await list(query);
      expect(response.status).toBe(400);
      expect(await code(response)).toBe('invalid_filter');
    }
    const harmless = await list(`rowId=${encodeURIComponent("x' OR 1=1 --")}`);
    expect(((await harmless.json()) as { total: number }).total).toBe(0);
    // The proposals are still there.
    expect(((await (await list('')).json()) as { total: number }).total).toBeGreaterThan(0);
  });
});
