/**
 * docker buildx bake JSON files (`{"target": {"name": {"context", "dockerfile", "args", "secret"}}}`): parsed,
 * edited, written back with the file's indentation, line ends and final newline.
 */
import * as path from "node:path";
import type { CallSiteEdit, Literal, Migration } from "./types.js";
import { hardcodedParts } from "./literals.js";
import { isDynamicPath, isPlainPathText, isRemoteContext, migrationsFor, relPath, removedArgNames, secretFilePath } from "./match.js";
import { LineIndex } from "./text.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function detectIndent(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1]!.startsWith("\t") ? "\t" : m[1]!.length;
}

/** The line of a target (or of a key after it); targets are asked about in file order, so each search starts where the last one was found. */
function lineOfKey(text: string, lines: LineIndex, target: string, key?: string, cursor = { at: 0 }): number {
  let t = text.indexOf(JSON.stringify(target), cursor.at);
  if (t < 0) t = text.indexOf(JSON.stringify(target));
  else cursor.at = t;
  if (t < 0) return 1;
  if (!key) return lines.line(t);
  const k = text.indexOf(JSON.stringify(key), t);
  return lines.line(k < 0 ? t : k);
}

export function rewriteBakeJson(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  void repoRoot;
  let data: Json;
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  try {
    data = JSON.parse(text.slice(bom.length)) as Json;
  } catch {
    return null;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  const targets = data["target"];
  if (!targets || typeof targets !== "object" || Array.isArray(targets)) return null;
  const lines = new LineIndex(text);
  const cursor = { at: 0 };
  const dir = path.dirname(file);
  const removed = removedArgNames(migrations);
  const changes: CallSiteEdit["changes"] = [];
  const manual: CallSiteEdit["manual"] = [];
  let changed = false;
  for (const [name, t] of Object.entries(targets)) {
    if (!t || typeof t !== "object" || Array.isArray(t)) continue;
    const args = t["args"];
    const argObj = args && typeof args === "object" && !Array.isArray(args) ? args : null;
    const passes = argObj ? Object.keys(argObj).filter((k) => removed.has(k)) : [];
    const ctx = t["context"] === undefined ? "." : t["context"];
    const df = t["dockerfile"] === undefined ? "Dockerfile" : t["dockerfile"];
    if (typeof ctx !== "string" || typeof df !== "string" || isDynamicPath(ctx) || isDynamicPath(df) || t["inherits"] !== undefined || t["matrix"] !== undefined) {
      if (passes.length)
        manual.push({ line: lineOfKey(text, lines, name, undefined, cursor), reason: `target "${name}": dockerfile/context use expressions, inherits or a matrix; migrate args ${passes.join(", ")} by hand` });
      continue;
    }
    if (isRemoteContext(ctx)) continue;
    const ctxAbs = path.resolve(dir, ctx);
    const found = migrationsFor(migrations, [path.resolve(ctxAbs, df)]);
    if (found.length !== 1) continue;
    const m = migrations[found[0]!]!;
    const ids = new Map(m.args.map((a) => [a.name, a.id]));
    const mine = argObj ? Object.keys(argObj).filter((k) => ids.has(k)) : [];
    const problems: CallSiteEdit["manual"] = [];
    const secrets: string[] = [];
    // An ssh key the builder's agent now stands in for: its arg goes, `ssh` gets the forward.
    const sshArgs = new Set(m.args.filter((a) => a.ssh).map((a) => a.name));
    for (const k of mine) {
      if (sshArgs.has(k)) continue;
      const v = argObj![k];
      const mm = typeof v === "string" ? /^\$\{([A-Za-z_]\w*)\}$/.exec(v) : null;
      if (!mm) problems.push({ line: lineOfKey(text, lines, name, k, cursor), reason: `target "${name}": arg ${k} is not just a variable read from the environment; supply secret ${ids.get(k)} by hand` });
      else secrets.push(`id=${ids.get(k)},env=${mm[1]}`);
    }
    for (const f of m.files) {
      const rel = relPath(dir, secretFilePath(m, f, ctxAbs));
      if (!isPlainPathText(rel)) problems.push({ line: lineOfKey(text, lines, name, undefined, cursor), reason: `target "${name}": add secret id=${f.id},src=${rel} by hand` });
      else secrets.push(`id=${f.id},src=${rel}`);
    }
    const existing = t["secret"];
    if (existing !== undefined && (!Array.isArray(existing) || existing.some((s) => typeof s !== "string"))) problems.push({ line: lineOfKey(text, lines, name, "secret", cursor), reason: `target "${name}": secret is not a list of strings; add ${secrets.join(" ")} by hand` });
    if (problems.length) {
      manual.push(...problems);
      continue;
    }
    const have = new Set(((existing as string[] | undefined) ?? []).map((s) => /(?:^|,)id=([^,]*)/.exec(s)?.[1]));
    const add = secrets.filter((s) => !have.has(/^id=([^,]*)/.exec(s)![1]));
    // bake's `ssh`: the same values as --ssh (buildx bake reference, target.ssh).
    const existingSsh = t["ssh"];
    if (existingSsh !== undefined && (!Array.isArray(existingSsh) || existingSsh.some((x) => typeof x !== "string"))) {
      if (m.ssh?.length) {
        manual.push({ line: lineOfKey(text, lines, name, "ssh", cursor), reason: `target "${name}": ssh is not a list of strings; add ${m.ssh.join(", ")} by hand` });
        continue;
      }
    }
    const haveSsh = new Set(((existingSsh as string[] | undefined) ?? []).map((x) => x.split("=")[0]));
    const sshAdd = (m.ssh ?? []).filter((id) => !haveSsh.has(id));
    if (!mine.length && !add.length && !sshAdd.length) continue;
    // Rebuild the target keeping key order; `secret` goes where `args` was, or at the end.
    const rebuilt: { [k: string]: Json } = {};
    let placed = false;
    const newSecret = [...((existing as string[] | undefined) ?? []), ...add];
    for (const [k, v] of Object.entries(t)) {
      if (k === "args") {
        const rest = Object.fromEntries(Object.entries(argObj!).filter(([a]) => !ids.has(a)));
        if (Object.keys(rest).length) rebuilt[k] = rest;
        if (!placed && existing === undefined && add.length) {
          rebuilt["secret"] = newSecret;
          placed = true;
        }
      } else if (k === "secret") {
        rebuilt[k] = newSecret;
        placed = true;
      } else rebuilt[k] = v;
    }
    if (!placed && add.length) rebuilt["secret"] = newSecret;
    if (sshAdd.length) rebuilt["ssh"] = [...((existingSsh as string[] | undefined) ?? []), ...sshAdd];
    (targets as { [k: string]: Json })[name] = rebuilt;
    changed = true;
    for (const k of mine) changes.push({ line: lineOfKey(text, lines, name, k, cursor), description: `target "${name}": removed arg ${k}` });
    if (add.length) changes.push({ line: lineOfKey(text, lines, name, undefined, cursor), description: `target "${name}": secret += ${add.join(" ")}` });
    if (sshAdd.length) {
      changes.push({ line: lineOfKey(text, lines, name, undefined, cursor), description: `target "${name}": ssh += ${sshAdd.join(" ")}` });
      // bake asks for the forward to be allowed: the commands that run this file need --allow=ssh.
      manual.push({ line: lineOfKey(text, lines, name, undefined, cursor), reason: `target "${name}" now forwards the ssh agent: run bake with --allow=ssh (docker buildx bake --allow=ssh …), or it stops to ask for that privilege` });
    }
  }
  const literals = jsonLiterals(text, targets, removed);
  if (!changed && !manual.length && !literals.length) return null;
  if (!changed) return { path: file, before: text, after: text, changes, manual, literals };
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let out = JSON.stringify(data, null, detectIndent(text));
  if (eol !== "\n") out = out.replace(/\n/g, eol);
  const trailing = /(\r?\n)*$/.exec(text)![0];
  return { path: file, before: text, after: bom + out + trailing, changes, manual, literals };
}

/** String values of removed arguments that expand nothing, located by their JSON spelling (the value alone when spelled otherwise). */
function jsonLiterals(text: string, targets: { [k: string]: Json }, removed: Set<string>): Literal[] {
  const out: Literal[] = [];
  // Searched forward from the last one found (values come in the file's order): linear in the file.
  let from = 0;
  for (const t of Object.values(targets)) {
    const args = t && typeof t === "object" && !Array.isArray(t) ? t["args"] : null;
    if (!args || typeof args !== "object" || Array.isArray(args)) continue;
    for (const [k, v] of Object.entries(args)) {
      if (!removed.has(k) || typeof v !== "string" || v === "") continue;
      for (const p of hardcodedParts(v, 0)) {
        const spelled = JSON.stringify(p.value).slice(1, -1);
        const at = text.indexOf(spelled, from);
        if (at >= 0) from = at + spelled.length;
        out.push(at < 0 ? { start: 0, end: 0, value: p.value } : { start: at, end: at + spelled.length, value: p.value });
      }
    }
  }
  return out;
}
