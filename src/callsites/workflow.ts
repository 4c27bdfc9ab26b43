/**
 * GitHub Actions workflows: `docker/build-push-action` steps (`build-args` → `secret-envs` / `secret-files`)
 * and `run:` steps with build commands (working directory: the repository root, or `working-directory:` /
 * `defaults.run.working-directory`).
 */
import * as path from "node:path";
import { isMap, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap } from "yaml";
import type { CallSiteEdit, Literal, Migration } from "./types.js";
import { hardcodedParts, secretNames, shellAssignedLiterals } from "./literals.js";
import { certainlyExported, ShellFacts } from "./exported.js";
import { applyEdits, eolOf, type Edit, LineIndex, withEol, lastContent } from "./text.js";
import { isDynamicPath, isPlainPathText, isRemoteContext, migrationsFor, relPath, removedArgNames, secretFilePath } from "./match.js";
import { emptyResult, rewriteRegion, shellVariable, type RegionResult, type ShellOptions, type ValueSource } from "./shell.js";
import { afterLastEntry, detectStyle, getPair, getMap, keyOf, mapKeyColumn, needsLeadingEol, pairRemovalSpan, parseYaml, scalarString, spaces, yamlIsValid, type YamlStyle } from "./yaml-edit.js";

const EXPR = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/;

/** The text range of a scalar's content (inside quotes for quoted scalars). */
export function scalarRegion(text: string, node: Scalar): [number, number] {
  let [s, e] = [node.range![0], node.range![1]];
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
    s++;
    e = text.lastIndexOf(node.type === Scalar.QUOTE_DOUBLE ? '"' : "'", e);
  }
  return [s, e];
}

function workingDir(repoRoot: string, ...candidates: (string | undefined)[]): string | null {
  for (const c of candidates) {
    if (c === undefined) continue;
    if (isDynamicPath(c)) return null;
    return path.resolve(repoRoot, c);
  }
  return repoRoot;
}

/**
 * A `run:` step's values: a shell variable certainly in the step's environment (an `env:` entry of the
 * workflow, job or step, or never assigned in the script) is that variable; `${{ env.X }}` is X;
 * another expression goes into the step's `env:`; anything else before the command.
 */
const workflowClassify = (facts: () => ShellFacts, known: ReadonlySet<string>) => (name: string, value: string | undefined, at: number, region: { start: number }): ValueSource => {
  if (value === undefined) return { kind: "env", variable: name };
  const v = shellVariable(value);
  if (v && certainlyExported(facts(), v, at, region.start, known)) return { kind: "env", variable: v };
  if (v) return { kind: "prefix" };
  const m = EXPR.exec(value);
  if (m) {
    const env = /^env\.([A-Za-z_]\w*)$/.exec(m[1]!);
    if (env) return { kind: "env", variable: env[1]! };
    return { kind: "stepEnv", variable: name, expression: value };
  }
  return { kind: "prefix" };
};

/** Hard-coded values of `names` in a mapping's `env:` (not `${{ … }}` expressions). */
function envLiterals(text: string, node: unknown, names: ReadonlySet<string>): Literal[] {
  const env = getPair(node as YAMLMap, "env")?.value;
  if (!isMap(env) || names.size === 0) return [];
  const out: Literal[] = [];
  for (const p of env.items) {
    const k = keyOf(p);
    const v = p.value as Node | null;
    if (k === null || !names.has(k) || !isScalar(v) || typeof v.value !== "string" || !v.range || v.value.includes("${{")) continue;
    const [s, e] = scalarRegion(text, v as Scalar);
    out.push(...hardcodedParts(text.slice(s, e), s).map((l) => ({ ...l, value: /[$`]/.test(l.value) ? l.value : (v.value as string) })));
  }
  return out;
}

/** Keys of a mapping's `env:`. */
function envNames(node: unknown): string[] {
  const env = getPair(node as YAMLMap, "env")?.value;
  return isMap(env) ? env.items.map((p) => keyOf(p)).filter((k): k is string => k !== null) : [];
}

interface Ctx {
  text: string;
  lines: LineIndex;
  eol: string;
  style: YamlStyle;
  edits: Edit[];
  changes: CallSiteEdit["changes"];
  manual: CallSiteEdit["manual"];
  literals: Literal[];
}

/** Add `NAME: expr` entries to a step's `env`, unless present with the same value. Returns false on a conflict. */
function planStepEnv(c: Ctx, step: YAMLMap, before: Pair<any, any> | undefined, entries: { name: string; expression: string; line: number }[]): Edit[] | string {
  const envPair = getPair(step, "env");
  const env = envPair?.value;
  const todo: { name: string; expression: string }[] = [];
  for (const e of entries) {
    if (todo.some((t) => t.name === e.name)) continue;
    const have = getPair(env, e.name);
    if (have) {
      const hv = scalarString(have.value);
      if (hv !== undefined && hv.replace(/\s+/g, "") === e.expression.replace(/\s+/g, "")) continue;
      return `the step's env already sets ${e.name} to something else; it must be ${e.expression}`;
    }
    todo.push(e);
  }
  if (!todo.length) return [];
  if (envPair && (!isMap(env) || env.flow || !env.items.length)) return `add ${todo.map((t) => `${t.name}: ${t.expression}`).join(", ")} to the step's env by hand`;
  const col = mapKeyColumn(c.lines, step);
  if (isMap(env)) {
    const k = mapKeyColumn(c.lines, env);
    const at = afterLastEntry(c.text, c.lines, env);
    return [{ start: at, end: at, text: withEol((needsLeadingEol(c.text, at) ? "\n" : "") + todo.map((t) => `${spaces(k)}${t.name}: ${t.expression}\n`).join(""), c.eol) }];
  }
  const snippet = `${spaces(col)}env:\n` + todo.map((t) => `${spaces(col + c.style.unit)}${t.name}: ${t.expression}\n`).join("");
  if (before) {
    const ks = (before.key as Node).range![0];
    const ls = c.lines.lineStart(ks);
    if (/^[ \t]*$/.test(c.text.slice(ls, ks))) return [{ start: ls, end: ls, text: withEol(snippet, c.eol) }];
  }
  const at = afterLastEntry(c.text, c.lines, step);
  return [{ start: at, end: at, text: withEol((needsLeadingEol(c.text, at) ? "\n" : "") + snippet, c.eol) }];
}

/** Lines of a multi-line action input (`build-args`, `secret-envs` …): offsets of each content line. */
function inputLines(text: string, lines: LineIndex, node: Scalar): { start: number; end: number; value: string }[] | null {
  if (node.type === Scalar.BLOCK_LITERAL) {
    const first = lines.lineEndAfterEol(node.range![0]);
    const out: { start: number; end: number; value: string }[] = [];
    let i = first;
    while (i < node.range![1]) {
      const e = lines.lineEndAfterEol(i);
      const content = text.slice(i, lines.lineEnd(i)).trim();
      if (content && !content.startsWith("#")) out.push({ start: i, end: Math.min(e, node.range![1]) === e ? e : e, value: content });
      i = e;
    }
    return out;
  }
  if (node.type === Scalar.PLAIN && typeof node.value === "string" && !node.value.includes("\n")) {
    return [{ start: node.range![0], end: node.range![1], value: node.value }];
  }
  return null;
}

function rewriteActionStep(c: Ctx, step: YAMLMap, migrations: Migration[], repoRoot: string, removed: Set<string>): void {
  const withPair = getPair(step, "with");
  const w = withPair?.value;
  if (!isMap(w) || w.flow || !w.items.length) return;
  const stepLine = c.lines.line((step.items[0]!.key as Node).range![0]);
  const ctx = scalarString(getPair(w, "context")?.value);
  const file = scalarString(getPair(w, "file")?.value);
  const argsPair = getPair(w, "build-args");
  const argsNode = argsPair?.value;
  const argText = isScalar(argsNode) ? String(argsNode.value ?? "") : "";
  const passesRemoved = [...removed].some((r) => new RegExp(`(^|\\n)\\s*${r}=`).test(argText));
  if (isScalar(argsNode))
    for (const l of inputLines(c.text, c.lines, argsNode) ?? []) {
      const eq = l.value.indexOf("=");
      if (eq < 0 || !removed.has(l.value.slice(0, eq))) continue;
      const at = c.text.indexOf(l.value, l.start);
      if (at >= 0) c.literals.push(...hardcodedParts(l.value.slice(eq + 1).trim(), at + eq + 1 + (/^\s*/.exec(l.value.slice(eq + 1))![0].length)));
    }
  if ((ctx !== undefined && (isDynamicPath(ctx) || isRemoteContext(ctx))) || (file !== undefined && isDynamicPath(file))) {
    if (passesRemoved)
      c.manual.push({ line: stepLine, reason: "docker/build-push-action: context or file uses an expression, so unbake cannot tell which Dockerfile it builds; migrate build-args by hand" });
    return;
  }
  const ctxAbs = ctx === undefined ? repoRoot : path.resolve(repoRoot, ctx);
  const dockerfile = file === undefined ? path.join(ctxAbs, "Dockerfile") : path.resolve(repoRoot, file);
  const found = migrationsFor(migrations, [dockerfile]);
  if (found.length !== 1) return;
  const m = migrations[found[0]!]!;
  const ids = new Map(m.args.map((a) => [a.name, a.id]));
  // An ssh key the builder's agent now stands in for: its build-args line goes, the `ssh` input comes.
  const sshArgs = new Set(m.args.filter((a) => a.ssh).map((a) => a.name));
  const problems: CallSiteEdit["manual"] = [];
  const removeLines: { start: number; end: number; name: string; line: number }[] = [];
  const envLines: string[] = [];
  const stepEnv: { name: string; expression: string; line: number }[] = [];
  let argLines: ReturnType<typeof inputLines> = [];
  if (argsPair) {
    argLines = isScalar(argsNode) ? inputLines(c.text, c.lines, argsNode) : null;
    if (argLines === null) {
      if (passesRemoved) problems.push({ line: c.lines.line((argsPair.key as Node).range![0]), reason: "build-args is not a literal block (`|`); migrate it by hand" });
    } else
      for (const l of argLines) {
        const eq = l.value.indexOf("=");
        const name = eq < 0 ? l.value : l.value.slice(0, eq);
        const id = ids.get(name);
        if (!id) continue;
        const line = c.lines.line(l.start);
        if (sshArgs.has(name)) {
          removeLines.push({ start: l.start, end: l.end, name, line });
          continue;
        }
        const value = eq < 0 ? "" : l.value.slice(eq + 1).trim();
        const e = EXPR.exec(value);
        if (!e) {
          problems.push({ line, reason: `build-args ${name} has a literal value; pass it as a secret (secrets: ${id}=…) by hand` });
          continue;
        }
        const env = /^env\.([A-Za-z_]\w*)$/.exec(e[1]!);
        if (env) envLines.push(`${id}=${env[1]}`);
        else {
          envLines.push(`${id}=${name}`);
          stepEnv.push({ name, expression: value, line });
        }
        removeLines.push({ start: l.start, end: l.end, name, line });
      }
  }
  const secretKeys = ["secret-envs", "secret-files", "secrets"];
  const haveIds = new Set<string>();
  for (const k of secretKeys) {
    const v = scalarString(getPair(w, k)?.value);
    if (v) for (const l of v.split(/\r?\n/)) if (l.includes("=")) haveIds.add(l.trim().split("=")[0]!);
  }
  const fileLines: string[] = [];
  for (const f of m.files) {
    if (haveIds.has(f.id)) continue;
    const rel = relPath(repoRoot, secretFilePath(m, f, ctxAbs));
    if (!isPlainPathText(rel)) problems.push({ line: stepLine, reason: `add secret-files ${f.id}=${rel} by hand` });
    else fileLines.push(`${f.id}=${rel}`);
  }
  const newEnvLines = envLines.filter((l) => !haveIds.has(l.split("=")[0]!));
  let envEdits: Edit[] = [];
  if (!problems.length && stepEnv.length) {
    const r = planStepEnv(c, step, withPair, stepEnv);
    if (typeof r === "string") problems.push({ line: stepLine, reason: r });
    else envEdits = r;
  }
  if (problems.length) {
    c.manual.push(...problems);
    return;
  }
  // The action's `ssh` input (one agent id a line, as --ssh takes them).
  const haveSsh = new Set((scalarString(getPair(w, "ssh")?.value) ?? "").split(/\r?\n/).map((l) => l.trim().split("=")[0]));
  const sshAdd = (m.ssh ?? []).filter((id) => !haveSsh.has(id));
  if (!removeLines.length && !fileLines.length && !sshAdd.length) return;

  // Remove the build-args lines (or the whole input when nothing else is left).
  if (argsPair && removeLines.length) {
    if (removeLines.length === argLines!.length) {
      const span = pairRemovalSpan(c.text, c.lines, w, w.items.indexOf(argsPair));
      if (span) c.edits.push({ start: span[0], end: span[1], text: "" });
    } else for (const r of removeLines) c.edits.push({ start: r.start, end: r.end, text: "" });
    for (const r of removeLines) c.changes.push({ line: r.line, description: `build-args: removed ${r.name}` });
  }
  c.edits.push(...envEdits);
  for (const e of stepEnv) c.changes.push({ line: e.line, description: `step env: ${e.name}: ${e.expression}` });
  const col = mapKeyColumn(c.lines, w);
  const addInput = (key: string, values: string[]): void => {
    if (!values.length) return;
    const pair = getPair(w, key);
    const node = pair?.value;
    if (pair && isScalar(node) && node.type === Scalar.BLOCK_LITERAL) {
      const ls = inputLines(c.text, c.lines, node) ?? [];
      const last = ls[ls.length - 1];
      const indent = last ? c.text.slice(last.start, last.start + (/^[ \t]*/.exec(c.text.slice(last.start))![0].length)) : spaces(col + c.style.unit);
      const at = last ? c.lines.lineEndAfterEol(lastContent(c.text, last.start, last.end)) : c.lines.lineEndAfterEol(node.range![0]);
      c.edits.push({ start: at, end: at, text: withEol((needsLeadingEol(c.text, at) ? "\n" : "") + values.map((v) => `${indent}${v}\n`).join(""), c.eol) });
    } else if (pair && isScalar(node) && node.type === Scalar.PLAIN && typeof node.value === "string" && !node.value.includes("\n")) {
      const ind = spaces(col + c.style.unit);
      c.edits.push({ start: node.range![0], end: node.range![1], text: withEol(`|\n${ind}${node.value}\n` + values.map((v) => `${ind}${v}`).join("\n"), c.eol) });
    } else if (pair) {
      c.manual.push({ line: c.lines.line((pair.key as Node).range![0]), reason: `add ${values.join(", ")} to ${key} by hand` });
      return;
    } else {
      const at = afterLastEntry(c.text, c.lines, w);
      const snippet = `${spaces(col)}${key}: |\n` + values.map((v) => `${spaces(col + c.style.unit)}${v}\n`).join("");
      c.edits.push({ start: at, end: at, text: withEol((needsLeadingEol(c.text, at) ? "\n" : "") + snippet, c.eol) });
    }
    c.changes.push({ line: c.lines.line((withPair!.key as Node).range![0]), description: `${key} += ${values.join(", ")}` });
  };
  addInput("secret-envs", newEnvLines);
  addInput("secret-files", fileLines);
  addInput("ssh", sshAdd);
  // `ssh: default` forwards the runner's $SSH_AUTH_SOCK: an agent holding the key must run first.
  if (sshAdd.length && !/ssh-agent|ssh-add/.test(c.text))
    c.manual.push({ line: stepLine, reason: "the build now forwards the runner's ssh agent (ssh: default): start one holding the key in an earlier step (ssh-agent and ssh-add, e.g. webfactory/ssh-agent)" });
}

export function rewriteWorkflow(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  const doc = parseYaml(text);
  if (!doc || !isMap(doc.contents)) return null;
  const lines = new LineIndex(text);
  const c: Ctx = { text, lines, eol: eolOf(text), style: detectStyle(text, doc, lines), edits: [], changes: [], manual: [], literals: [] };
  const removed = removedArgNames(migrations);
  const root = doc.contents as YAMLMap;
  const wfDir = scalarString(getMap(getMap(root, "defaults"), "run")?.items.find((p) => keyOf(p) === "working-directory")?.value);
  const jobs = getPair(root, "jobs")?.value;
  if (!isMap(jobs)) return null;
  const rootEnv = envNames(root);
  for (const job of jobs.items) {
    const jobDir = scalarString(getPair(getMap(getMap(job.value, "defaults"), "run"), "working-directory")?.value);
    const steps = getPair(job.value, "steps")?.value;
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      if (!isMap(step) || step.flow || !step.items.length) continue;
      const uses = scalarString(getPair(step, "uses")?.value);
      if (uses && /^docker\/build-push-action@/.test(uses)) {
        rewriteActionStep(c, step, migrations, repoRoot, removed);
        continue;
      }
      const runPair = getPair(step, "run");
      if (!runPair || !isScalar(runPair.value)) continue;
      const stepDir = scalarString(getPair(step, "working-directory")?.value);
      const cwd = workingDir(repoRoot, stepDir, jobDir, wfDir);
      const [start, end] = scalarRegion(text, runPair.value);
      const known = new Set([...rootEnv, ...envNames(job.value), ...envNames(step)]);
      let facts: ShellFacts | undefined;
      const stepFacts = (): ShellFacts => (facts ??= new ShellFacts(text, start, end));
      const opts: ShellOptions = { text, lines, repoRoot, migrations, prefixAllowed: true, classify: workflowClassify(stepFacts, known) };
      const r: RegionResult = rewriteRegion(opts, { start, end, cwds: [cwd], scriptDir: null, cdScope: "persistent" });
      c.literals.push(...r.literals, ...shellAssignedLiterals(text, secretNames(migrations, r.feeders), start, end));
      // A value the workflow, job or step `env:` sets for a variable the build passes.
      for (const node of [root, job.value, step]) c.literals.push(...envLiterals(text, node, secretNames(migrations, r.feeders)));
      if (r.stepEnv.length) {
        const envEdits = planStepEnv(c, step, runPair, r.stepEnv);
        if (typeof envEdits === "string") {
          c.manual.push({ line: r.stepEnv[0]!.line, reason: envEdits }, ...r.manual);
          continue;
        }
        r.edits.push(...envEdits);
        for (const e of r.stepEnv) r.changes.push({ line: e.line, description: `step env: ${e.name}: ${e.expression}` });
      }
      c.edits.push(...r.edits);
      c.changes.push(...r.changes);
      c.manual.push(...r.manual);
    }
  }
  void emptyResult;
  if (!c.edits.length && !c.manual.length && !c.literals.length) return null;
  const after = applyEdits(text, c.edits);
  if (after !== text && !yamlIsValid(after))
    return { path: file, before: text, after: text, changes: [], manual: [...c.manual, { line: 1, reason: "the call-site rewrite would make this file invalid YAML; migrate it by hand" }], literals: c.literals };
  return { path: file, before: text, after, changes: c.changes, manual: c.manual, literals: c.literals };
}
