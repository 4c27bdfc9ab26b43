#!/usr/bin/env node
// Speed over ../shared/corpus/bench: the full pipeline beside a parse-only baseline (dockerfile-ast
// alone) measured in the same run on the same texts, then the CLI end to end.
// Usage: npm run bench [-- --rounds N]
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { DockerfileParser } from "dockerfile-ast";
import { runPipeline } from "../dist/pipeline.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = join(root, "..", "shared", "corpus", "bench");
const roundsArg = process.argv.indexOf("--rounds");
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile() && e.name !== "MANIFEST.tsv") out.push(p);
  }
  return out.sort();
}

const files = listFiles(corpus);
const texts = files.map((f) => readFileSync(f, "utf8"));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}
const parseOnly = () => {
  for (const t of texts) DockerfileParser.parse(t);
};
let errors = 0;
const pipeline = () => {
  errors = 0;
  for (const t of texts) {
    try {
      runPipeline(t);
    } catch {
      errors++;
    }
  }
};

// Warm up both, then alternate so drift hits both equally; report the median.
parseOnly();
pipeline();
const parseTimes = [];
const pipelineTimes = [];
for (let r = 0; r < rounds; r++) {
  parseTimes.push(time(parseOnly));
  pipelineTimes.push(time(pipeline));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const parseMs = median(parseTimes);
const pipeMs = median(pipelineTimes);

const cli = (args) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, "bin", "unbake.js"), ...args], { stdio: ["ignore", "ignore", "pipe"] });
  return { ms: performance.now() - t0, status: r.status };
};
const whole = cli(["--format", "json", corpus]);
const version = cli(["--version"]);

const row = (name, ms, extra = "") => console.log(`${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms ${extra}`);
console.log(`bench corpus: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; node ${process.version}; median of ${rounds} rounds, in-process`);
row("parse only (dockerfile-ast, baseline)", parseMs, `${((parseMs / files.length) * 1000).toFixed(0)} µs/file`);
row("unbake pipeline (parse+analyse+transform)", pipeMs, `${((pipeMs / files.length) * 1000).toFixed(0)} µs/file, ${(pipeMs / parseMs).toFixed(2)}x baseline, ${errors} errors`);
row("CLI: unbake --format json <bench> (wall)", whole.ms, `exit ${whole.status}, ${(whole.ms / parseMs).toFixed(2)}x baseline`);
row("CLI: unbake --version (wall)", version.ms);
