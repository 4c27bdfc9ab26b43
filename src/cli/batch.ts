/**
 * Runs processFile over a batch: in this thread for one job or a small batch, else on a pool
 * of worker threads. Results are handed on in the batch's order whatever the scheduling, as
 * soon as they are ready, so output streams and memory holds only what is out of order.
 */
import { Worker } from "node:worker_threads";
import { processFile, type ProcessOptions, type ProcessedFile } from "./process-file.js";

/** Below this many files, starting workers costs more than it saves. */
const POOL_THRESHOLD = 64;
/** Tasks queued ahead per worker, so none waits for the next path. */
const IN_FLIGHT = 4;

export interface BatchOptions {
  jobs: number;
  signal?: AbortSignal;
}

/** Calls onResult(index, result) in index order; returns how many files were processed. */
export async function runBatch(
  paths: string[],
  options: ProcessOptions,
  batch: BatchOptions,
  onResult: (index: number, result: ProcessedFile) => Promise<void>,
): Promise<number> {
  if (batch.jobs <= 1 || paths.length < POOL_THRESHOLD) {
    let done = 0;
    for (const path of paths) {
      if (batch.signal?.aborted) break;
      await onResult(done, await processFile(path, options));
      done++;
    }
    return done;
  }
  return runPool(paths, options, batch, onResult);
}

function workerUrl(): URL {
  // Under the test runner this module is TypeScript source; the worker runs the built copy.
  return import.meta.url.endsWith(".ts") ? new URL("../../dist/cli/worker.js", import.meta.url) : new URL("./worker.js", import.meta.url);
}

async function runPool(
  paths: string[],
  options: ProcessOptions,
  batch: BatchOptions,
  onResult: (index: number, result: ProcessedFile) => Promise<void>,
): Promise<number> {
  const workers = Array.from({ length: Math.min(batch.jobs, paths.length) }, () => new Worker(workerUrl(), { workerData: options }));
  const pending = new Map<number, ProcessedFile>();
  let next = 0; // next path to hand out
  let emitted = 0; // next index to pass on
  let emitting = Promise.resolve();

  try {
    await new Promise<void>((resolve, reject) => {
      const stopped = () => batch.signal?.aborted === true;
      const feed = (w: Worker) => {
        if (next < paths.length && !stopped()) {
          w.postMessage({ index: next, path: paths[next] });
          next++;
        }
      };
      const finishIfDone = () => {
        // Done when every handed-out file has been passed on.
        if (emitted === next && (next === paths.length || stopped())) resolve();
      };
      for (const w of workers) {
        w.on("error", reject);
        w.on("message", (m: { index: number; result: ProcessedFile }) => {
          pending.set(m.index, m.result);
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
        for (let k = 0; k < IN_FLIGHT; k++) feed(w);
      }
      batch.signal?.addEventListener("abort", () => emitting.then(finishIfDone), { once: true });
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return emitted;
}
