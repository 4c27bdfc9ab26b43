/**
 * Compose files: a service whose `build` builds a rewritten Dockerfile loses the removed `build.args`
 * entries and gets `build.secrets: [id]` plus a top-level `secrets: { id: { environment: VAR } }`
 * (Compose 2.6+) or `{ file: ./path }` for secret files. Context paths are relative to the compose file's
 * folder, `dockerfile:` relative to the context (compose specification, "build" section).
 */
import * as path from "node:path";
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import type { CallSiteEdit, Literal, Migration } from "./types.js";
import { hardcodedParts } from "./literals.js";
import { applyEdits, eolOf, type Edit, LineIndex, withEol } from "./text.js";
import { dotRelPath, isDynamicPath, isRemoteContext, migrationsFor, removedArgNames, secretFilePath, isPlainPathText } from "./match.js";
import {
  afterLastEntry,
  detectStyle,
  getPair,
  keyOf,
  mapKeyColumn,
  needsLeadingEol,
  pairRemovalSpan,
  parseYaml,
  scalarString,
  seqDashColumn,
  seqItemSpan,
  spaces,
  yamlIsValid,
} from "./yaml-edit.js";

type Source = { environment: string } | { file: string };

/** `${VAR}`, `$VAR`, `${VAR:?msg}`, `${VAR?msg}` → VAR; anything else (defaults, literals) cannot be a secret source as is. */
function composeVariable(value: string): string | null {
  const m = /^\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)(?::?\?[^}]*)?\})$/.exec(value);
  return m ? (m[1] ?? m[2])! : null;
}

interface ArgEntry {
  name: string;
  value: string | undefined;
  node: Node;
  pairIndex: number;
}

function argEntries(args: YAMLMap | YAMLSeq): ArgEntry[] {
  const out: ArgEntry[] = [];
  if (isMap(args)) {
    args.items.forEach((p, i) => {
      const k = keyOf(p);
      if (k === null) return;
      out.push({ name: k, value: p.value === null ? undefined : scalarString(p.value) ?? (isScalar(p.value) ? undefined : "\0"), node: p.key as Node, pairIndex: i });
    });
  } else {
    args.items.forEach((item, i) => {
      const s = scalarString(item);
      if (s === undefined) return;
      const eq = s.indexOf("=");
      out.push({ name: eq < 0 ? s : s.slice(0, eq), value: eq < 0 ? undefined : s.slice(eq + 1), node: item as Node, pairIndex: i });
    });
  }
  return out;
}

export function rewriteCompose(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  void repoRoot;
  const doc = parseYaml(text);
  if (!doc || !isMap(doc.contents)) return null;
  const lines = new LineIndex(text);
  const eol = eolOf(text);
  const style = detectStyle(text, doc, lines);
  const dir = path.dirname(file);
  const removed = removedArgNames(migrations);
  const edits: Edit[] = [];
  const changes: CallSiteEdit["changes"] = [];
  const manual: CallSiteEdit["manual"] = [];
  const root = doc.contents as YAMLMap;
  const services = getPair(root, "services")?.value;
  if (!isMap(services)) return null;

  const topSecretsPair = getPair(root, "secrets");
  const topSecrets = topSecretsPair?.value;
  const existingTop = new Map<string, Source | null>();
  if (isMap(topSecrets)) {
    for (const p of topSecrets.items) {
      const k = keyOf(p);
      if (k === null) continue;
      const env = scalarString(getPair(p.value, "environment")?.value);
      const f = scalarString(getPair(p.value, "file")?.value);
      existingTop.set(k, env !== undefined ? { environment: env } : f !== undefined ? { file: f } : null);
    }
  }
  const newTop = new Map<string, Source>();
  const sameSource = (a: Source | null | undefined, b: Source): boolean =>
    !!a && ("environment" in a ? "environment" in b && a.environment === b.environment : "file" in b && path.normalize(a.file) === path.normalize(b.file));

  for (const svc of services.items) {
    const svcName = keyOf(svc) ?? "?";
    const buildPair = getPair(svc.value, "build");
    if (!buildPair) continue;
    const build = buildPair.value as Node | null;
    const buildLine = lines.line((buildPair.key as Node).range![0]);
    const mentionsRemoved = (n: Node | null): boolean => !!n?.range && [...removed].some((r) => text.slice(n.range![0], n.range![1]).includes(r));
    if (isAlias(build)) {
      const target = build.resolve(doc) as Node | undefined;
      if (target && mentionsRemoved(target)) manual.push({ line: buildLine, reason: `service ${svcName}: build comes from a YAML alias; migrate the anchored build by hand` });
      continue;
    }
    let ctx = ".";
    let dockerfile = "Dockerfile";
    let buildMap: YAMLMap | null = null;
    if (isScalar(build)) {
      const s = scalarString(build);
      if (s === undefined) continue;
      ctx = s;
    } else if (isMap(build)) {
      buildMap = build;
      if (getPair(build, "dockerfile_inline")) continue;
      const c = getPair(build, "context");
      const d = getPair(build, "dockerfile");
      if (c) ctx = scalarString(c.value) ?? "\0";
      if (d) dockerfile = scalarString(d.value) ?? "\0";
    } else continue;
    if (isRemoteContext(ctx)) continue;
    const argsPair = buildMap ? getPair(buildMap, "args") : undefined;
    const argsNode = argsPair?.value as Node | null | undefined;
    if (ctx.includes("\0") || dockerfile.includes("\0") || isDynamicPath(ctx) || isDynamicPath(dockerfile)) {
      if (mentionsRemoved(argsNode ?? null))
        manual.push({ line: buildLine, reason: `service ${svcName}: the build context or dockerfile uses variables, so unbake cannot tell which Dockerfile it builds; migrate its build args by hand` });
      continue;
    }
    const ctxAbs = path.resolve(dir, ctx);
    const found = migrationsFor(migrations, [path.resolve(ctxAbs, dockerfile)]);
    if (found.length !== 1) continue;
    const m = migrations[found[0]!]!;
    const ids = new Map(m.args.map((a) => [a.name, a.id]));
    // An ssh key the builder's agent now stands in for: its build arg goes, build.ssh gets the forward.
    const sshArgs = new Set(m.args.filter((a) => a.ssh).map((a) => a.name));

    // Plan the service completely before editing it.
    const problems: CallSiteEdit["manual"] = [];
    const removeIdx: number[] = [];
    const needs: { id: string; source: Source; why: string }[] = [];
    if (argsNode && (isMap(argsNode) || isSeq(argsNode))) {
      const coll = argsNode as YAMLMap | YAMLSeq;
      const entries = argEntries(coll);
      for (const e of entries) {
        const id = ids.get(e.name);
        if (!id) continue;
        const line = lines.line(e.node.range![0]);
        if (coll.flow) {
          problems.push({ line, reason: `service ${svcName}: build.args is a flow collection; remove ${e.name} and add secret ${id} by hand` });
          continue;
        }
        if (sshArgs.has(e.name)) {
          removeIdx.push(e.pairIndex);
          continue;
        }
        const variable = e.value === undefined || e.value === "" ? e.name : composeVariable(e.value);
        if (variable === null) {
          problems.push({ line, reason: `service ${svcName}: build arg ${e.name} has a literal or defaulted value; supply it as secret ${id} (environment or file) by hand` });
          continue;
        }
        removeIdx.push(e.pairIndex);
        needs.push({ id, source: { environment: variable }, why: `build arg ${e.name}` });
      }
    } else if (argsNode && isAlias(argsNode) && mentionsRemoved((argsNode.resolve(doc) as Node) ?? null)) {
      problems.push({ line: buildLine, reason: `service ${svcName}: build.args comes from a YAML alias; migrate it by hand` });
    }
    for (const f of m.files) {
      const rel = dotRelPath(dir, secretFilePath(m, f, ctxAbs));
      if (!isPlainPathText(rel)) problems.push({ line: buildLine, reason: `service ${svcName}: add secret ${f.id} (file ${rel}) by hand` });
      else needs.push({ id: f.id, source: { file: rel }, why: `secret file ${f.path}` });
    }
    for (const n of needs) {
      const have = newTop.get(n.id) ?? existingTop.get(n.id);
      if ((newTop.has(n.id) || existingTop.has(n.id)) && !sameSource(have, n.source))
        problems.push({ line: buildLine, reason: `service ${svcName}: a top-level secret ${n.id} already exists with another source; reconcile it with ${JSON.stringify(n.source)} by hand` });
    }
    // build.ssh: the agent ids, as `--ssh` takes them (compose build specification, `ssh`).
    const sshPair = buildMap ? getPair(buildMap, "ssh") : undefined;
    const haveSsh = new Set(isSeq(sshPair?.value) ? sshPair.value.items.map((it) => scalarString(it)?.split("=")[0]) : []);
    const sshAdd = (m.ssh ?? []).filter((id) => !haveSsh.has(id));
    if (sshAdd.length && sshPair && (!isSeq(sshPair.value) || sshPair.value.flow || sshPair.value.items.length === 0))
      problems.push({ line: lines.line((sshPair.key as Node).range![0]), reason: `service ${svcName}: add ${sshAdd.join(", ")} to build.ssh by hand` });
    else if (sshAdd.length && buildMap?.flow) problems.push({ line: buildLine, reason: `service ${svcName}: build is a flow mapping; add ssh: [${sshAdd.join(", ")}] by hand` });
    if (problems.length) {
      manual.push(...problems);
      continue;
    }
    if (needs.length === 0 && sshAdd.length === 0 && removeIdx.length === 0) continue;

    // Existing build.secrets entries.
    const secretsPair = buildMap ? getPair(buildMap, "secrets") : undefined;
    const secretsNode = secretsPair?.value;
    const haveIds = new Set<string>();
    if (isSeq(secretsNode))
      for (const it of secretsNode.items) {
        const s = scalarString(it) ?? scalarString(getPair(it, "source")?.value);
        if (s !== undefined) haveIds.add(s);
      }
    const addIds = [...new Set(needs.map((n) => n.id))].filter((id) => !haveIds.has(id));

    // Remove args.
    if (argsPair && removeIdx.length) {
      const coll = argsNode as YAMLMap | YAMLSeq;
      if (removeIdx.length === coll.items.length) {
        const span = pairRemovalSpan(text, lines, buildMap!, buildMap!.items.indexOf(argsPair));
        if (!span) {
          manual.push({ line: buildLine, reason: `service ${svcName}: cannot remove build.args here; remove it by hand` });
          continue;
        }
        edits.push({ start: span[0], end: span[1], text: "" });
      } else {
        for (const i of removeIdx) {
          const span = isMap(coll) ? pairRemovalSpan(text, lines, coll, i) : seqItemSpan(text, lines, coll.items[i] as Node);
          if (span) edits.push({ start: span[0], end: span[1], text: "" });
        }
      }
      for (const i of removeIdx) {
        const e = argEntries(coll).find((x) => x.pairIndex === i)!;
        changes.push({ line: lines.line(e.node.range![0]), description: `service ${svcName}: removed build arg ${e.name}` });
      }
    }

    // Add build.secrets (and build.ssh where the long form is made here).
    if (addIds.length || (buildMap === null && sshAdd.length)) {
      if (buildMap === null) {
        // `build: ./dir` → long form.
        const col = lines.column((buildPair.key as Node).range![0]);
        const k = col + style.unit;
        const b = build as Node;
        const block = (key: string, values: string[]) => (values.length ? `\n${spaces(k)}${key}:\n` + values.map((v) => `${spaces(k + style.seqOffset)}- ${v}`).join("\n") : "");
        const snippet = `\n${spaces(k)}context: ${text.slice(b.range![0], b.range![1])}` + block("secrets", addIds) + block("ssh", sshAdd);
        let s = b.range![0];
        while (s > 0 && (text[s - 1] === " " || text[s - 1] === "\t")) s--;
        edits.push({ start: s, end: b.range![1], text: withEol(snippet, eol) });
      } else if (isSeq(secretsNode) && secretsNode.flow) {
        const end = (secretsNode as Node).range![1];
        const close = text.lastIndexOf("]", end);
        const insert = (secretsNode.items.length ? ", " : "") + addIds.join(", ");
        edits.push({ start: close, end: close, text: insert });
      } else if (isSeq(secretsNode) && secretsNode.items.length) {
        const at = afterLastEntry(text, lines, secretsNode);
        const dash = seqDashColumn(text, lines, secretsNode);
        const snippet = addIds.map((id) => `${spaces(dash)}- ${id}\n`).join("");
        edits.push({ start: at, end: at, text: withEol((needsLeadingEol(text, at) ? "\n" : "") + snippet, eol) });
      } else if (secretsPair) {
        manual.push({ line: lines.line((secretsPair.key as Node).range![0]), reason: `service ${svcName}: add ${addIds.join(", ")} to build.secrets by hand` });
        continue;
      } else if (buildMap.flow) {
        manual.push({ line: buildLine, reason: `service ${svcName}: build is a flow mapping; add secrets: [${addIds.join(", ")}] by hand` });
        continue;
      } else {
        const col = mapKeyColumn(lines, buildMap);
        const at = afterLastEntry(text, lines, buildMap);
        const snippet = `${spaces(col)}secrets:\n` + addIds.map((id) => `${spaces(col + style.seqOffset)}- ${id}\n`).join("");
        edits.push({ start: at, end: at, text: withEol((needsLeadingEol(text, at) ? "\n" : "") + snippet, eol) });
      }
      if (addIds.length) changes.push({ line: buildLine, description: `service ${svcName}: build.secrets += ${addIds.join(", ")}` });
    }
    if (sshAdd.length && buildMap !== null) {
      if (isSeq(sshPair?.value) && sshPair.value.items.length) {
        const at = afterLastEntry(text, lines, sshPair.value);
        const dash = seqDashColumn(text, lines, sshPair.value);
        edits.push({ start: at, end: at, text: withEol((needsLeadingEol(text, at) ? "\n" : "") + sshAdd.map((id) => `${spaces(dash)}- ${id}\n`).join(""), eol) });
      } else {
        const col = mapKeyColumn(lines, buildMap);
        const at = afterLastEntry(text, lines, buildMap);
        const snippet = `${spaces(col)}ssh:\n` + sshAdd.map((id) => `${spaces(col + style.seqOffset)}- ${id}\n`).join("");
        // build.secrets may have been appended at the same place: one insertion, secrets first.
        const same = edits.find((e) => e.start === at && e.end === at);
        if (same) same.text += withEol(snippet, eol);
        else edits.push({ start: at, end: at, text: withEol((needsLeadingEol(text, at) ? "\n" : "") + snippet, eol) });
      }
    }
    if (sshAdd.length) changes.push({ line: buildLine, description: `service ${svcName}: build.ssh += ${sshAdd.join(", ")}` });
    for (const n of needs) if (!existingTop.has(n.id) && !newTop.has(n.id)) newTop.set(n.id, n.source);
  }

  // Top-level secrets.
  if (newTop.size) {
    const entry = (id: string, s: Source, col: number): string =>
      `${spaces(col)}${id}:\n${spaces(col + style.unit)}${"environment" in s ? `environment: ${s.environment}` : `file: ${s.file}`}\n`;
    if (isMap(topSecrets) && topSecrets.items.length && !topSecrets.flow) {
      const col = mapKeyColumn(lines, topSecrets);
      const at = afterLastEntry(text, lines, topSecrets);
      const snippet = [...newTop].map(([id, s]) => entry(id, s, col)).join("");
      edits.push({ start: at, end: at, text: withEol((needsLeadingEol(text, at) ? "\n" : "") + snippet, eol) });
      changes.push({ line: lines.line((topSecretsPair!.key as Node).range![0]), description: `secrets += ${[...newTop.keys()].join(", ")}` });
    } else if (topSecretsPair) {
      manual.push({ line: lines.line((topSecretsPair.key as Node).range![0]), reason: `add the top-level secrets ${[...newTop.keys()].join(", ")} by hand` });
    } else {
      const at = text.length;
      const blank = /\n[ \t]*\r?\n[A-Za-z_"']/.test(text) ? "\n" : "";
      const snippet = (needsLeadingEol(text, at) ? "\n" : "") + blank + "secrets:\n" + [...newTop].map(([id, s]) => entry(id, s, style.unit)).join("");
      edits.push({ start: at, end: at, text: withEol(snippet, eol) });
      changes.push({ line: lines.line(Math.max(0, at - 1)) + (text.endsWith("\n") ? 1 : 0), description: `added top-level secrets ${[...newTop.keys()].join(", ")}` });
    }
  }

  const literals = composeLiterals(text, services, removed);
  if (!edits.length && !manual.length && !literals.length) return null;
  const after = applyEdits(text, edits);
  if (after !== text && !yamlIsValid(after))
    return { path: file, before: text, after: text, changes: [], manual: [...manual, { line: 1, reason: "the call-site rewrite would make this file invalid YAML; migrate it by hand" }], literals };
  return { path: file, before: text, after, changes, manual, literals };
}

/** Hard-coded values of removed arguments in any service's `build.args` (map or `NAME=value` list). */
function composeLiterals(text: string, services: YAMLMap, removed: Set<string>): Literal[] {
  const out: Literal[] = [];
  for (const svc of services.items) {
    const args = getPair(getPair(svc.value, "build")?.value, "args")?.value;
    if (!isMap(args) && !isSeq(args)) continue;
    for (const e of argEntries(args as YAMLMap | YAMLSeq)) {
      if (!removed.has(e.name) || e.value === undefined) continue;
      const node = isMap(args) ? ((args as YAMLMap).items[e.pairIndex]!.value as Node | null) : e.node;
      if (!node?.range) continue;
      let [s, end] = [node.range[0], node.range[1]];
      let raw = text.slice(s, end);
      if (!isMap(args)) {
        const eq = raw.indexOf("=");
        if (eq < 0) continue;
        const q = raw[0] === '"' || raw[0] === "'" ? raw[0] : "";
        s += eq + 1;
        end -= q && raw.endsWith(q) ? 1 : 0;
        raw = text.slice(s, end);
      }
      const parts = hardcodedParts(raw, s);
      // A YAML escape (`"a\u0062c"`) spells the value differently: give the value too.
      if (parts.length === 1 && !/[$`]/.test(raw)) parts[0]!.value = e.value;
      out.push(...parts);
    }
  }
  return out;
}

export type { Pair };
