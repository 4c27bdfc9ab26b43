/**
 * Runs processFile over a batch: in this thread for one job or a small batch, else on a pool
 * of worker threads. Results are handed on in the batch's order whatever the scheduling, as
 * soon as they are ready, so output streams and memory holds only what is out of order.
 *
 * Most files are settled by the pre-check in tens of microseconds, so per-message overhead
 * matters: paths go to workers in chunks, and the pool is started before the file walk so that
 * loading the workers' modules overlaps it.
 */
import { Worker } from "node:worker_threads";
import type { ProcessOptions, ProcessedFile } from "./process-file.js";

/** Below this many files, a pool costs more than it saves. */
export const POOL_THRESHOLD = 64;
const MAX_CHUNK = 32;

export interface BatchOptions {
  jobs: number;
  signal?: AbortSignal;
  /** A pool started early with startPool; terminated by runBatch. */
  pool?: WorkerPool | null;
}

type OnResult = (index: number, result: ProcessedFile) => Promise<void>;

interface ChunkResult {
  first: number;
  results: ProcessedFile[];
}

export class WorkerPool {
  readonly workers: Worker[];
  constructor(size: number, options: ProcessOptions) {
    this.workers = Array.from({ length: size }, () => new Worker(workerUrl(), { workerData: options }));
  }
  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Start the workers now (they load while the caller walks the file tree), or null for one job. */
export function startPool(jobs: number, options: ProcessOptions): WorkerPool | null {
  return jobs > 1 ? new WorkerPool(jobs, options) : null;
}

/** Calls onResult(index, result) in index order; returns how many files were processed. */
export async function runBatch(paths: string[], options: ProcessOptions, batch: BatchOptions, onResult: OnResult): Promise<number> {
  const pool = batch.pool ?? null;
  try {
    if (!pool || paths.length < POOL_THRESHOLD) return await runHere(paths, options, batch, onResult);
    return await runOnPool(pool, paths, batch, onResult);
  } finally {
    await pool?.terminate();
  }
}

async function runHere(paths: string[], options: ProcessOptions, batch: BatchOptions, onResult: OnResult): Promise<number> {
  const { processFile } = await import("./process-file.js");
  let done = 0;
  for (const path of paths) {
    if (batch.signal?.aborted) break;
    await onResult(done, await processFile(path, options));
    done++;
  }
  return done;
}

function workerUrl(): URL {
  // Under the test runner this module is TypeScript source; the worker runs the built copy.
  return import.meta.url.endsWith(".ts") ? new URL("../../dist/cli/worker.js", import.meta.url) : new URL("./worker.js", import.meta.url);
}

function runOnPool(pool: WorkerPool, paths: string[], batch: BatchOptions, onResult: OnResult): Promise<number> {
  const pending = new Map<number, ProcessedFile>();
  let next = 0; // next path to hand out
  let emitted = 0; // next index to pass on
  let emitting = Promise.resolve();
  const stopped = () => batch.signal?.aborted === true;

  return new Promise<number>((resolve, reject) => {
    const finishIfDone = () => {
      // Done when every handed-out file has been passed on.
      if (emitted === next && (next === paths.length || stopped())) resolve(emitted);
    };
    const feed = (w: Worker) => {
      if (next >= paths.length || stopped()) return;
      // Smaller chunks near the end keep both workers busy to the last file.
      const size = Math.max(1, Math.min(MAX_CHUNK, Math.ceil((paths.length - next) / (pool.workers.length * 4))));
      w.postMessage({ first: next, paths: paths.slice(next, next + size) });
      next += size;
    };
    for (const w of pool.workers) {
      w.on("error", reject);
      w.on("message", (m: ChunkResult) => {
        m.results.forEach((r, k) => pending.set(m.first + k, r));
        feed(w);
        emitting = emitting.then(async () => {
          while (pending.has(emitted)) {
            const result = pending.get(emitted)!;
            pending.delete(emitted);
            await onResult(emitted, result);
            emitted++;
          }
          finishIfDone();
        }, reject);
      });
      // Two chunks in flight per worker: one working, one waiting.
      feed(w);
      feed(w);
    }
    batch.signal?.addEventListener("abort", () => void emitting.then(finishIfDone), { once: true });
  });
}
