/**
 * The whole shared corpus, read in place: no crash on any file; exactly the reviewed bench
 * files change (test/corpus/bench-changes.tsv gives the reason for each); every secrets/
 * file gets a finding or a written reason why not (test/corpus/secrets-without-findings.tsv);
 * and a second run on every output changes nothing.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { runPipeline, type PipelineResult } from "../src/pipeline.js";
import { CORPUS, corpusFiles, describeCorpus } from "./helpers/corpus.js";

const LISTS = join(import.meta.dirname, "corpus");


function readReviewedList(name: string): Map<string, string> {
  const list = new Map<string, string>();
  for (const line of readFileSync(join(LISTS, name), "utf8").split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const [path, reason] = line.split("\t");
    expect(reason?.trim(), `${name}: ${path} needs a reason`).toBeTruthy();
    list.set(path, reason);
  }
  return list;
}

interface Outcome {
  path: string;
  result?: PipelineResult;
  crash?: string;
}

function runAll(dir: string): Outcome[] {
  return corpusFiles(dir).map((file) => {
    const path = relative(dir, file);
    try {
      return { path, result: runPipeline(readFileSync(file, "utf8")) };
    } catch (e) {
      return { path, crash: (e as Error).stack ?? String(e) };
    }
  });
}

describeCorpus("shared corpus", () => {
  const bench = runAll(join(CORPUS, "bench"));
  const secrets = runAll(join(CORPUS, "secrets"));

  it("runs every file without a crash", () => {
    expect(bench.length).toBe(3699);
    expect(secrets.length).toBe(109);
    expect([...bench, ...secrets].filter((o) => o.crash).map((o) => `${o.path}: ${o.crash}`)).toEqual([]);
  });

  it("changes exactly the reviewed bench files", () => {
    const reviewed = readReviewedList("bench-changes.tsv");
    const changed = bench.filter((o) => o.result?.changed).map((o) => o.path);
    expect(changed).toEqual([...reviewed.keys()].sort());
  });

  it("finds something in every secrets/ file, or has a written reason why not", () => {
    const excused = readReviewedList("secrets-without-findings.tsv");
    const silent = secrets.filter((o) => o.result && o.result.findings.length === 0).map((o) => o.path);
    expect(silent).toEqual([...excused.keys()].sort());
  });

  it("is stable: a second run on every output changes nothing", () => {
    const unstable = [...bench, ...secrets]
      .filter((o) => o.result?.changed)
      .filter((o) => runPipeline(o.result!.output).changed)
      .map((o) => o.path);
    expect(unstable).toEqual([]);
  });
});
