/**
 * Transform step: turn the analysis' plan into non-overlapping text edits and apply them.
 * Edits are grouped per instruction, so that two secrets touching the same ARG, COPY or RUN
 * produce one coherent change (a whole line goes when nothing of it is left).
 */
import type { Analysis } from "../analyse/analyse.js";
import type { Instruction, DockerfileModel } from "../parse/dockerfile.js";
import { removalRange, type ShellCommand, type ShellWord } from "../parse/shell.js";
import { programOf, takesExport } from "../analyse/run-script.js";
import { assignmentText } from "../analyse/flow.js";
import type { Piece } from "../knowledge/tools/index.js";
import { lineEndWithBreak } from "../parse/text-layout.js";
import type { Finding, TextEdit } from "../types.js";
import { applyEdits } from "./apply-edits.js";
import { defaultFallback, exportFromSecretFile, mountIsRequired, secretMountFlag, sshMountFlag } from "./mount-flag.js";
import { syntaxChange } from "./syntax-directive.js";

export interface FixResult {
  text: string;
  edits: TextEdit[];
  /** Context paths of removed secret files, for the .dockerignore. */
  ignorePaths: string[];
  /** Findings about the fix itself (a syntax directive unbake could not judge). */
  findings: Finding[];
}

interface Ranged {
  start: number;
  end: number;
}

interface InstructionChanges {
  properties: Set<number>;
  sources: Set<number>;
  commands: Set<ShellCommand>;
  words: Map<ShellCommand, Set<ShellWord>>;
  mounts: string[];
  exports: string[];
  /** Variables set for one command only (a stored credential's file-free form), before it: every secret's pieces. */
  prefixes?: Map<ShellCommand, Piece[]>;
  /** Folders a removed COPY made that later steps need (see FolderNeed). */
  folders?: { dirs: string[]; owner?: string; user?: string };
}

/**
 * Comments that speak to a linter about the instruction below them: they go with it, or they
 * would apply to the next one. (`# unbake-ignore-file` is about the whole file and stays.)
 */
const TOOL_DIRECTIVE = /^[ \t]*#[ \t]*(?:hadolint[ \t]+ignore=|unbake-ignore(?!-file)|tally[ \t]+ignore|checkov:skip=|trivy:ignore|kics-scan[ \t]+ignore|nosemgrep)/i;

export function fixAnalysis(analysis: Analysis): FixResult {
  const { model } = analysis;
  const changes = new Map<Instruction, InstructionChanges>();
  const get = (instr: Instruction) => {
    let c = changes.get(instr);
    if (!c) {
      c = { properties: new Set(), sources: new Set(), commands: new Set(), words: new Map(), mounts: [], exports: [] };
      changes.set(instr, c);
    }
    return c;
  };

  const ignorePaths: string[] = [];
  let usesEnvForm = false;
  for (const secret of analysis.secrets) {
    if (!secret.fixable) continue;
    ignorePaths.push(...secret.ignorePaths);
    for (const r of secret.removals) {
      const c = get(r.instr);
      if (r.kind === "property") c.properties.add(r.index);
      else if (r.kind === "source") c.sources.add(r.index);
      else if (r.kind === "command") c.commands.add(r.command);
      else {
        if (!c.words.has(r.command)) c.words.set(r.command, new Set());
        c.words.get(r.command)!.add(r.word);
      }
    }
    for (const f of secret.folders ?? []) {
      const c = get(f.instr);
      const dirs = new Set([...(c.folders?.dirs ?? []), ...f.dirs]);
      const user = f.user ?? c.folders?.user;
      c.folders = { dirs: [...dirs], ...(f.owner ?? c.folders?.owner ? { owner: f.owner ?? c.folders?.owner } : {}), ...(user ? { user } : {}) };
    }
    for (const a of secret.assignments ?? []) {
      const c = get(a.instr);
      const list: Piece[] = (c.prefixes ??= new Map()).get(a.command) ?? [];
      const seen = new Set(list.map((p) => JSON.stringify(p)));
      c.prefixes.set(a.command, [...list, ...a.pieces.filter((p) => !seen.has(JSON.stringify(p)))]);
    }
    const required = mountIsRequired(secret);
    for (const m of secret.mounts) {
      const c = get(m.instr);
      const flag = m.spec.ssh ? sshMountFlag(m.spec) : secretMountFlag(secret.id, m.spec, required);
      if (!c.mounts.includes(flag)) c.mounts.push(flag);
      if (m.spec.env) usesEnvForm = true;
      if (m.spec.exportAs) {
        const line = exportFromSecretFile(secret.id, m.spec.exportAs);
        if (!c.exports.includes(line)) c.exports.push(line);
      }
      const variable = m.spec.env ?? m.spec.exportAs;
      if (m.spec.default !== undefined && variable) {
        const line = defaultFallback(variable, m.spec.default);
        if (!c.exports.includes(line)) c.exports.push(line);
      }
    }
  }

  const edits: TextEdit[] = [];
  let mountsAdded = false;
  for (const [instr, c] of changes) {
    const instructionEdits = editsFor(analysis, instr, c);
    // An ONBUILD trigger's mount is read by the child build's frontend, which no `# syntax=` here reaches.
    if (!instr.trigger && instructionEdits.some((e) => e.text.includes("--mount="))) mountsAdded = true;
    edits.push(...instructionEdits);
  }
  const findings: Finding[] = [];
  if (mountsAdded) {
    const syntax = syntaxChange(model, usesEnvForm);
    if (syntax.edit) edits.push(syntax.edit);
    if (syntax.problem) {
      const line = model.directives.directives.find((d) => d.name === "syntax")!.line + 1;
      findings.push({ rule: "secret-arg-env", line, column: 1, endLine: line, endColumn: 1, message: syntax.problem, status: "needs-review" });
    }
  }
  const merged = keepNoFinalNewline(model, noBlankRuns(model, mergeDeletions(edits)));
  return { text: applyEdits(model.text, merged), edits: merged, ignorePaths: [...new Set(ignorePaths)], findings };
}

function editsFor(analysis: Analysis, instr: Instruction, c: InstructionChanges): TextEdit[] {
  const { model } = analysis;
  if (instr.keyword === "ARG" || instr.keyword === "ENV") {
    const props = instr.properties;
    if (c.properties.size === props.length) return [removeInstruction(model, instr)];
    return removeItems(props.map((p) => ({ start: p.start, end: contentEnd(model, p.start, p.end) })), c.properties);
  }
  if (instr.keyword === "COPY" || instr.keyword === "ADD") {
    const words = instr.json ?? instr.args;
    const sourceCount = words.length - 1;
    if (c.sources.size === sourceCount) {
      // The folders it made and a later step needs are made by a RUN in its place (REFERENCE §10).
      if (c.folders && c.folders.dirs.length > 0 && !instr.trigger) return [{ start: instr.start, end: instr.end, text: makeFolders(c.folders, model.layout.eol) }];
      return [removeInstruction(model, instr)];
    }
    if (c.sources.size === 0) return [];
    return removeItems(words, c.sources);
  }
  // RUN
  const script = analysis.script(instr);
  const edits: TextEdit[] = [];
  const editable = script.editable;
  // Two secrets' words of one `rm a b` (or a copy and its original) may be all it had: it goes whole.
  for (const [command, words] of c.words) {
    const i = editable.indexOf(command);
    if (i !== -1 && !c.commands.has(command) && !hasOperandsLeft(command, words) && removalRange(editable, i) !== null) c.commands.add(command);
  }
  if (c.commands.size > 0 && c.commands.size === editable.length && script.readOnly.length === 0) {
    return [removeInstruction(model, instr)];
  }
  if (c.commands.size > 0) {
    const removed = new Set(editable.map((cmd, i) => (c.commands.has(cmd) ? i : -1)).filter((i) => i >= 0));
    edits.push(...removeItems(editable, removed));
    // Clean-ups inside a quoted `sh -c '…'` script: removed from that script's own list.
    for (const list of script.nested) {
      const inner = new Set(list.map((cmd, i) => (c.commands.has(cmd) ? i : -1)).filter((i) => i >= 0));
      if (inner.size > 0) edits.push(...removeItems(list, inner));
    }
  }
  for (const [command, words] of c.words) {
    if (c.commands.has(command)) continue;
    const removed = new Set(command.words.map((w, i) => (words.has(w) ? i : -1)).filter((i) => i >= 0));
    edits.push(...removeItems(command.words, removed));
  }
  if (c.mounts.length > 0) edits.push({ start: instr.flagsStart, end: instr.flagsStart, text: c.mounts.map((m) => m + " ").join("") });
  // The exports (--mount-style file, an ARG's default) open the script, before whatever reads the
  // variable first: a leading `if`, subshell or group is no editable command, but it may read it.
  // An insertion at the start of a removed first command stays (apply-edits keeps boundary insertions).
  if (c.exports.length > 0 && takesExport(instr) && (editable.length === 0 || editable.some((cmd) => !c.commands.has(cmd)))) {
    edits.push({ start: instr.commandStart, end: instr.commandStart, text: c.exports.join("") });
  }
  // Then each command's own variables, right before it.
  for (const [command, pieces] of c.prefixes ?? []) {
    if (!c.commands.has(command)) edits.push({ start: command.start, end: command.start, text: assignmentText(pieces) });
  }
  return edits;
}

/**
 * Delete the chosen items of a list (properties, words, commands) so the rest keep their
 * bytes: a run of items after a kept one goes with the gap before it; a run at the start
 * goes with the gap after it.
 */
function removeItems(items: Ranged[], removed: Set<number>): TextEdit[] {
  const edits: TextEdit[] = [];
  let i = 0;
  while (i < items.length) {
    if (!removed.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < items.length && removed.has(j + 1)) j++;
    if (i > 0) edits.push({ start: items[i - 1].end, end: items[j].end, text: "" });
    else if (j + 1 < items.length) edits.push({ start: items[0].start, end: items[j + 1].start, text: "" });
    i = j + 1;
  }
  return edits;
}

/**
 * The end of an item's own text: a word that ends in a line continuation (`A=abc\` + an indented
 * next word) reaches past it; deleting what follows from there would keep the escape and join the
 * next instruction's line to this one.
 */
function contentEnd(model: DockerfileModel, start: number, end: number): number {
  const esc = model.escape.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  const tail = new RegExp(`(?:${esc}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*[ \\t]*)+$`).exec(model.text.slice(start, end));
  return tail && tail.index > 0 ? start + tail.index : end;
}

/** Does a clean-up command (rm, chmod …) keep an operand once the given words go? */
function hasOperandsLeft(command: ShellCommand, removed: Set<ShellWord>): boolean {
  const values = command.words.map((w) => w.value);
  const program = programOf(values);
  if (!program) return true;
  let operands = command.words.slice(program.index + 1).filter((w) => !w.value.startsWith("-"));
  if (program.name !== "rm" && program.name !== "shred" && program.name !== "srm" && program.name !== "unlink") operands = operands.slice(1);
  return operands.some((w) => !removed.has(w));
}

/**
 * `RUN mkdir -p …` (and `chown` to the COPY's owner): what a removed COPY left that is still needed.
 * COPY made missing folders 0755 and root's (or --chown's) whatever USER said (BuildKit's
 * fsutil copy: MkdirAll(dir, 0755, chown)): under another USER the RUN runs as root between
 * `USER root` and the stage's own USER again, which later instructions keep.
 */
function makeFolders(f: { dirs: string[]; owner?: string; user?: string }, eol: string): string {
  const quote = (w: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
  const dirs = f.dirs.map(quote).join(" ");
  const run = `RUN mkdir -p ${dirs}${f.owner ? ` && chown ${quote(f.owner)} ${dirs}` : ""}`;
  return f.user ? `USER root${eol}${run}${eol}USER ${f.user}` : run;
}

/**
 * A whole instruction goes with its line break, and with the linter directives right above it.
 * A BOM before the first line is never part of it.
 */
function removeInstruction(model: DockerfileModel, instr: Instruction): TextEdit {
  const { layout, text } = model;
  let line = instr.line;
  while (line > 0 && TOOL_DIRECTIVE.test(text.slice(layout.lineStarts[line - 1], layout.lineStarts[line]))) line--;
  const start = line === 0 && layout.bom ? 1 : layout.lineStarts[line];
  return { start, end: lineEndWithBreak(layout, text, instr.endLine), text: "" };
}

/**
 * Whole lines deleted between a blank line and another would leave two blank lines where there
 * was one: the blank line after them goes too.
 */
function noBlankRuns(model: DockerfileModel, edits: TextEdit[]): TextEdit[] {
  const { text, layout } = model;
  const blankLineAt = (offset: number): number | null => {
    // The end (with its break) of the line starting at offset, when that line is blank.
    let i = offset;
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\r")) i++;
    if (i < text.length && text[i] === "\n") return i + 1;
    return null;
  };
  const lineStartBefore = (offset: number) => {
    let i = offset - 1; // the break ending the previous line
    while (i > 0 && text[i - 1] !== "\n") i--;
    return i;
  };
  const starts = new Set(layout.lineStarts);
  const occupied = edits.filter((e) => !(e.text === "" && e.end > e.start));
  return edits.map((e) => {
    if (e.text !== "" || e.end <= e.start || !starts.has(e.start) || !starts.has(e.end) || e.start === 0) return e;
    const floor = layout.bom ? 1 : 0;
    const prev = lineStartBefore(e.start);
    if (prev < floor || blankLineAt(Math.max(prev, floor)) !== e.start) return e;
    const after = blankLineAt(e.end);
    if (after === null || occupied.some((o) => o.start < after && o.end > e.end) || occupied.some((o) => o.start === e.end)) return e;
    return { ...e, end: after };
  });
}

/** Whole-line removals of neighbouring instructions touch: such deletions become one. */
function mergeDeletions(edits: TextEdit[]): TextEdit[] {
  const isDeletion = (e: TextEdit) => e.text === "" && e.end > e.start;
  const out: TextEdit[] = edits.filter((e) => !isDeletion(e));
  let last: TextEdit | undefined;
  for (const d of edits.filter(isDeletion).sort((a, b) => a.start - b.start)) {
    if (last && d.start <= last.end) last.end = Math.max(last.end, d.end);
    else out.push((last = { ...d }));
  }
  return out;
}

/**
 * A file without a final newline keeps that state: a deletion that reaches the end also takes
 * the line breaks (and empty lines) before it, joining the deletions it meets on the way, so
 * the text still ends on a line's content.
 */
function keepNoFinalNewline(model: DockerfileModel, edits: TextEdit[]): TextEdit[] {
  const { text, layout } = model;
  const last = edits.find((e) => e.text === "" && e.end === text.length && e.end > e.start);
  if (layout.finalNewline || !last) return edits;
  const floor = layout.bom ? 1 : 0;
  let out = edits;
  while (last.start > floor && text[last.start - 1] === "\n") {
    const start = last.start - (text[last.start - 2] === "\r" ? 2 : 1);
    const met = out.find((e) => e !== last && e.end > start && e.start < last.start);
    if (met && !(met.text === "" && met.end > met.start)) break; // an insertion or replacement: leave the break
    last.start = met ? Math.min(met.start, start) : start;
    if (met) out = out.filter((e) => e !== met);
  }
  return out;
}
