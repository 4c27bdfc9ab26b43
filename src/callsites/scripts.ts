/**
 * Shell scripts, Makefiles, `.gitlab-ci.yml` script items and Jenkinsfile `sh` strings: build commands are
 * found in the shell text and rewritten by ./shell.ts.
 */
import * as path from "node:path";
import { isScalar, isSeq, visit, Scalar, type Node } from "yaml";
import type { CallSiteEdit, Migration } from "./types.js";
import { applyEdits, escapeRegExp, LineIndex } from "./text.js";
import { emptyResult, mergeResult, rewriteRegion, shellVariable, type ShellOptions, type ShellRegion, type ValueSource } from "./shell.js";
import { certainlyExported, MakeFacts, ShellFacts } from "./exported.js";
import { makeAssignedLiterals, secretNames, shellAssignedLiterals } from "./literals.js";
import { parseYaml, yamlIsValid } from "./yaml-edit.js";
import { scalarRegion } from "./workflow.js";

function finish(file: string, text: string, r: ReturnType<typeof emptyResult>, validate?: (s: string) => boolean): CallSiteEdit | null {
  if (!r.edits.length && !r.manual.length && !r.literals.length) return null;
  const after = applyEdits(text, r.edits);
  if (validate && after !== text && !validate(after))
    return { path: file, before: text, after: text, changes: [], manual: [...r.manual, { line: 1, reason: "the call-site rewrite would make this file invalid; migrate it by hand" }], literals: r.literals };
  return { path: file, before: text, after, changes: r.changes, manual: r.manual, literals: r.literals };
}

function candidates(file: string, repoRoot: string): string[] {
  return [...new Set([path.dirname(file), path.resolve(repoRoot)])];
}

/**
 * Plain shell (scripts, GitLab script items): a `$NAME` value certainly exported is that variable;
 * anything else goes before the command. `scope` says which shell an `export` belongs to.
 */
function plainShellOptions(text: string, lines: LineIndex, repoRoot: string, migrations: Migration[], exportFrom: (region: ShellRegion) => number): ShellOptions {
  let facts: ShellFacts | undefined;
  return {
    text,
    lines,
    repoRoot,
    migrations,
    prefixAllowed: true,
    classify(name, value, at, region): ValueSource {
      if (value === undefined) return { kind: "env", variable: name };
      const v = shellVariable(value);
      facts ??= new ShellFacts(text);
      return v && certainlyExported(facts, v, at, exportFrom(region)) ? { kind: "env", variable: v } : { kind: "prefix" };
    },
  };
}

export function rewriteShellScript(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  const lines = new LineIndex(text);
  const opts = plainShellOptions(text, lines, repoRoot, migrations, () => 0);
  const region: ShellRegion = { start: 0, end: text.length, cwds: candidates(file, repoRoot), scriptDir: path.dirname(file), cdScope: "persistent" };
  const r = rewriteRegion(opts, region);
  r.literals.push(...shellAssignedLiterals(text, secretNames(migrations, r.feeders)));
  return finish(file, text, r);
}

export function rewriteMakefile(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  const lines = new LineIndex(text);
  let shellFacts: ShellFacts | undefined;
  let makeFacts: MakeFacts | undefined;
  const opts: ShellOptions = {
    text,
    lines,
    repoRoot,
    migrations,
    prefixAllowed: true,
    classify(name, value, at): ValueSource {
      if (value === undefined) return { kind: "env", variable: name };
      // A shell variable of the recipe: each recipe line is its own shell, so an export counts from the line's start.
      const shell = /^\$\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})$/.exec(value);
      shellFacts ??= new ShellFacts(text);
      if (shell && certainlyExported(shellFacts, (shell[1] ?? shell[2])!, at, recipeLineStart(text, lines, at))) return { kind: "env", variable: (shell[1] ?? shell[2])! };
      // A make variable: in the recipe's environment when exported, or when the Makefile never sets it.
      const mk = /^\$(?:\(([A-Za-z_]\w*)\)|\{([A-Za-z_]\w*)\})$/.exec(value);
      makeFacts ??= new MakeFacts(text);
      if (mk && makeFacts.certainlyExported((mk[1] ?? mk[2])!)) return { kind: "env", variable: (mk[1] ?? mk[2])! };
      return { kind: "prefix" };
    },
  };
  const region: ShellRegion = { start: 0, end: text.length, cwds: candidates(file, repoRoot), scriptDir: null, cdScope: "line" };
  const r = rewriteRegion(opts, region);
  const feeders = secretNames(migrations, r.feeders);
  r.literals.push(...shellAssignedLiterals(text, feeders), ...makeAssignedLiterals(text, feeders));
  return finish(file, text, r);
}

/** Start of a recipe's logical line (continuations joined): the start of the shell make runs it in. */
function recipeLineStart(text: string, lines: LineIndex, at: number): number {
  let ls = lines.lineStart(at);
  while (ls > 0) {
    const prev = text[ls - 2] === "\r" ? ls - 3 : ls - 2;
    if (prev < 0 || text[prev] !== "\\") break;
    ls = lines.lineStart(prev);
  }
  return ls;
}

export function rewriteGitlab(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  const doc = parseYaml(text);
  if (!doc) return null;
  const lines = new LineIndex(text);
  // A job's items share one shell, but which items belong together is not tracked: an export counts within its item.
  const opts = plainShellOptions(text, lines, repoRoot, migrations, (region) => region.start);
  const all = emptyResult();
  const seen = new Set<Node>();
  // Items of one script list share a shell: a `- cd dir` item moves the later ones.
  visit(doc, {
    Seq(_k, seq) {
      let cwds: (string | null)[] = [path.resolve(repoRoot)];
      for (const item of seq.items) {
        if (!isScalar(item) || typeof item.value !== "string" || !item.range) continue;
        seen.add(item);
        const [start, end] = scalarRegion(text, item);
        const region: ShellRegion = { start, end, cwds, scriptDir: null, cdScope: "persistent" };
        mergeResult(all, rewriteRegion(opts, region));
        cwds = cdAfter(text, start, end, cwds, repoRoot);
      }
    },
    Scalar(_k, node) {
      if (seen.has(node) || typeof node.value !== "string" || !node.range) return;
      const [start, end] = scalarRegion(text, node);
      mergeResult(all, rewriteRegion(opts, { start, end, cwds: [path.resolve(repoRoot)], scriptDir: null, cdScope: "persistent" }));
    },
  });
  void isSeq;
  void Scalar;
  all.literals.push(...shellAssignedLiterals(text, secretNames(migrations, all.feeders)));
  return finish(file, text, all, yamlIsValid);
}

/** The working directories after a script item that is only `cd <static dir>` (other items leave them). */
function cdAfter(text: string, start: number, end: number, cwds: (string | null)[], repoRoot: string): (string | null)[] {
  const s = text.slice(start, end).trim();
  const m = /^cd[ \t]+(\S+)$/.exec(s);
  if (!m) return /(^|[\s;&|(])(cd|pushd|popd)\s/.test(s) ? cwds.map(() => null) : cwds;
  const dir = m[1]!.replace(/^(["'])(.*)\1$/, "$2");
  const root = /^\$\{?CI_PROJECT_DIR\}?(\/.*)?$/.exec(dir);
  if (root) return cwds.map(() => path.join(repoRoot, root[1] ?? "."));
  if (/[$`~*]/.test(dir)) return cwds.map(() => null);
  // A path longer than any real one (`cd x` thousands of times) is unknown.
  return cwds.map((c) => (c === null || c.length > 4096 ? null : path.resolve(c, dir)));
}

/** String literal contents of a Groovy file (`'…'`, `"…"`, `'''…'''`, `"""…"""`), comments skipped. */
export function groovyStrings(t: string): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (c === "/" && t[i + 1] === "/") {
      const e = t.indexOf("\n", i);
      i = e < 0 ? t.length : e;
    } else if (c === "/" && t[i + 1] === "*") {
      const e = t.indexOf("*/", i + 2);
      i = e < 0 ? t.length : e + 2;
    } else if (c === "'" || c === '"') {
      const triple = t.startsWith(c.repeat(3), i);
      const delim = triple ? c.repeat(3) : c;
      let j = i + delim.length;
      while (j < t.length && !t.startsWith(delim, j)) {
        if (t[j] === "\\") j++;
        else if (!triple && t[j] === "\n") break;
        j++;
      }
      out.push([i + delim.length, Math.min(j, t.length)]);
      i = j + delim.length;
    } else i++;
  }
  return out;
}

export function rewriteJenkinsfile(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  const lines = new LineIndex(text);
  // A Groovy local of that name would be interpolated instead of the environment variable
  // (entries of an `environment {}` directive are environment variables and stay fine).
  const locals = new Map<string, boolean>();
  const groovyAssigned = (v: string): boolean => {
    if (!locals.has(v)) locals.set(v, new RegExp(`\\b(?:def|String|final|var)\\s+${escapeRegExp(v)}\\b`).test(text));
    return locals.get(v)!;
  };
  const regionFacts = new Map<number, ShellFacts>();
  const opts: ShellOptions = {
    text,
    lines,
    repoRoot,
    migrations,
    prefixAllowed: false,
    classify(name, value, at, region): ValueSource {
      if (value === undefined) return { kind: "env", variable: name };
      const m = /^\$(?:([A-Za-z_]\w*)|\{(?:env\.)?([A-Za-z_]\w*)\})$/.exec(value);
      const v = m ? (m[1] ?? m[2])! : null;
      const facts = regionFacts.get(region.start) ?? new ShellFacts(text, region.start, region.end);
      regionFacts.set(region.start, facts);
      if (v && !groovyAssigned(v) && certainlyExported(facts, v, at, region.start)) return { kind: "env", variable: v };
      return { kind: "manual", reason: `--build-arg ${name} takes a value unbake cannot move in a Jenkinsfile; bind it to the environment (withCredentials / environment {}) and pass --secret id=…,env=${name} by hand` };
    },
  };
  const all = emptyResult();
  for (const [start, end] of groovyStrings(text))
    mergeResult(all, rewriteRegion(opts, { start, end, cwds: candidates(file, repoRoot), scriptDir: null, cdScope: "persistent" }));
  all.literals.push(...shellAssignedLiterals(text, secretNames(migrations, all.feeders)));
  return finish(file, text, all);
}
