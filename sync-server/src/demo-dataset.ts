/**
 * The demo dataset created on an empty data folder. Placeholder until @datapatch/core lands.
 */
import type { DatasetRegistry } from './dataset-registry.ts';
import type { UpdateStore } from './update-store.ts';

export async function seedDemoDataset(_stores: {
  updates: UpdateStore;
  registry: DatasetRegistry;
}): Promise<void> {}
