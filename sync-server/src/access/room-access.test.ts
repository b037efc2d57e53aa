import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { registerDataset, updateDatasetSettings } from './datasets.ts';
import { grantRole } from './roles.ts';
import { accessToRoom } from './room-access.ts';

describe('access to a websocket room', () => {
  it('follows the role and the dataset visibility', async () => {
    const deps = testDependencies();
    const owner = await insertTestUser(deps, 'owner');
    const reader = await insertTestUser(deps, 'reader');
    await registerDataset(deps, { datasetId: 'parks', ownerId: owner });
    await grantRole(deps, {
      datasetId: 'parks',
      subject: { kind: 'user', id: reader },
      role: 'reader',
      by: owner,
    });
    expect(await accessToRoom(deps.store, null, 'ds/parks/validated')).toBe('none');
    expect(await accessToRoom(deps.store, reader, 'ds/parks/validated')).toBe('read');
    expect(await accessToRoom(deps.store, reader, 'ds/parks/pending')).toBe('none');
    expect(await accessToRoom(deps.store, owner, 'ds/parks/pending')).toBe('write');
    await updateDatasetSettings(deps, { datasetId: 'parks', by: owner, changes: { visibility: 'public' } });
    expect(await accessToRoom(deps.store, null, 'ds/parks/validated')).toBe('read');
    expect(await accessToRoom(deps.store, null, 'ds/parks/pending')).toBe('none');
  });

  it('an unknown room or a dataset without settings is closed to everyone', async () => {
    const deps = testDependencies();
    const owner = await insertTestUser(deps, 'owner');
    expect(await accessToRoom(deps.store, owner, 'ds/ghost/validated')).toBe('none');
    expect(await accessToRoom(deps.store, owner, 'ds/../validated')).toBe('none');
    expect(await accessToRoom(deps.store, owner, 'something-else')).toBe('none');
  });
});
