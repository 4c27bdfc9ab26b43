/**
 * Parse step: dockerfile-ast gives instruction boundaries, properties and heredocs; this
 * module turns them into plain data with JS string offsets into the ORIGINAL text, so the
 * later steps never hold parser objects and every edit is an exact range.
 *
 * Known dockerfile-ast bugs (REFERENCE §6) are worked around here:
 *  - a heredoc body line ending in the escape character hides the terminator → those
 *    characters are blanked in the copy the parser sees (same length, same lines);
 *  - a lone "\r" is a line break to the parser but not to BuildKit → blanked likewise;
 *  - directives with trailing whitespace → directives are scanned by ./directives.ts;
 *  - quoted flag values with spaces are split → flags are scanned from the text here;
 *  - getJSONValue() drops spaces → JSON arguments are sliced and JSON.parse'd.
 */
import { DockerfileParser } from "dockerfile-ast";
import type { Instruction as AstInstruction, Property as AstProperty } from "dockerfile-ast";
import { scanDirectives, escapeCharacter, type DirectiveBlock } from "./directives.js";
import { readLayout, type TextLayout } from "./text-layout.js";

export interface Word {
  value: string;
  start: number;
  end: number;
}

export interface Flag {
  name: string;
  value: string | null;
  start: number;
  end: number;
}

export interface KeyValue {
  name: string;
  /** The value as the builder sees it (quotes and escapes removed), null when none was given. */
  value: string | null;
  start: number;
  end: number;
  valueStart: number | null;
  valueEnd: number | null;
}

export interface Heredoc {
  name: string;
  /** Offsets of the body (first body character to the end of the last body line, before its break). */
  bodyStart: number;
  bodyEnd: number;
}

export interface Instruction {
  keyword: string;
  /** From the keyword to the last character (heredoc terminators included). */
  start: number;
  end: number;
  /** 0-based lines covered, ONBUILD prefix included for triggers. */
  line: number;
  endLine: number;
  /** For an ONBUILD trigger, where the whole ONBUILD instruction starts. */
  outerStart: number;
  flags: Flag[];
  /** First offset after the keyword, whitespace and flags: where the command or first source begins. */
  commandStart: number;
  /** Where text inserted before the flags goes (after the keyword and its whitespace). */
  flagsStart: number;
  /** Shell-form words after the flags (COPY/ADD sources and destination; RUN words, roughly). */
  args: Word[];
  /** Exec/JSON form elements, or null for shell form. */
  json: Word[] | null;
  properties: KeyValue[];
  heredocs: Heredoc[];
  /** Index into stages, -1 before the first FROM. */
  stage: number;
  /** An instruction run by ONBUILD in a child image. */
  trigger: boolean;
}

export interface Stage {
  index: number;
  name: string | null;
  image: string;
  /** The stage this one is built FROM, when its image names an earlier stage. */
  parent: number | null;
  from: Instruction;
}

export interface DockerfileModel {
  text: string;
  layout: TextLayout;
  directives: DirectiveBlock;
  escape: string;
  instructions: Instruction[];
  stages: Stage[];
}

export function parseDockerfile(text: string): DockerfileModel {
  const layout = readLayout(text);
  const directives = scanDirectives(text);
  const escape = escapeCharacter(directives);
  const ast = DockerfileParser.parse(parserView(text, escape, directives));
  const toOffset = (p: { line: number; character: number }) => layout.lineStarts[p.line] + p.character;

  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword();
    let target: AstInstruction = node;
    let trigger = false;
    if (keyword === "ONBUILD") {
      const inner = (node as unknown as { getTriggerInstruction(): AstInstruction | null }).getTriggerInstruction();
      if (!inner) continue;
      target = inner;
      trigger = true;
    }
    const instr = buildInstruction(text, escape, target, toOffset, stages.length - 1, trigger);
    const outer = node.getRange();
    instr.outerStart = toOffset(outer.start);
    instr.line = outer.start.line;
    instr.endLine = Math.max(instr.endLine, outer.end.line);
    if (instr.keyword === "FROM" && !trigger) {
      const from = node as unknown as { getImageName(): string | null; getBuildStage(): string | null };
      const image = from.getImageName() ?? "";
      const parent = stages.findIndex((s) => s.name !== null && s.name.toLowerCase() === image.toLowerCase());
      stages.push({
        index: stages.length,
        name: from.getBuildStage(),
        image,
        parent: parent === -1 ? null : parent,
        from: instr,
      });
      instr.stage = stages.length - 1;
    }
    instructions.push(instr);
  }
  return { text, layout, directives, escape, instructions, stages };
}

function buildInstruction(
  text: string,
  escape: string,
  node: AstInstruction,
  toOffset: (p: { line: number; character: number }) => number,
  stage: number,
  trigger: boolean,
): Instruction {
  const range = node.getRange();
  const keyword = node.getKeyword();
  const start = toOffset(range.start);
  const end = toOffset(range.end);
  const keywordEnd = toOffset(node.getInstructionRange().end);
  const flagsStart = skipBlank(text, keywordEnd, end, escape);
  const { flags, next: commandStart } = scanFlags(text, flagsStart, end, escape, keyword);

  let properties: KeyValue[] = [];
  if (keyword === "ARG") {
    // dockerfile-ast reads `ARG A B=1` like legacy `ENV A B=1` (one variable); BuildKit reads
    // every word as its own `name` or `name=value` (parseNameOrNameVal).
    properties = argWords(text, commandStart, end, escape);
  } else if (keyword === "ENV") {
    const props = (node as unknown as { getProperties(): AstProperty[] }).getProperties();
    properties = props.map((p) => {
      const r = p.getRange();
      const vr = p.getValueRange();
      return {
        name: p.getName(),
        value: p.getValue(),
        start: toOffset(r.start),
        end: toOffset(r.end),
        valueStart: vr ? toOffset(vr.start) : null,
        valueEnd: vr ? toOffset(vr.end) : null,
      };
    });
  }

  let json: Word[] | null = null;
  const asJson = node as unknown as {
    getOpeningBracket?(): unknown;
    getClosingBracket?(): unknown;
    getJSONStrings?(): { getRange(): { start: never; end: never } }[];
  };
  // Only what later steps read is asked of the parser: its lazy accessors are most of its cost.
  const wantsWords = keyword === "RUN" || keyword === "COPY" || keyword === "ADD";
  if (wantsWords && text[commandStart] === "[" && asJson.getOpeningBracket?.() && asJson.getClosingBracket?.()) {
    json = (asJson.getJSONStrings?.() ?? []).map((s) => {
      // getRange() spans the quotes; JSON.parse of that slice keeps inner spaces (REFERENCE §6.3).
      const r = s.getRange();
      const a = toOffset(r.start);
      const b = toOffset(r.end);
      let value: string;
      try {
        value = JSON.parse(text.slice(a, b)) as string;
      } catch {
        value = text.slice(a + 1, b - 1);
      }
      return { value, start: a, end: b };
    });
  }

  const heredocs: Heredoc[] = [];
  const withHeredocs = node as unknown as { getHeredocs?(): import("dockerfile-ast").Heredoc[] };
  // A bounded search: lastIndexOf from the end scans back through the whole file when there is no `<<`.
  if (wantsWords && text.slice(commandStart, end + 2).includes("<<")) {
    const list = withHeredocs.getHeredocs?.call(node) ?? [];
    for (const h of list) {
      const content = h.getContentRange();
      if (!content) continue;
      heredocs.push({ name: h.getName(), bodyStart: toOffset(content.start), bodyEnd: toOffset(content.end) });
    }
  }

  const args: Word[] =
    json || !(keyword === "COPY" || keyword === "ADD" || keyword === "WORKDIR" || keyword === "USER")
    ? []
    : node
        .getArguments()
        .map((a) => ({ value: a.getValue(), start: toOffset(a.getRange().start), end: toOffset(a.getRange().end) }))
        .filter((w) => w.start >= commandStart && !insideHeredoc(w.start, heredocs));

  return {
    keyword,
    start,
    end,
    line: range.start.line,
    endLine: range.end.line,
    outerStart: start,
    flags,
    commandStart,
    flagsStart,
    args,
    json,
    properties,
    heredocs,
    stage,
    trigger,
  };
}

function insideHeredoc(offset: number, heredocs: Heredoc[]): boolean {
  return heredocs.some((h) => offset >= h.bodyStart && offset <= h.bodyEnd);
}

/**
 * Skip spaces, tabs, line continuations (escape + optional blanks + line break) and the
 * comment lines a continued instruction may contain.
 */
export function skipBlank(text: string, pos: number, end: number, escape: string): number {
  while (pos < end) {
    const c = text[pos];
    if (c === " " || c === "\t") {
      pos++;
      continue;
    }
    const next = skipContinuation(text, pos, end, escape);
    if (next === pos) break;
    pos = next;
  }
  return pos;
}

/**
 * Past a line continuation at pos (the escape character, blanks, the line break, and the comment
 * or empty lines after it, which the builder drops), or pos when there is none. BuildKit joins
 * such lines before it reads words: the next line's first character follows at once.
 */
function skipContinuation(text: string, pos: number, end: number, escape: string): number {
  if (text[pos] !== escape) return pos;
  let j = pos + 1;
  while (j < end && (text[j] === " " || text[j] === "\t")) j++;
  if (text[j] === "\r" && text[j + 1] === "\n") j++;
  if (text[j] !== "\n") return pos;
  let next = j + 1;
  for (;;) {
    let k = next;
    while (k < end && (text[k] === " " || text[k] === "\t")) k++;
    if (text[k] === "#" || text[k] === "\n" || (text[k] === "\r" && text[k + 1] === "\n")) {
      const nl = text.indexOf("\n", k);
      if (nl === -1 || nl >= end) return end;
      next = nl + 1;
    } else return next;
  }
}

/** text[start, end) with its line continuations removed, as the builder reads it. */
function joinContinuations(text: string, start: number, end: number, escape: string): string {
  let out = "";
  for (let i = start; i < end; ) {
    const next = skipContinuation(text, i, end, escape);
    if (next !== i) i = next;
    else out += text[i++];
  }
  return out;
}

function argWords(text: string, pos: number, end: number, escape: string): KeyValue[] {
  const out: KeyValue[] = [];
  pos = skipBlank(text, pos, end, escape);
  while (pos < end) {
    const start = pos;
    let quote: string | null = null;
    while (pos < end) {
      const c = text[pos];
      if (quote) {
        if (c === escape && quote === '"') pos++;
        else if (c === quote) quote = null;
        pos++;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === " " || c === "\t" || c === "\n" || c === "\r") break;
      else if (c === escape) {
        // A continuation inside a word joins the next line to it (`A=abc\` + `def` is A=abcdef).
        const next = skipContinuation(text, pos, end, escape);
        if (next !== pos) {
          pos = next;
          continue;
        }
        pos++;
      }
      pos++;
    }
    const raw = text.slice(start, Math.min(pos, end));
    const eq = raw.indexOf("=");
    const joined = (from: number, to: number) => joinContinuations(text, from, to, escape);
    out.push({
      name: joined(start, eq === -1 ? start + raw.length : start + eq),
      value: eq === -1 ? null : unquote(joined(start + eq + 1, start + raw.length), escape),
      start,
      end: start + raw.length,
      valueStart: eq === -1 ? null : start + eq + 1,
      valueEnd: eq === -1 ? null : start + raw.length,
    });
    pos = skipBlank(text, pos, end, escape);
  }
  return out;
}

/** Shell-like word value: quotes removed, escaped characters kept literally. */
function unquote(raw: string, escape: string): string {
  let out = "";
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
    } else if (c === escape && i + 1 < raw.length) {
      out += raw[++i];
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else out += c;
  }
  return out;
}

/** Flags come before the command: `--name[=value]` words, values may be quoted. */
function scanFlags(
  text: string,
  pos: number,
  end: number,
  escape: string,
  keyword: string,
): { flags: Flag[]; next: number } {
  const flags: Flag[] = [];
  if (keyword !== "RUN" && keyword !== "COPY" && keyword !== "ADD" && keyword !== "FROM") return { flags, next: pos };
  while (pos < end && text.startsWith("--", pos)) {
    const start = pos;
    let quote: string | null = null;
    while (pos < end) {
      const c = text[pos];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === escape) break;
      pos++;
    }
    const raw = text.slice(start + 2, pos);
    const eq = raw.indexOf("=");
    flags.push({
      name: (eq === -1 ? raw : raw.slice(0, eq)).toLowerCase(),
      value: eq === -1 ? null : raw.slice(eq + 1),
      start,
      end: pos,
    });
    pos = skipBlank(text, pos, end, escape);
  }
  return { flags, next: pos };
}

/**
 * The text the parser is given: same length and line structure as the original, with the
 * characters that trip dockerfile-ast blanked out (see the module comment).
 */
function parserView(text: string, escape: string, block: DirectiveBlock): string {
  let view = text;
  if (block.directives.length > 0) view = normaliseDirectiveLines(view, block);
  if (view.includes("\r")) view = view.replace(/\r(?!\n)/g, " ");
  if (view.includes("<<")) view = blankHeredocLineEscapes(view, escape);
  return view;
}

/**
 * Directive lines hold no instruction, so their length may change in the parser's copy:
 * writing them as `#name=value` lets dockerfile-ast see the escape directive even when a
 * line has trailing blanks. Line count stays, so positions on other lines stay exact.
 */
function normaliseDirectiveLines(text: string, block: DirectiveBlock): string {
  const lines = text.split("\n");
  for (const d of block.directives) {
    const cr = lines[d.line].endsWith("\r") ? "\r" : "";
    lines[d.line] = (d.line === 0 && block.insertAt === 1 ? "\uFEFF" : "") + `#${d.name}=${d.value}${cr}`;
  }
  return lines.join("\n");
}

const HEREDOC_START = /<<(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;
const HEREDOC_KEYWORD = /^[ \t]*(?:ONBUILD[ \t]+)?(RUN|COPY|ADD)\b/i;

function blankHeredocLineEscapes(text: string, escape: string): string {
  const lines = text.split("\n");
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    if (!HEREDOC_KEYWORD.test(lines[i])) continue;
    // Collect the delimiters opened on this (possibly continued) instruction line.
    const pending: { name: string; strip: boolean }[] = [];
    let j = i;
    for (;;) {
      const line = lines[j];
      for (const m of line.matchAll(HEREDOC_START)) pending.push({ name: m[3], strip: m[1] === "-" });
      if (!line.replace(/[ \t\r]+$/, "").endsWith(escape) || j + 1 >= lines.length) break;
      j++;
    }
    // Walk the bodies: lines up to each terminator are content, never continuations.
    let k = j + 1;
    for (const doc of pending) {
      while (k < lines.length) {
        const body = lines[k].replace(/\r$/, "");
        const candidate = doc.strip ? body.replace(/^\t+/, "") : body;
        if (candidate === doc.name) break;
        const trimmed = body.replace(/[ \t]+$/, "");
        if (trimmed.endsWith(escape)) {
          const at = trimmed.length - 1;
          lines[k] = lines[k].slice(0, at) + " " + lines[k].slice(at + 1);
          changed = true;
        }
        k++;
      }
      k++;
    }
    i = Math.max(i, k - 1);
  }
  return changed ? lines.join("\n") : text;
}
