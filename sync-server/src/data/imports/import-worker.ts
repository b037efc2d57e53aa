/**
 * The worker thread's entry (started by `import-workers.ts`): runs one job per message and
 * answers with its outcome. Invariant: it answers every message exactly once, a thrown error
 * included (as `import_unreadable`, logged), so the pool never waits on a silent worker.
 */
import { parentPort } from 'node:worker_threads';
import { ImportLimitErrorCode } from '@datapatch/protocol';
import { type ImportJob, type ImportOutcome, runImportJob } from './import-job.ts';

const port = parentPort;
if (port === null) throw new Error('import-worker.ts runs as a worker thread only');

port.on('message', async (job: ImportJob) => {
  let outcome: ImportOutcome;
  try {
    outcome = await runImportJob(job);
  } catch (error) {
    console.error('datapatch: an import failed in its worker', error);
    outcome = {
      ok: false,
      status: 422,
      error: {
        code: ImportLimitErrorCode.unreadable,
        message: `The file could not be read: ${(error as Error)?.message ?? String(error)}`,
      },
    };
  }
  port.postMessage(
    outcome,
    outcome.ok && outcome.kind === 'import' ? [outcome.update.buffer as ArrayBuffer] : [],
  );
});
