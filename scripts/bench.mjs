#!/usr/bin/env node
// Speed over ../shared/corpus/bench, every figure beside the parse-only baseline measured in the
// same run. The baseline is a process that reads every file and parses it with dockerfile-ast:
// the floor for any tool built on that parser. Usage: npm run bench [-- --rounds N] [-- --quick]
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { performance } from "node:perf_hooks";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = join(root, "..", "shared", "corpus", "bench");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg("--rounds", 3);
const quick = process.argv.includes("--quick");
const scratchBase = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile() && e.name !== "MANIFEST.tsv") out.push(p);
  }
  return out.sort();
}

/** Wall time and peak RSS of a node script, median of `n` runs. */
function measure(script, args, n = rounds) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, "scripts", script), ...args], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
      env: { ...process.env, CI: "true" },
    });
    const ms = performance.now() - t0;
    const rss = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${script} ${args.slice(0, 3).join(" ")} exited ${r.status}: ${r.stderr.slice(-500)}`);
    runs.push({ ms, rss });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

/** A tree of `copies` copies of the corpus (on tmpfs when there is one: quick to make). */
function copiesOf(files, copies) {
  const texts = files.map((f) => readFileSync(f));
  const dir = mkdtempSync(join(scratchBase, `unbake-bench-${copies}x-`));
  const out = [];
  for (let c = 0; c < copies; c++) {
    files.forEach((_f, i) => {
      const d = join(dir, `c${c}`, String(i % 200));
      mkdirSync(d, { recursive: true });
      const p = join(d, `${i}.Dockerfile`);
      writeFileSync(p, texts[i]);
      out.push(p);
    });
  }
  return { dir, files: out };
}

const files = listFiles(corpus);
const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);
const listFile = (paths) => {
  const p = join(mkdtempSync(join(scratchBase, "unbake-list-")), "files.txt");
  writeFileSync(p, paths.join("\n"));
  return p;
};
const cores = availableParallelism();

const rows = [];
const row = (name, m, base, extra = "") => {
  rows.push(
    `| ${name} | ${m.ms.toFixed(0)} ms | ${base ? (m.ms / base.ms).toFixed(2) + "x" : ""} | ${Number.isNaN(m.rss) ? "" : (m.rss / 1024).toFixed(0) + " MB"} | ${extra} |`,
  );
};

const corpusList = listFile(files);
const baseline = measure("parse-only.mjs", [corpusList]);
row(`parse-only baseline (read + dockerfile-ast), ${files.length} files`, baseline, null, `${((baseline.ms / files.length) * 1000).toFixed(0)} µs/file`);
const one = measure("measure-cli.mjs", ["--format", "json", "--jobs", "1", corpus]);
row("unbake --format json <bench>, --jobs 1 (walk included)", one, baseline, "target ≤ 1.0x");
const pool = measure("measure-cli.mjs", ["--format", "json", "--jobs", String(cores), corpus]);
row(`unbake --format json <bench>, --jobs ${cores} (default)`, pool, baseline, "target ≤ 0.6x");

// Linear growth: time per file at 1x, 4x, 16x copies, default jobs. The fixed start-up cost
// (an empty folder) is measured too: the marginal time per file between sizes is what must stay flat.
const emptyDir = mkdtempSync(join(scratchBase, "unbake-empty-"));
const empty = measure("measure-cli.mjs", ["--format", "json", emptyDir]);
row("unbake on an empty folder (fixed start-up cost)", empty, null);
const scale = quick ? [1, 4] : [1, 4, 16];
const perFile = [];
const sizes = [];
const sizesOneJob = [];
for (const copies of scale) {
  const tree = copies === 1 ? { dir: corpus, files } : copiesOf(files, copies);
  const m = measure("measure-cli.mjs", ["--format", "json", tree.dir], copies >= 16 ? 1 : rounds);
  const one = measure("measure-cli.mjs", ["--format", "json", "--jobs", "1", tree.dir], copies >= 16 ? 1 : rounds);
  const us = (m.ms / tree.files.length) * 1000;
  perFile.push(us);
  sizes.push({ files: tree.files.length, ms: m.ms });
  sizesOneJob.push({ files: tree.files.length, ms: one.ms });
  row(`${copies}x corpus (${tree.files.length} files), default jobs`, m, null, `${us.toFixed(0)} µs/file${copies >= 16 ? "; peak memory target < 250 MB" : ""}`);
  row(`${copies}x corpus (${tree.files.length} files), --jobs 1`, one, null, `${((one.ms / tree.files.length) * 1000).toFixed(0)} µs/file`);
  if (copies > 1) rmSync(tree.dir, { recursive: true, force: true });
}
const marginalOf = (list) => list.slice(1).map((b, i) => ((b.ms - list[i].ms) / (b.files - list[i].files)) * 1000);
const spreadOf = (m) => (m.length > 1 ? (Math.max(...m) / Math.min(...m) - 1) * 100 : 0);
const marginal = marginalOf(sizes);
const spread = spreadOf(marginal);
const marginalOne = marginalOf(sizesOneJob);

// Start-up.
row("unbake --version", measure("measure-cli.mjs", ["--version"], 5), null);
row("unbake on one file (dry run)", measure("measure-cli.mjs", ["--format", "json", files.find((f) => f.endsWith("state/Dockerfile"))], 5), null);

// Discovery: walking vs analysing what it finds.
const walkCorpus = measure("measure-walk.mjs", [join(root, "..", "shared", "corpus")]);
row("discovery: walk ../shared/corpus", walkCorpus, null, "vs the analysis above");
const big = mkdtempSync(join(scratchBase, "unbake-bench-100k-"));
for (let i = 0; i < 100_000; i++) {
  const d = join(big, `d${Math.floor(i / 500)}`, `e${Math.floor(i / 50) % 10}`);
  if (i % 50 === 0) mkdirSync(d, { recursive: true });
  if (i % 25 === 0) writeFileSync(join(d, `Dockerfile.${i}`), readFileSync(files[i % files.length]));
  else writeFileSync(join(d, `f${i}.txt`), "");
}
const walkBig = measure("measure-walk.mjs", [big]);
const analyseBig = measure("measure-cli.mjs", ["--format", "json", big], 1);
row("discovery: walk a generated tree of 100,000 files (4,000 Dockerfiles)", walkBig, analyseBig, "ratio vs analysing that tree");
row("unbake on that tree (walk + analysis)", analyseBig, null);
rmSync(big, { recursive: true, force: true });

console.log(`bench: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; node ${process.version}; ${cores} cores (${cpus()[0]?.model ?? "?"}); median of ${rounds} runs`);
console.log("");
console.log("| run | time | vs baseline | peak memory | note |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
console.log("");
console.log(`marginal time per file, ${scale.map((c) => c + "x").join(" -> ")}: default jobs ${marginal.map((u) => u.toFixed(1) + " µs").join(", ")} (spread ${spread.toFixed(1)}%); --jobs 1 ${marginalOne.map((u) => u.toFixed(1) + " µs").join(", ")} (spread ${spreadOf(marginalOne).toFixed(1)}%); target 10%`);
console.log(`raw time per file (start-up included): ${perFile.map((u) => u.toFixed(0) + " µs").join(", ")}`);
