import { addRow, readMeta, readRows } from '@datapatch/core';
import { roomName } from '@datapatch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server/server.ts';
import {
  closeClient,
  connectClient,
  startTestServer,
  temporaryDataDir,
  waitFor,
} from '../testing/clients.ts';
import { DEMO_DATASET_ID, seedDemoDataset } from './demo-dataset.ts';

const ROOM = roomName(DEMO_DATASET_ID, 'validated');

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function start(dataDir: string, roomGraceMs = 60_000): Promise<RunningServer> {
  const server = await startTestServer({ dataDir, roomGraceMs, onFirstStart: seedDemoDataset });
  cleanups.push(() => server.close());
  return server;
}

async function listDatasets(server: RunningServer) {
  const response = await fetch(`${server.url}/api/datasets`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { datasets: { id: string; title: string; rowCount: number }[] })
    .datasets;
}

describe('the demo dataset on a fresh data folder', () => {
  it('is listed, and a client opening its room gets every row, its title and its schema', async () => {
    const data = temporaryDataDir();
    cleanups.push(data.remove);
    const server = await start(data.dir);
    expect(await listDatasets(server)).toEqual([
      expect.objectContaining({
        id: DEMO_DATASET_ID,
        title: 'Sanisettes et toilettes publiques de Paris',
        rowCount: 256,
      }),
    ]);

    const client = connectClient(server.url, ROOM);
    cleanups.push(() => closeClient(client));
    await waitFor(() => client.provider.synced, 'sync');
    const rows = readRows(client.doc);
    expect(rows).toHaveLength(256);
    expect(readMeta(client.doc).licence).toBe('ODbL-1.0');
    const first = rows[0]!.values;
    expect(first.adresse).toBe('4  RUE SALOMON DE CAUS');
    expect(typeof first.geo_point_2d_lat).toBe('number');
    expect(first.statut).toBeNull();
  });

  it('is created once: a restart keeps the edited data, and the list follows edits after eviction', async () => {
    const data = temporaryDataDir();
    cleanups.push(data.remove);
    let server = await start(data.dir, 30);
    const client = connectClient(server.url, ROOM);
    await waitFor(() => client.provider.synced, 'sync');
    addRow(
      client.doc,
      { type: 'SANISETTE', adresse: '1 place de test', arrondissement: '75001' },
      { id: 'tester' },
    );
    await waitFor(() => server.relay.roomsInMemory().includes(ROOM), 'the room to load');
    await server.relay.settle();
    // Let the update reach the server before leaving (a peer would see it then).
    const peer = connectClient(server.url, ROOM);
    await waitFor(
      () => peer.provider.synced && readRows(peer.doc).length === 257,
      'the new row to reach a peer',
    );
    closeClient(client);
    closeClient(peer);
    await waitFor(() => !server.relay.roomsInMemory().includes(ROOM), 'eviction');
    await server.relay.settle();
    expect((await listDatasets(server))[0]?.rowCount).toBe(257);

    await server.close();
    server = await start(data.dir);
    const datasets = await listDatasets(server);
    expect(datasets.map((d) => d.id)).toEqual([DEMO_DATASET_ID]);
    const again = connectClient(server.url, ROOM);
    cleanups.push(() => closeClient(again));
    await waitFor(() => again.provider.synced, 'sync after restart');
    expect(readRows(again.doc)).toHaveLength(257);
  });
});
