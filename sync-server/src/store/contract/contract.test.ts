import { describe } from 'vitest';
import { requireServices } from '../../testing/services.ts';
import { accessStoreContract } from './access-store-contract.ts';
import { postgresBackend, sqliteBackend } from './backends.ts';
import { datasetRegistryContract } from './dataset-registry-contract.ts';
import { proposalStoreContract } from './proposal-store-contract.ts';
import { updateStoreContract } from './update-store-contract.ts';
import { webhookStoreContract } from './webhook-store-contract.ts';

const postgres = await requireServices('the store contract on PostgreSQL', ['postgres']);

for (const backend of [sqliteBackend, postgresBackend]) {
  const skip = backend === postgresBackend && !postgres.available;
  (skip ? describe.skip : describe)(`the ${backend.name} backend keeps the store contract`, () => {
    updateStoreContract(backend);
    datasetRegistryContract(backend);
    proposalStoreContract(backend);
    accessStoreContract(backend);
    webhookStoreContract(backend);
  });
}
