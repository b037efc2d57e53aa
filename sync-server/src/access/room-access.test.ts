import { describe, expect, it } from 'vitest';
import { insertTestUser, testDependencies } from '../testing/access-dependencies.ts';
import { registerDataset, updateDatasetSettings } from './datasets.ts';
import { grantRole } from './roles.ts';
import { accessToRoom } from './room-access.ts';

describe('access to a websocket room', () => {
  it('follows the role and the dataset visibility', () => {
    const deps = testDependencies();
    const owner = insertTestUser(deps, 'owner');
    const reader = insertTestUser(deps, 'reader');
    registerDataset(deps, { datasetId: 'parks', ownerId: owner });
    grantRole(deps, { datasetId: 'parks', subject: { kind: 'user', id: reader }, role: 'reader', by: owner });
    expect(accessToRoom(deps.db, null, 'ds/parks/validated')).toBe('none');
    expect(accessToRoom(deps.db, reader, 'ds/parks/validated')).toBe('read');
    expect(accessToRoom(deps.db, reader, 'ds/parks/pending')).toBe('none');
    expect(accessToRoom(deps.db, owner, 'ds/parks/pending')).toBe('write');
    updateDatasetSettings(deps, { datasetId: 'parks', by: owner, changes: { visibility: 'public' } });
    expect(accessToRoom(deps.db, null, 'ds/parks/validated')).toBe('read');
    expect(accessToRoom(deps.db, null, 'ds/parks/pending')).toBe('none');
  });

  it('an unknown room or a dataset without settings is closed to everyone', () => {
    const deps = testDependencies();
    const owner = insertTestUser(deps, 'owner');
    expect(accessToRoom(deps.db, owner, 'ds/ghost/validated')).toBe('none');
    expect(accessToRoom(deps.db, owner, 'ds/../validated')).toBe('none');
    expect(accessToRoom(deps.db, owner, 'something-else')).toBe('none');
  });
});
