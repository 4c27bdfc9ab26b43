/**
 * Runs processFile over a batch on worker threads, never on this one. This thread only hands
 * out paths and passes results on in the batch's order, so it stays free whatever a file does:
 * a signal is answered at once, and a file that runs past its time or memory budget fails
 * alone — its worker is replaced, the files queued behind it go to the new one, the batch goes on.
 *
 * Most files are settled by the pre-check in tens of microseconds, so overhead per file
 * matters: paths go out in chunks, a clean file is only counted (its report is rebuilt here),
 * and the first worker starts before the file walk so that loading its modules overlaps it.
 * Each worker says through shared memory which file it is on and whether it is writing it:
 * that pins an overrun on one file, and a stop never cuts a write in half.
 */
import type { SourceIds } from "../analyse/batch-ids.js";
import { Worker } from "node:worker_threads";
import type { ProcessOptions, ProcessedFile } from "./process-file.js";
import type { CallSiteOutcome } from "./call-sites.js";
import type { Migration } from "../callsites/types.js";
import { displayPath } from "./display-path.js";

/** Below this many files one worker does it all: more cost more to start than they save. */
export const POOL_THRESHOLD = 64;
const MAX_CHUNK = 32;
/** After a signal, how long files under way get to finish before their workers are stopped. */
const STOP_GRACE_MS = 400;

/** What one file may cost. */
export interface Budget {
  timeMs: number;
  memoryMb: number;
}

export const DEFAULT_BUDGET: Budget = { timeMs: 10_000, memoryMb: 256 };

/** The per-file budget; UNBAKE_FILE_TIMEOUT_MS and UNBAKE_FILE_MEMORY_MB change it (tests use them). */
export function fileBudget(env: NodeJS.ProcessEnv = process.env): Budget {
  const read = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return { timeMs: read(env.UNBAKE_FILE_TIMEOUT_MS, DEFAULT_BUDGET.timeMs), memoryMb: read(env.UNBAKE_FILE_MEMORY_MB, DEFAULT_BUDGET.memoryMb) };
}

// A worker's shared status: Int32 slots.
/** 1 + batch index of the file being processed; 0 when idle. */
const CURRENT = 0;
/** 1 once the file's analysis is done and it is being written. */
const WRITING = 1;
/** Set by this thread: stop before the next file. */
const STOP = 2;
const STATUS_SLOTS = 3;

export interface BatchOptions {
  jobs: number;
  signal?: AbortSignal;
  /** Workers started early with startPool; terminated by runBatch. */
  pool?: WorkerPool | null;
}

type OnResult = (index: number, result: ProcessedFile) => Promise<void>;

export interface Chunk {
  /** Dockerfiles (processFile), or build files that may call them (the call-site rewrite). */
  kind: "dockerfiles" | "callsites";
  first: number;
  paths: string[];
  /** Learnt after the workers started (they got their options then). */
  noConfig?: boolean;
  /** Secret ids settled for the batch (batch-ids.ts), for those of `paths` that have any: source path → id. */
  ids?: Record<string, SourceIds>;
}

/** What the call-site rewrite needs, sent to each worker once before its call-site chunks. */
export interface CallSiteSetup {
  kind: "setup";
  migrations: Migration[];
  options: CallSiteOptions;
}

export type CallSiteOptions = Parameters<typeof import("./call-sites.js").migrateCallSites>[2];

/** Worker → this thread: each file with something to report as it is done, then the chunk's end. */
export type WorkerMessage =
  | { type: "file"; index: number; result: ProcessedFile | CallSiteOutcome }
  /** The chunk's first `count` files are processed; those not sent were clean. */
  | { type: "done"; first: number; count: number };

export interface WorkerData {
  options: ProcessOptions;
  status: SharedArrayBuffer;
}

/** One worker and what it was given. */
interface Slot {
  worker: Worker;
  status: Int32Array;
  /** Chunks sent and not yet done, in order. */
  chunks: Chunk[];
  /** The CURRENT value seen last, and since when. */
  seen: number;
  since: number;
  /** Has it been sent the call-site setup? */
  setUp?: boolean;
}

export class WorkerPool {
  readonly slots: Slot[] = [];
  constructor(
    size: number,
    readonly options: ProcessOptions,
    readonly budget: Budget = fileBudget(),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  spawn(): Slot {
    const status = new SharedArrayBuffer(STATUS_SLOTS * 4);
    // The memory budget is the worker's heap: a file that needs more ends that worker alone.
    const resourceLimits = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: this.budget.memoryMb };
    const worker = new Worker(workerUrl(), { workerData: { options: this.options, status } satisfies WorkerData, resourceLimits });
    return { worker, status: new Int32Array(status), chunks: [], seen: 0, since: performance.now() };
  }

  grow(size: number): void {
    while (this.slots.length < size) this.slots.push(this.spawn());
  }

  async terminate(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Start the first worker now: it loads while the caller walks the file tree. */
export function startPool(jobs: number, options: ProcessOptions): WorkerPool {
  void jobs;
  return new WorkerPool(1, options);
}

/** A clean file's report, as processFile would have given it. */
export function cleanResult(path: string, options: ProcessOptions): ProcessedFile {
  return { report: { path: displayPath(path, options.cwd), changed: false, findings: [], secrets: [], commands: {}, diffs: [] } };
}

function failedResult(path: string, options: ProcessOptions, error: string): ProcessedFile {
  const r = cleanResult(path, options);
  r.report.error = error;
  return r;
}

export function isClean(r: ProcessedFile): boolean {
  return !r.report.changed && r.report.error === undefined && r.report.findings.length === 0 && !r.ignore && !r.migration;
}

/**
 * The worker's side: processFile over each chunk in turn (never two at once: the shared status
 * names one file), each result worth sending sent as soon as it is ready.
 */
export function serveChunks(data: WorkerData, post: (m: WorkerMessage) => void): (message: Chunk | CallSiteSetup) => void {
  const status = new Int32Array(data.status);
  const writing = { ...data.options, beforeWrite: () => Atomics.store(status, WRITING, 1) };
  let setup: CallSiteSetup | null = null;
  let queue = Promise.resolve();
  // Loaded at once: the worker starts before the file walk, so this overlaps it.
  const loading = import("./process-file.js");
  const one = async (chunk: Chunk, path: string): Promise<ProcessedFile | CallSiteOutcome | null> => {
    if (chunk.kind === "callsites") {
      const { migrateCallSites } = await import("./call-sites.js");
      // The whole rewrite of one file is analysis; only its write is left after it.
      const [outcome] = await migrateCallSites([path], setup!.migrations, setup!.options);
      return outcome ?? null;
    }
    const { processFile } = await loading;
    const options = chunk.noConfig === undefined ? writing : { ...writing, noConfig: chunk.noConfig };
    const r = await processFile(path, chunk.ids?.[path] ? { ...options, secretIds: chunk.ids[path] } : options);
    return isClean(r) ? null : r;
  };
  const work = async (chunk: Chunk) => {
    let k = 0;
    for (; k < chunk.paths.length && Atomics.load(status, STOP) === 0; k++) {
      Atomics.store(status, CURRENT, chunk.first + k + 1);
      const r = await one(chunk, chunk.paths[k]);
      Atomics.store(status, WRITING, 0);
      if (r !== null) post({ type: "file", index: chunk.first + k, result: r });
    }
    Atomics.store(status, CURRENT, 0);
    post({ type: "done", first: chunk.first, count: k });
  };
  return (message) => {
    if (message.kind === "setup") setup = message;
    else queue = queue.then(() => work(message));
  };
}

/** What run() does with one kind of file: its reports, and how a file with nothing to say or a failed one looks. */
interface Job<R> {
  kind: Chunk["kind"];
  paths: string[];
  noConfig?: boolean;
  ids?: Map<string, SourceIds>;
  /** Sent to every worker before its first chunk. */
  setup?: CallSiteSetup;
  clean(index: number): R | null;
  failed(index: number, error: string): R;
  onResult(index: number, result: R): Promise<void>;
}

/** Calls onResult(index, result) in index order; returns how many files were passed on. */
export async function runBatch(
  paths: string[],
  options: ProcessOptions,
  batch: BatchOptions & { ids?: Map<string, SourceIds> },
  onResult: OnResult,
): Promise<number> {
  const pool = batch.pool ?? new WorkerPool(1, options);
  try {
    if (paths.length === 0) return 0;
    if (paths.length >= POOL_THRESHOLD) pool.grow(batch.jobs);
    return await run<ProcessedFile>(pool, batch, {
      kind: "dockerfiles",
      paths,
      noConfig: options.noConfig,
      ids: batch.ids,
      clean: (i) => cleanResult(paths[i], options),
      failed: (i, error) => failedResult(paths[i], options, error),
      onResult,
    });
  } finally {
    await pool.terminate();
  }
}

/**
 * The call-site rewrite of each candidate, on worker threads with the same budget per file as
 * the Dockerfiles (a crafted Makefile or compose file fails alone). Outcomes in candidate order.
 */
export async function runCallSites(
  candidates: string[],
  migrations: Migration[],
  options: CallSiteOptions,
  processOptions: ProcessOptions,
  batch: Omit<BatchOptions, "pool">,
): Promise<CallSiteOutcome[]> {
  const outcomes: CallSiteOutcome[] = [];
  if (candidates.length === 0) return outcomes;
  const pool = new WorkerPool(candidates.length >= POOL_THRESHOLD ? batch.jobs : 1, processOptions);
  const failed = (i: number, error: string): CallSiteOutcome => ({
    path: displayPath(candidates[i], options.cwd),
    diff: null,
    changes: [],
    manual: [],
    error,
    dockerfiles: new Set(),
    byDockerfile: new Map(),
  });
  try {
    await run<CallSiteOutcome>(pool, batch, {
      kind: "callsites",
      paths: candidates,
      setup: { kind: "setup", migrations, options },
      clean: () => null,
      failed,
      onResult: async (_, o) => void outcomes.push(o),
    });
  } finally {
    await pool.terminate();
  }
  return outcomes;
}

/** The batch's settled ids of these paths, for their chunk. */
function idsOf(job: { ids?: Map<string, SourceIds> }, paths: string[]): { ids?: Record<string, SourceIds> } {
  if (!job.ids || job.ids.size === 0) return {};
  const ids: Record<string, SourceIds> = {};
  for (const p of paths) {
    const own = job.ids.get(p);
    if (own) ids[p] = own;
  }
  return Object.keys(ids).length > 0 ? { ids } : {};
}

function workerUrl(): URL {
  // Under the test runner this module is TypeScript source; the worker runs the built copy.
  return import.meta.url.endsWith(".ts") ? new URL("../../dist/cli/worker.js", import.meta.url) : new URL("./worker.js", import.meta.url);
}

function run<R>(pool: WorkerPool, batch: Omit<BatchOptions, "pool">, job: Job<R>): Promise<number> {
  const { budget } = pool;
  const { paths } = job;
  const results = new Map<number, R | null>();
  // Nothing to say: counted, not passed on.
  const onResult = async (index: number, result: R | null) => {
    if (result !== null) await job.onResult(index, result);
  };
  /** Files handed back to be given out again (their worker was replaced), in order. */
  const retry: number[] = [];
  let next = 0; // next path never handed out
  let emitted = 0; // next index to pass on
  let passed = 0; // how many were passed on
  let emitting = Promise.resolve();
  let finished = false;
  let deaths = 0; // workers lost with no file in flight, in a row
  const stopped = () => batch.signal?.aborted === true;

  return new Promise<number>((resolve, reject) => {
    const fail = (e: unknown) => {
      if (finished) return;
      finished = true;
      cleanup();
      reject(e);
    };
    const busy = (s: Slot) => s.chunks.length > 0;
    const finishIfDone = () => {
      if (finished) return;
      const all = emitted === paths.length;
      if (!all && !(stopped() && !pool.slots.some(busy))) return;
      // After a stop, what came back beyond a gap is passed on too: those files may be written.
      emitting = emitting.then(async () => {
        for (const [index, result] of [...results].sort((a, b) => a[0] - b[0])) {
          results.delete(index);
          await onResult(index, result);
          passed++;
        }
      });
      emitting.then(() => {
        if (finished) return;
        finished = true;
        cleanup();
        resolve(passed);
      }, fail);
    };
    const pump = () => {
      emitting = emitting.then(async () => {
        while (results.has(emitted)) {
          const result = results.get(emitted)!;
          results.delete(emitted);
          await onResult(emitted, result);
          emitted++;
          passed++;
        }
        finishIfDone();
      }, fail);
    };
    const take = (): Chunk | null => {
      if (stopped()) return null;
      if (retry.length > 0) {
        // Files behind one that failed: one at a time, so another overrun blames the right one.
        const index = retry.shift()!;
        return { kind: job.kind, first: index, paths: [paths[index]], noConfig: job.noConfig, ...idsOf(job, [paths[index]]) };
      }
      if (next >= paths.length) return null;
      // Smaller chunks near the end keep every worker busy to the last file.
      const size = Math.max(1, Math.min(MAX_CHUNK, Math.ceil((paths.length - next) / (pool.slots.length * 4))));
      const chunk: Chunk = { kind: job.kind, first: next, paths: paths.slice(next, next + size), noConfig: job.noConfig };
      Object.assign(chunk, idsOf(job, chunk.paths));
      next += size;
      return chunk;
    };
    const feed = (s: Slot) => {
      if (job.setup && !s.setUp) {
        s.worker.postMessage(job.setup);
        s.setUp = true;
      }
      // Two chunks in flight per worker: one working, one waiting.
      while (s.chunks.length < 2) {
        const chunk = take();
        if (!chunk) return;
        s.chunks.push(chunk);
        s.worker.postMessage(chunk);
      }
    };
    const onMessage = (s: Slot, m: WorkerMessage) => {
      if (m.type === "file") {
        results.set(m.index, m.result as R);
        return;
      }
      deaths = 0;
      s.chunks.shift();
      for (let k = 0; k < m.count; k++) {
        const index = m.first + k;
        if (!results.has(index) && index >= emitted) results.set(index, job.clean(index));
      }
      // A chunk cut short by a stop: its other files were never started, and are not reported.
      feed(s);
      pump();
    };
    /** The worker is gone (or must go): the file it was on fails with `error`, the files behind it go out again. */
    const replace = (s: Slot, error: (index: number) => string) => {
      const index = Atomics.load(s.status, CURRENT) - 1;
      s.worker.removeAllListeners();
      void s.worker.terminate();
      if (index >= 0) {
        results.set(index, job.failed(index, error(index)));
        deaths = 0;
      } else if (++deaths >= 3) {
        return fail(new Error("the worker threads keep stopping before any file"));
      }
      // Chunks are worked in the order sent: those before the failed file's are done, and so are
      // the files before it in its own (those with something to say were sent); the rest go out again.
      const at = s.chunks.findIndex((c) => index >= c.first && index < c.first + c.paths.length);
      const back: number[] = [];
      s.chunks.forEach((chunk, c) => {
        chunk.paths.forEach((_, k) => {
          const i = chunk.first + k;
          if (c < at || (c === at && i < index)) {
            if (!results.has(i) && i >= emitted) results.set(i, job.clean(i));
          } else if (i !== index) back.push(i);
        });
      });
      retry.unshift(...back);
      const fresh = pool.spawn();
      pool.slots[pool.slots.indexOf(s)] = fresh;
      listen(fresh);
      feed(fresh);
      pump();
    };
    const listen = (s: Slot) => {
      s.worker.on("message", (m: WorkerMessage) => onMessage(s, m));
      s.worker.on("error", (e: Error & { code?: string }) => {
        const memory = e.code === "ERR_WORKER_OUT_OF_MEMORY";
        replace(s, () => (memory ? `needed more than ${budget.memoryMb} MB; not handled` : `cannot be handled: ${e.message}`));
      });
      s.worker.on("exit", () => replace(s, () => "cannot be handled: the worker stopped"));
    };

    // The time budget: checked a few times a second against what each worker says it is on.
    const tickMs = Math.max(20, Math.min(250, budget.timeMs / 4));
    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const s of [...pool.slots]) {
        const current = Atomics.load(s.status, CURRENT);
        if (current !== s.seen) {
          s.seen = current;
          s.since = now;
        }
        if (current === 0) continue;
        // A write under way finishes (it is bounded): only then is its worker stopped.
        const writing = Atomics.load(s.status, WRITING) === 1;
        if (stopped() && !writing && now - stopAt >= STOP_GRACE_MS) {
          replaceStopped(s);
        } else if (!writing && now - s.since > budget.timeMs) {
          replace(s, () => `took longer than ${formatSeconds(budget.timeMs)}; not handled`);
        }
      }
    }, tickMs);
    let stopAt = Infinity;
    /** After a signal: the worker stuck on a file is stopped; that file and those behind it are not reported. */
    const replaceStopped = (s: Slot) => {
      s.worker.removeAllListeners();
      void s.worker.terminate();
      s.chunks = [];
      pool.slots.splice(pool.slots.indexOf(s), 1);
      finishIfDone();
    };
    const onAbort = () => {
      stopAt = performance.now();
      for (const s of pool.slots) Atomics.store(s.status, STOP, 1);
      finishIfDone();
    };
    const cleanup = () => {
      // The pool is terminated next: its workers' exits are not failures.
      for (const s of pool.slots) s.worker.removeAllListeners();
      clearInterval(watchdog);
      batch.signal?.removeEventListener("abort", onAbort);
    };

    for (const s of pool.slots) {
      listen(s);
      feed(s);
    }
    if (stopped()) onAbort();
    else batch.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}
