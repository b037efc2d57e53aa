import { ImportLimitErrorCode } from '@datapatch/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ImportJob } from './import-job.ts';
import { ImportWorkers } from './import-workers.ts';

function csv(rows: number): Uint8Array {
  const lines = ['nom,ville,places'];
  for (let i = 0; i < rows; i++) lines.push(`Lieu numéro ${i},Ville ${i % 100},${i % 50}`);
  return new TextEncoder().encode(lines.join('\n'));
}

function job(body: Uint8Array, overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    body,
    contentType: 'text/csv',
    filename: 'lieux.csv',
    maxBytes: 100 * 1024 * 1024,
    rowBudget: 1_000_000,
    strict: false,
    dryRun: true,
    current: { exists: false, schema: null, state: Y.encodeStateAsUpdate(new Y.Doc()) },
    meta: { datasetId: 'lieux' },
    actor: { id: 'test' },
    ...overrides,
  };
}

/** Runs `test` with a pool of these budgets, and ends its workers after. */
async function withWorkers(
  budgets: { timeBudgetMs?: number; memoryBudgetMb?: number },
  test: (workers: ImportWorkers) => Promise<void>,
): Promise<void> {
  const workers = new ImportWorkers({ timeBudgetMs: 120_000, memoryBudgetMb: 512, ...budgets });
  try {
    await test(workers);
  } finally {
    await workers.close();
  }
}

describe('imports in a worker thread', () => {
  it('answers a dry run and an import from the worker, the update built there', async () => {
    await withWorkers({}, async (workers) => {
      const dry = await workers.run(job(csv(10)));
      expect(dry.ok && dry.kind === 'dry-run' && dry.answer.rowsRead).toBe(10);
      const made = await workers.run(job(csv(10), { dryRun: false }));
      expect(made).toMatchObject({ ok: true, kind: 'import', rowsImported: 10, created: true });
      expect(made.ok && made.kind === 'import' && made.update.byteLength).toBeGreaterThan(0);
    });
  });

  it('terminates a worker over its time budget and says which budget', async () => {
    // No worker reads 20,000 rows in 1 ms: the budget always runs out first.
    await withWorkers({ timeBudgetMs: 1 }, async (workers) => {
      const outcome = await workers.run(job(csv(20_000)));
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.status).toBe(413);
        expect(outcome.error.code).toBe(ImportLimitErrorCode.timeBudgetExceeded);
      }
    });
  });

  it('refuses a file over the memory budget, and the next import in budget still runs', async () => {
    await withWorkers({ memoryBudgetMb: 32 }, async (workers) => {
      const outcome = await workers.run(job(csv(200_000)));
      expect(!outcome.ok && outcome.error.code).toBe(ImportLimitErrorCode.memoryBudgetExceeded);
      const small = await workers.run(job(csv(100)));
      expect(small.ok && small.kind === 'dry-run' && small.answer.rowsRead).toBe(100);
    });
  });

  it('refuses a file over the row budget before validating it', async () => {
    await withWorkers({}, async (workers) => {
      const outcome = await workers.run(job(csv(11), { rowBudget: 10 }));
      expect(!outcome.ok && outcome.status).toBe(413);
      expect(!outcome.ok && outcome.error.code).toBe(ImportLimitErrorCode.rowBudgetExceeded);
      const within = await workers.run(job(csv(10), { rowBudget: 10 }));
      expect(within.ok).toBe(true);
    });
  });

  it('answers 400 malformed_body for multipart bodies that cannot be parsed', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    const bodies: [string, Uint8Array][] = [
      ['multipart/form-data', text('--x\r\n\r\nno boundary given')],
      ['multipart/form-data; boundary=x', text('not multipart at all')],
      ['multipart/form-data; boundary=x', text('--x\r\nContent-Disposition: form-data; name="file"')],
      ['multipart/form-data; boundary=x', text('--x\r\nbroken header line\r\n\r\nvalue\r\n--x--')],
    ];
    await withWorkers({}, async (workers) => {
      for (const [contentType, body] of bodies) {
        const outcome = await workers.run(job(body, { contentType }));
        expect(!outcome.ok && outcome.status, contentType).toBe(400);
        expect(!outcome.ok && outcome.error.code).toBe(ImportLimitErrorCode.malformedBody);
      }
    });
  });
});
