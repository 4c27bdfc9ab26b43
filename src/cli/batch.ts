/**
 * Runs processFile over a batch on `jobs` threads: this one and jobs - 1 workers. Results are
 * handed on in the batch's order whatever the scheduling, as soon as they are ready, so output
 * streams and memory holds only what is out of order.
 *
 * Most files are settled by the pre-check in tens of microseconds, so overhead per file
 * matters: paths go out in chunks, a clean file comes back as null (its report is rebuilt
 * here), and the workers start before the file walk so that loading their modules overlaps it.
 */
import { Worker } from "node:worker_threads";
import type { ProcessOptions, ProcessedFile } from "./process-file.js";
import { displayPath } from "./display-path.js";

/** Below this many files, workers cost more than they save. */
export const POOL_THRESHOLD = 64;
const MAX_CHUNK = 32;

export interface BatchOptions {
  jobs: number;
  signal?: AbortSignal;
  /** Workers started early with startPool; terminated by runBatch. */
  pool?: WorkerPool | null;
}

type OnResult = (index: number, result: ProcessedFile) => Promise<void>;

export interface Chunk {
  first: number;
  paths: string[];
  /** Learnt after the workers started (they got their options then). */
  noConfig?: boolean;
}

/** What a worker sends back: null for a file with nothing to report. */
export interface ChunkResult {
  first: number;
  results: (ProcessedFile | null)[];
}

export class WorkerPool {
  readonly workers: Worker[];
  constructor(size: number, options: ProcessOptions) {
    // Small heaps: a worker holds one file at a time, and unbounded heaps grow RSS for nothing.
    const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };
    this.workers = Array.from({ length: size }, () => new Worker(workerUrl(), { workerData: options, resourceLimits }));
  }
  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Start the workers now (they load while the caller walks the file tree), or null for one job. */
export function startPool(jobs: number, options: ProcessOptions): WorkerPool | null {
  return jobs > 1 ? new WorkerPool(jobs - 1, options) : null;
}

/** A clean file's report, as processFile would have given it. */
export function cleanResult(path: string, options: ProcessOptions): ProcessedFile {
  return { report: { path: displayPath(path, options.cwd), changed: false, findings: [], secrets: [], commands: {}, diffs: [] } };
}

/** processFile over a chunk, with clean files as null. */
export async function processChunk(chunk: Chunk, workerOptions: ProcessOptions): Promise<ChunkResult> {
  const { processFile } = await import("./process-file.js");
  const options = chunk.noConfig === undefined ? workerOptions : { ...workerOptions, noConfig: chunk.noConfig };
  const results: (ProcessedFile | null)[] = [];
  for (const path of chunk.paths) {
    const r = await processFile(path, options);
    const clean = !r.report.changed && r.report.error === undefined && r.report.findings.length === 0 && !r.ignore && !r.migration;
    results.push(clean ? null : r);
  }
  return { first: chunk.first, results };
}

/** Calls onResult(index, result) in index order; returns how many files were processed. */
export async function runBatch(paths: string[], options: ProcessOptions, batch: BatchOptions, onResult: OnResult): Promise<number> {
  const pool = batch.pool ?? null;
  try {
    return await run(pool && paths.length >= POOL_THRESHOLD ? pool.workers : [], paths, options, batch, onResult);
  } finally {
    await pool?.terminate();
  }
}

function workerUrl(): URL {
  // Under the test runner this module is TypeScript source; the worker runs the built copy.
  return import.meta.url.endsWith(".ts") ? new URL("../../dist/cli/worker.js", import.meta.url) : new URL("./worker.js", import.meta.url);
}

function run(workers: Worker[], paths: string[], options: ProcessOptions, batch: BatchOptions, onResult: OnResult): Promise<number> {
  const pending = new Map<number, ProcessedFile>();
  const threads = workers.length + 1;
  let next = 0; // next path to hand out
  let emitted = 0; // next index to pass on
  let emitting = Promise.resolve();
  const stopped = () => batch.signal?.aborted === true;

  return new Promise<number>((resolve, reject) => {
    const finishIfDone = () => {
      // Done when every handed-out file has been passed on.
      if (emitted === next && (next === paths.length || stopped())) resolve(emitted);
    };
    const take = (): Chunk | null => {
      if (next >= paths.length || stopped()) return null;
      // Smaller chunks near the end keep every thread busy to the last file.
      const size = Math.max(1, Math.min(MAX_CHUNK, Math.ceil((paths.length - next) / (threads * 4))));
      const chunk: Chunk = { first: next, paths: paths.slice(next, next + size), noConfig: options.noConfig };
      next += size;
      return chunk;
    };
    const accept = (m: ChunkResult) => {
      m.results.forEach((r, k) => pending.set(m.first + k, r ?? cleanResult(paths[m.first + k], options)));
      emitting = emitting.then(async () => {
        while (pending.has(emitted)) {
          const result = pending.get(emitted)!;
          pending.delete(emitted);
          await onResult(emitted, result);
          emitted++;
        }
        finishIfDone();
      }, reject);
    };
    const feed = (w: Worker) => {
      const chunk = take();
      if (chunk) w.postMessage(chunk);
    };
    for (const w of workers) {
      w.on("error", reject);
      w.on("message", (m: ChunkResult) => {
        feed(w);
        accept(m);
      });
      // Two chunks in flight per worker: one working, one waiting.
      feed(w);
      feed(w);
    }
    // This thread is a job too: it takes a chunk whenever its event loop is free.
    const here = async () => {
      for (let chunk = take(); chunk; chunk = take()) {
        accept(await processChunk(chunk, options));
        await new Promise((r) => setImmediate(r)); // let worker results in between
      }
      await emitting;
      finishIfDone();
    };
    here().catch(reject);
    batch.signal?.addEventListener("abort", () => void emitting.then(finishIfDone), { once: true });
  });
}
