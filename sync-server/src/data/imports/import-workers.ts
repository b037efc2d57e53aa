/**
 * Runs imports in worker threads (`node:worker_threads`) with a time and a memory budget, so
 * the relay and the API keep answering while a file is read. Invariants: a worker over its
 * time budget is terminated, one over its memory budget dies on its own; either way the caller
 * gets a refusal naming the budget, never a hang or a crash of the server. An idle worker is
 * kept a while for the next import, then ended; no worker keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { ImportLimitErrorCode } from '@datapatch/protocol';
import type { ImportJob, ImportOutcome, ImportRefusal } from './import-job.ts';

export interface WorkerBudgets {
  timeBudgetMs: number;
  memoryBudgetMb: number;
}

/**
 * The worker's code is TypeScript, run by tsx like the rest of the server (`tsx
 * sync-server/src/cli/main.ts`, `pnpm start`, vitest). A thread does not always inherit the loader
 * (vitest runs modules through its own), so the worker registers tsx itself before importing
 * its entry; registering it twice (when inherited) is harmless.
 */
function workerBootstrap(): URL {
  const entry = new URL('./import-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `const { register } = await import(${JSON.stringify(tsx)});
register();
await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

function overBudget(code: string, message: string, fr: string): ImportRefusal {
  return { ok: false, status: 413, error: { code, message, fr } };
}

export class ImportWorkers {
  readonly #idle = new Set<Worker>();
  readonly #busy = new Set<Worker>();
  readonly #bootstrap = workerBootstrap();
  #closed = false;

  constructor(
    readonly budgets: WorkerBudgets,
    /** How long an idle worker waits for the next import before it is ended. */
    readonly idleMs = 30_000,
  ) {}

  #take(): Worker {
    const [idle] = this.#idle;
    if (idle) {
      this.#idle.delete(idle);
      return idle;
    }
    const worker = new Worker(this.#bootstrap, {
      resourceLimits: { maxOldGenerationSizeMb: this.budgets.memoryBudgetMb },
    });
    worker.unref();
    return worker;
  }

  #park(worker: Worker): void {
    if (this.#closed) {
      void worker.terminate();
      return;
    }
    this.#idle.add(worker);
    const timer = setTimeout(() => {
      if (this.#idle.delete(worker)) void worker.terminate();
    }, this.idleMs);
    timer.unref();
    // Taken again before the timer fires: the timer then finds it busy and leaves it.
  }

  /** Runs one job; the job's buffers are transferred to the worker (unusable here afterwards). */
  run(job: ImportJob): Promise<ImportOutcome> {
    if (this.#closed) return Promise.reject(new Error('import workers are closed'));
    const worker = this.#take();
    this.#busy.add(worker);
    const { timeBudgetMs, memoryBudgetMb } = this.budgets;
    return new Promise<ImportOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: ImportOutcome, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.#busy.delete(worker);
        if (keep) this.#park(worker);
        else void worker.terminate();
        resolve(outcome);
      };
      const timer = setTimeout(
        () =>
          settle(
            overBudget(
              ImportLimitErrorCode.timeBudgetExceeded,
              `Reading and checking the file took more than the import time budget (${timeBudgetMs} ms); nothing was imported`,
              `La lecture et la vérification du fichier ont dépassé le budget de temps d’un import (${timeBudgetMs} ms) : rien n’a été importé`,
            ),
            false,
          ),
        timeBudgetMs,
      );
      const onMessage = (outcome: ImportOutcome) => settle(outcome, true);
      const onError = (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          settle(
            overBudget(
              ImportLimitErrorCode.memoryBudgetExceeded,
              `Reading and checking the file needed more than the import memory budget (${memoryBudgetMb} MB); nothing was imported`,
              `La lecture et la vérification du fichier ont demandé plus que le budget de mémoire d’un import (${memoryBudgetMb} Mo) : rien n’a été importé`,
            ),
            false,
          );
          return;
        }
        console.error('datapatch: an import worker failed', error);
        settle(unreadable(error.message), false);
      };
      const onExit = (code: number) => settle(unreadable(`the worker stopped (exit code ${code})`), false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const transfer = [job.body.buffer, job.current.state.buffer].filter(
        (buffer, i, all): buffer is ArrayBuffer => buffer instanceof ArrayBuffer && all.indexOf(buffer) === i,
      );
      worker.postMessage(job, transfer);
    });
  }

  /** Ends every worker, idle or busy (a busy import is answered `import_unreadable`). */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#idle, ...this.#busy];
    this.#idle.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
  }
}

function unreadable(detail: string): ImportRefusal {
  return {
    ok: false,
    status: 422,
    error: { code: ImportLimitErrorCode.unreadable, message: `The file could not be read: ${detail}` },
  };
}

const shared = new Map<string, ImportWorkers>();

/**
 * One pool per process and budget pair: the servers and routes of one process share warm
 * workers (a worker's first import also loads the readers, about a second).
 */
export function sharedImportWorkers(budgets: WorkerBudgets): ImportWorkers {
  const key = `${budgets.timeBudgetMs}/${budgets.memoryBudgetMb}`;
  let workers = shared.get(key);
  if (workers === undefined) {
    workers = new ImportWorkers({
      timeBudgetMs: budgets.timeBudgetMs,
      memoryBudgetMb: budgets.memoryBudgetMb,
    });
    shared.set(key, workers);
  }
  return workers;
}
