/**
 * docker buildx bake HCL files: a `target` whose dockerfile/context match a rewritten Dockerfile loses the
 * removed `args` entries and gets `secret = ["id=ID,env=VAR", "id=ID,src=PATH"]`. Careful text edits guided by
 * a small tokenizer; `context` is relative to the bake file's folder, `dockerfile` to the context.
 */
import * as path from "node:path";
import type { CallSiteEdit, Literal, Migration } from "./types.js";
import { hardcodedParts } from "./literals.js";
import { applyEdits, eolOf, type Edit, LineIndex, withEol, escapeRegExp } from "./text.js";
import { isDynamicPath, isPlainPathText, isRemoteContext, migrationsFor, relPath, removedArgNames, secretFilePath } from "./match.js";

type TokType = "ident" | "string" | "number" | "punct" | "newline" | "heredoc" | "other";
interface Tok {
  type: TokType;
  start: number;
  end: number;
  text: string;
}

export function tokenizeHcl(t: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const push = (type: TokType, s: number, e: number): void => {
    out.push({ type, start: s, end: e, text: t.slice(s, e) });
  };
  while (i < t.length) {
    const c = t[i]!;
    if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "\n") {
      push("newline", i, i + 1);
      i++;
    } else if (c === "#" || (c === "/" && t[i + 1] === "/")) {
      while (i < t.length && t[i] !== "\n") i++;
    } else if (c === "/" && t[i + 1] === "*") {
      const e = t.indexOf("*/", i + 2);
      i = e < 0 ? t.length : e + 2;
    } else if (c === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < t.length) {
        if (t[j] === "\\") j += 2;
        else if (t.startsWith("${", j) || t.startsWith("%{", j)) {
          depth++;
          j += 2;
        } else if (depth > 0 && t[j] === "}") {
          depth--;
          j++;
        } else if (depth > 0 && t[j] === '"') {
          // a string inside an interpolation
          j++;
          while (j < t.length && t[j] !== '"') j += t[j] === "\\" ? 2 : 1;
          j++;
        } else if (depth === 0 && t[j] === '"') break;
        else if (depth === 0 && t[j] === "\n") break;
        else j++;
      }
      push("string", i, Math.min(j + 1, t.length));
      i = j + 1;
    } else if (c === "<" && t[i + 1] === "<") {
      const m = /^<<-?([A-Za-z_]\w*)[ \t]*\r?\n/.exec(t.slice(i));
      if (!m) {
        push("punct", i, i + 2);
        i += 2;
        continue;
      }
      const endRe = new RegExp(`^[ \\t]*${m[1]}[ \\t]*$`, "m");
      const rest = t.slice(i + m[0].length);
      const em = endRe.exec(rest);
      const e = em ? i + m[0].length + em.index + em[0].length : t.length;
      push("heredoc", i, e);
      i = e;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < t.length && /[\w-]/.test(t[j]!)) j++;
      push("ident", i, j);
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < t.length && /[0-9.eE+-]/.test(t[j]!)) j++;
      push("number", i, j);
      i = j;
    } else if ("{}[]()=,:.?!<>*/%+-&|".includes(c)) {
      // two-char operators are irrelevant here; single characters suffice for structure.
      push("punct", i, i + 1);
      i++;
    } else {
      push("other", i, i + 1);
      i++;
    }
  }
  return out;
}

interface Attr {
  name: string;
  nameTok: Tok;
  /** Value tokens. */
  value: Tok[];
  start: number;
  end: number;
}
interface Block {
  type: string;
  labels: string[];
  start: number;
  open: Tok;
  close: Tok;
  attrs: Attr[];
  blocks: Block[];
}

function unq(s: string): string {
  return s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, "$1") : s;
}

function isOpen(t: Tok): boolean {
  return t.type === "punct" && (t.text === "{" || t.text === "[" || t.text === "(");
}
function isClose(t: Tok): boolean {
  return t.type === "punct" && (t.text === "}" || t.text === "]" || t.text === ")");
}

/** Parse a body from toks[i] until a `}` at depth 0 (returned index points at it) or the end. */
function parseBody(toks: Tok[], i: number): { attrs: Attr[]; blocks: Block[]; next: number } {
  const attrs: Attr[] = [];
  const blocks: Block[] = [];
  while (i < toks.length) {
    const tok = toks[i]!;
    if (tok.type === "newline") {
      i++;
      continue;
    }
    if (tok.type === "punct" && tok.text === "}") return { attrs, blocks, next: i };
    if (tok.type === "ident" && toks[i + 1]?.type === "punct" && (toks[i + 1]!.text === "=" || toks[i + 1]!.text === ":") && toks[i + 2]?.text !== "=") {
      let j = i + 2;
      let depth = 0;
      const value: Tok[] = [];
      while (j < toks.length) {
        const v = toks[j]!;
        if (depth === 0 && (v.type === "newline" || (v.type === "punct" && v.text === "}"))) break;
        if (isOpen(v)) depth++;
        else if (isClose(v)) depth--;
        value.push(v);
        j++;
      }
      attrs.push({ name: tok.text, nameTok: tok, value, start: tok.start, end: value.length ? value[value.length - 1]!.end : toks[i + 1]!.end });
      i = j;
      continue;
    }
    if (tok.type === "ident") {
      const labels: string[] = [];
      let j = i + 1;
      while (j < toks.length && (toks[j]!.type === "string" || toks[j]!.type === "ident")) labels.push(unq(toks[j++]!.text));
      if (toks[j]?.type === "punct" && toks[j]!.text === "{") {
        const body = parseBody(toks, j + 1);
        const close = toks[body.next] ?? toks[toks.length - 1]!;
        blocks.push({ type: tok.text, labels, start: tok.start, open: toks[j]!, close, attrs: body.attrs, blocks: body.blocks });
        i = body.next + 1;
        continue;
      }
    }
    // Something else: skip to the end of the line.
    while (i < toks.length && toks[i]!.type !== "newline") i++;
  }
  return { attrs, blocks, next: i };
}

interface Item {
  key: string;
  keyTok: Tok;
  value: Tok[];
  start: number;
  end: number;
  /** The comma after the item, if any. */
  comma: Tok | null;
}

/** Items of an object `{ k = v, … }` or tuple `[ v, … ]` value. */
function collectionItems(value: Tok[], kind: "object" | "tuple"): Item[] | null {
  if (!value.length || value[0]!.text !== (kind === "object" ? "{" : "[")) return null;
  const out: Item[] = [];
  let i = 1;
  const last = value.length - 1;
  while (i < last) {
    const tok = value[i]!;
    if (tok.type === "newline" || (tok.type === "punct" && tok.text === ",")) {
      i++;
      continue;
    }
    let keyTok = tok;
    let j = i;
    if (kind === "object") {
      if (!(tok.type === "ident" || tok.type === "string") || !(value[i + 1]?.text === "=" || value[i + 1]?.text === ":")) return null;
      j = i + 2;
    }
    const vs: Tok[] = [];
    let depth = 0;
    while (j < last) {
      const v = value[j]!;
      if (depth === 0 && (v.type === "newline" || (v.type === "punct" && v.text === ","))) break;
      if (isOpen(v)) depth++;
      else if (isClose(v)) depth--;
      vs.push(v);
      j++;
    }
    if (!vs.length) return null;
    if (kind === "tuple") keyTok = vs[0]!;
    const comma = value[j]?.type === "punct" && value[j]!.text === "," ? value[j]! : null;
    out.push({ key: kind === "object" ? unq(keyTok.text) : "", keyTok, value: vs, start: keyTok.start, end: vs[vs.length - 1]!.end, comma });
    i = j;
  }
  return out;
}

function staticString(value: Tok[]): string | null {
  if (value.length !== 1 || value[0]!.type !== "string") return null;
  const s = unq(value[0]!.text);
  return /\$\{|%\{/.test(value[0]!.text) ? null : s;
}

/** Whole-line span of [start,end) when nothing but blanks, a trailing comma and a comment share its lines. */
function lineSpan(t: string, lines: LineIndex, start: number, end: number): [number, number] | null {
  const ls = lines.lineStart(start);
  if (!/^[ \t]*$/.test(t.slice(ls, start))) return null;
  const le = lines.lineEnd(end);
  if (!/^[ \t]*,?[ \t]*(?:(?:#|\/\/).*)?$/.test(t.slice(end, le))) return null;
  return [ls, lines.lineEndAfterEol(end)];
}

export function rewriteBakeHcl(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  void repoRoot;
  const toks = tokenizeHcl(text);
  const body = parseBody(toks, 0);
  const targets = body.blocks.filter((b) => b.type === "target" && b.labels.length >= 1);
  if (!targets.length) return null;
  const lines = new LineIndex(text);
  const eol = eolOf(text);
  const dir = path.dirname(file);
  const removed = removedArgNames(migrations);
  const edits: Edit[] = [];
  const changes: CallSiteEdit["changes"] = [];
  const manual: CallSiteEdit["manual"] = [];
  const byName = new Map(targets.map((t) => [t.labels[0]!, t]));
  const attrOf = (b: Block, name: string): Attr | undefined => b.attrs.find((a) => a.name === name);

  const inheritsOf = (b: Block): string[] => {
    const a = attrOf(b, "inherits");
    if (!a) return [];
    return a.value.filter((t) => t.type === "string").map((t) => unq(t.text));
  };
  /** The effective value of an attribute, following `inherits` (later parents win, own value wins). */
  const effective = (b: Block, name: string, seen = new Set<Block>()): Attr | undefined | "dynamic" => {
    const own = attrOf(b, name);
    if (own) return own;
    if (seen.has(b)) return undefined;
    seen.add(b);
    const parents = inheritsOf(b);
    if (attrOf(b, "inherits") && attrOf(b, "inherits")!.value.some((t) => t.type !== "string" && t.type !== "punct" && t.type !== "newline")) return "dynamic";
    for (const p of [...parents].reverse()) {
      const pb = byName.get(p);
      if (!pb) return "dynamic";
      const v = effective(pb, name, seen);
      if (v) return v;
    }
    return undefined;
  };
  /** The migration a target builds: index, "none", or "unsure". */
  const targetMigration = (b: Block): { index: number; context: string } | "none" | "unsure" => {
    const c = effective(b, "context");
    const d = effective(b, "dockerfile");
    if (c === "dynamic" || d === "dynamic" || attrOf(b, "matrix")) return "unsure";
    const cs = c ? staticString(c.value) : ".";
    const ds = d ? staticString(d.value) : "Dockerfile";
    if (cs === null || ds === null || isDynamicPath(cs) || isDynamicPath(ds)) return "unsure";
    if (isRemoteContext(cs)) return "none";
    const ctxAbs = path.resolve(dir, cs);
    const found = migrationsFor(migrations, [path.resolve(ctxAbs, ds)]);
    return found.length === 1 ? { index: found[0]!, context: ctxAbs } : "none";
  };
  const defaults = new Map<string, Literal | null>();
  const variableDefaultAt = (v: string): Literal | null => {
    if (defaults.has(v)) return defaults.get(v)!;
    defaults.set(v, null);
    const m = new RegExp(`variable\\s+"${escapeRegExp(v)}"\\s*\\{[^}]*?default\\s*=\\s*"([^"$]+)"`).exec(text);
    if (!m) return null;
    const end = m.index + m[0].length - 1;
    defaults.set(v, { start: end - m[1]!.length, end, value: m[1]! });
    return defaults.get(v)!;
  };
  // Looked up once per variable name: every lookup is a pass over the file.
  const plainDefaults = new Map<string, string | null>();
  const variableDefault = (v: string): string | null => {
    if (!plainDefaults.has(v)) {
      const m = new RegExp(`variable\\s+"${escapeRegExp(v)}"\\s*\\{[^}]*?default\\s*=\\s*"([^"]*)"`).exec(text);
      plainDefaults.set(v, m ? m[1]! : null);
    }
    return plainDefaults.get(v)!;
  };

  for (const b of targets) {
    const name = b.labels[0]!;
    const line = lines.line(b.start);
    const argsAttr = attrOf(b, "args");
    const items = argsAttr ? collectionItems(argsAttr.value, "object") : null;
    const passes = items ? items.filter((it) => removed.has(it.key)) : [];
    const tm = targetMigration(b);
    if (tm === "unsure" || tm === "none") {
      if (passes.length && tm === "unsure")
        manual.push({ line, reason: `target "${name}": its dockerfile/context use expressions or a matrix, so unbake cannot tell which Dockerfile it builds; migrate args ${passes.map((p) => p.key).join(", ")} by hand` });
      else if (passes.length) {
        const kids = targets.filter((k) => inheritsOf(k).includes(name) && typeof targetMigration(k) === "object");
        if (kids.length)
          manual.push({ line, reason: `target "${name}": args ${passes.map((p) => p.key).join(", ")} are inherited by ${kids.map((k) => `"${k.labels[0]}"`).join(", ")}, which build a rewritten Dockerfile; migrate them by hand` });
      }
      if (argsAttr && !items && [...removed].some((r) => text.slice(argsAttr.start, argsAttr.end).includes(r)))
        manual.push({ line: lines.line(argsAttr.start), reason: `target "${name}": args is not a literal object; migrate it by hand` });
      continue;
    }
    const m = migrations[tm.index]!;
    const ids = new Map(m.args.map((a) => [a.name, a.id]));
    if (argsAttr && !items && m.args.some((a) => text.slice(argsAttr.start, argsAttr.end).includes(a.name))) {
      manual.push({ line: lines.line(argsAttr.start), reason: `target "${name}": args is not a literal object; migrate it by hand` });
      continue;
    }
    const mine = (items ?? []).filter((it) => ids.has(it.key));
    const problems: CallSiteEdit["manual"] = [];
    const secrets: string[] = [];
    // An ssh key the builder's agent now stands in for: its arg goes, `ssh` gets the forward.
    const sshArgs = new Set(m.args.filter((a) => a.ssh).map((a) => a.name));
    for (const it of mine) {
      if (sshArgs.has(it.key)) continue;
      const id = ids.get(it.key)!;
      let variable: string | null = null;
      if (it.value.length === 1 && it.value[0]!.type === "string") {
        const mm = /^"\$\{([A-Za-z_]\w*)\}"$/.exec(it.value[0]!.text);
        if (mm) variable = mm[1]!;
      } else if (it.value.length === 1 && it.value[0]!.type === "ident" && !["null", "true", "false"].includes(it.value[0]!.text)) variable = it.value[0]!.text;
      const def = variable ? variableDefault(variable) : null;
      if (variable === null || (def !== null && def !== "")) {
        problems.push({ line: lines.line(it.start), reason: `target "${name}": arg ${it.key} is not just a variable read from the environment; supply secret ${id} by hand` });
        continue;
      }
      secrets.push(`id=${id},env=${variable}`);
    }
    for (const f of m.files) {
      const rel = relPath(dir, secretFilePath(m, f, tm.context));
      if (!isPlainPathText(rel)) problems.push({ line, reason: `target "${name}": add secret id=${f.id},src=${rel} by hand` });
      else secrets.push(`id=${f.id},src=${rel}`);
    }
    if (problems.length) {
      manual.push(...problems);
      continue;
    }
    const secretAttr = attrOf(b, "secret");
    const existing = secretAttr ? collectionItems(secretAttr.value, "tuple") : [];
    if (secretAttr && existing === null) {
      if (mine.length || secrets.length) manual.push({ line: lines.line(secretAttr.start), reason: `target "${name}": secret is not a literal list; add ${secrets.join(" ")} by hand` });
      continue;
    }
    const haveIds = new Set(existing!.map((it) => /(?:^"|,)id=([^,"]*)/.exec(it.value[0]?.text ?? "")?.[1]).filter(Boolean));
    const add = secrets.filter((s) => !haveIds.has(/^id=([^,]*)/.exec(s)![1]!));
    // bake's `ssh`: the same values as --ssh (buildx bake reference, target.ssh).
    const sshAttr = attrOf(b, "ssh");
    const haveSsh = sshAttr ? collectionItems(sshAttr.value, "tuple") : [];
    const sshAdd = (m.ssh ?? []).filter((id) => !(haveSsh ?? []).some((it) => new RegExp(`^"${id}(?:=|")`).test(it.value[0]?.text ?? "")));
    if (sshAdd.length && sshAttr) {
      manual.push({ line: lines.line(sshAttr.start), reason: `target "${name}": add ${sshAdd.map((id) => `"${id}"`).join(", ")} to ssh by hand` });
      continue;
    }
    if (!mine.length && !add.length && !sshAdd.length) continue;

    // Remove args entries.
    let argsEnd: number | null = null;
    if (argsAttr && mine.length) {
      if (mine.length === items!.length) {
        const span = lineSpan(text, lines, argsAttr.start, argsAttr.end);
        if (!span) {
          manual.push({ line: lines.line(argsAttr.start), reason: `target "${name}": remove args ${mine.map((i) => i.key).join(", ")} by hand` });
          continue;
        }
        edits.push({ start: span[0], end: span[1], text: "" });
        argsEnd = span[1];
      } else {
        for (const it of mine) {
          const end = it.comma ? it.comma.end : it.end;
          const span = lineSpan(text, lines, it.start, end);
          if (span) edits.push({ start: span[0], end: span[1], text: "" });
          else if (it.comma) {
            let e = it.comma.end;
            while (text[e] === " " || text[e] === "\t") e++;
            edits.push({ start: it.start, end: e, text: "" });
          } else {
            const idx = items!.indexOf(it);
            const prev = items![idx - 1];
            if (!prev || !prev.comma) {
              manual.push({ line: lines.line(it.start), reason: `target "${name}": remove arg ${it.key} by hand` });
              continue;
            }
            edits.push({ start: prev.comma.start, end: it.end, text: "" });
          }
        }
        argsEnd = lines.lineEndAfterEol(argsAttr.end);
      }
      for (const it of mine) changes.push({ line: lines.line(it.start), description: `target "${name}": removed arg ${it.key}` });
    }

    // Add secrets.
    if (add.length) {
      const strs = add.map((s) => `"${s}"`);
      if (secretAttr) {
        const close = secretAttr.value[secretAttr.value.length - 1]!;
        const ls = lines.lineStart(close.start);
        const items2 = existing!;
        if (/^[ \t]*$/.test(text.slice(ls, close.start)) && items2.length) {
          const last = items2[items2.length - 1]!;
          const indent = /^[ \t]*/.exec(text.slice(lines.lineStart(last.start)))![0];
          if (!last.comma) edits.push({ start: last.end, end: last.end, text: "," });
          edits.push({ start: ls, end: ls, text: withEol(strs.map((s) => `${indent}${s},\n`).join(""), eol) });
        } else {
          edits.push({ start: close.start, end: close.start, text: (items2.length ? ", " : "") + strs.join(", ") });
        }
      } else {
        const first = b.attrs[0] ?? null;
        const indent = first ? /^[ \t]*/.exec(text.slice(lines.lineStart(first.start)))![0] : /^[ \t]*/.exec(text.slice(lines.lineStart(b.start)))![0] + "  ";
        const snippet = withEol(`${indent}secret = [${strs.join(", ")}]\n`, eol);
        let at: number;
        if (argsEnd !== null) at = argsEnd;
        else if (b.attrs.length) at = lines.lineEndAfterEol(b.attrs[b.attrs.length - 1]!.end);
        else at = lines.lineStart(b.close.start) > b.open.start ? lines.lineStart(b.close.start) : -1;
        // A one-line block (`target "x" { context = "." }`) has no line for a new attribute.
        if (at < 0 || at > b.close.start) {
          manual.push({ line, reason: `target "${name}": add secret = [${strs.join(", ")}] by hand` });
          continue;
        }
        edits.push({ start: at, end: at, text: (at === text.length && !text.endsWith("\n") ? eol : "") + snippet });
      }
      changes.push({ line, description: `target "${name}": secret += ${add.join(" ")}` });
    }
    if (sshAdd.length) {
      const first = b.attrs[0] ?? null;
      const indent = first ? /^[ \t]*/.exec(text.slice(lines.lineStart(first.start)))![0] : /^[ \t]*/.exec(text.slice(lines.lineStart(b.start)))![0] + "  ";
      const snippet = withEol(`${indent}ssh = [${sshAdd.map((id) => `"${id}"`).join(", ")}]\n`, eol);
      let at: number;
      if (argsEnd !== null) at = argsEnd;
      else if (b.attrs.length) at = lines.lineEndAfterEol(b.attrs[b.attrs.length - 1]!.end);
      else at = lines.lineStart(b.close.start) > b.open.start ? lines.lineStart(b.close.start) : -1;
      if (at < 0 || at > b.close.start) {
        manual.push({ line, reason: `target "${name}": add ssh = [${sshAdd.map((id) => `"${id}"`).join(", ")}] by hand` });
        continue;
      }
      // A new `secret` attribute may go to the same place: one insertion, secret first.
      const same = edits.find((e) => e.start === at && e.end === at && e.text !== "");
      if (same) same.text += snippet;
      else edits.push({ start: at, end: at, text: (at === text.length && !text.endsWith("\n") ? eol : "") + snippet });
      changes.push({ line, description: `target "${name}": ssh += ${sshAdd.join(" ")}` });
      // bake asks for the forward to be allowed: the commands that run this file need --allow=ssh.
      manual.push({ line, reason: `target "${name}" now forwards the ssh agent: run bake with --allow=ssh (docker buildx bake --allow=ssh …), or it stops to ask for that privilege` });
    }
  }
  const literals: Literal[] = [];
  for (const b of targets) {
    const args = attrOf(b, "args");
    for (const it of (args && collectionItems(args.value, "object")) ?? []) {
      if (!removed.has(it.key) || it.value.length !== 1) continue;
      const v = it.value[0]!;
      if (v.type === "string") literals.push(...hardcodedParts(v.text, v.start));
      const ref = v.type === "ident" ? v.text : /^"\$\{([A-Za-z_]\w*)\}"$/.exec(v.text)?.[1];
      const def = ref ? variableDefaultAt(ref) : null;
      if (def) literals.push(def);
    }
  }
  if (!edits.length && !manual.length && !literals.length) return null;
  return { path: file, before: text, after: applyEdits(text, edits), changes, manual, literals };
}
