/**
 * What every DatasetRegistry promises, stated once and run against each backend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../dataset-registry.ts';
import type { OpenBackend, StoreBackend } from './backends.ts';

const summary = (id: string, title: string, rowCount = 1): DatasetSummary => ({
  id,
  title,
  description: `about ${title}`,
  rowCount,
  updatedAt: '2026-12-06T00:00:00.000Z',
});

export function datasetRegistryContract(backend: StoreBackend): void {
  describe(`DatasetRegistry on ${backend.name}`, () => {
    let store: OpenBackend;
    beforeEach(async () => {
      store = await backend.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('upsert adds or replaces one entry by id and never touches another', async () => {
      await store.registry.upsert(summary('b', 'Bancs'));
      await store.registry.upsert(summary('a', 'Arbres'));
      await store.registry.upsert(summary('b', 'Bancs publics', 42));
      const other = (await store.another()).registry;
      expect(await other.get('b')).toEqual(summary('b', 'Bancs publics', 42));
      expect(await other.get('a')).toEqual(summary('a', 'Arbres'));
      expect(await other.get('missing')).toBeNull();
    });

    it('lists by title then id, in byte order', async () => {
      for (const entry of [summary('2', 'b'), summary('1', 'b'), summary('3', 'B'), summary('4', 'a')])
        await store.registry.upsert(entry);
      expect((await store.registry.list()).map((entry) => entry.id)).toEqual(['3', '4', '1', '2']);
    });
  });
}
