/**
 * Secret files reached through a copy of a context folder (`COPY . /src`, `COPY config/ /etc/app/`):
 * no COPY names them, but a later RUN does — it copies one out (`cp /src/deploy/creds.ini
 * /root/.aws/credentials`) or, where the caller knows the context (`contextPaths`), reads it there
 * (`cat /src/secrets.json`), or runs a tool that reads it from its project folder unnamed (`npm ci`
 * in /src reads /src/.npmrc). The copy put the file into a layer; once the rewrite lists it in the
 * `.dockerignore` the copy no longer brings it (REFERENCE §10), so every place a step reads it
 * needs the secret mounted there. A credential file the copy brings that no step reads still
 * leaves the image: the running container must then get it (needs-review, see file-secrets.ts).
 */
import { posix } from "node:path";
import type { Instruction } from "../parse/dockerfile.js";
import { resolveImagePath } from "./build-context.js";
import { aliasOf } from "./file-aliases.js";
import { isFolderBefore } from "./image-folders.js";
import { contextOf, runsCalling, type AnalysisContext, type PlannedSecret } from "./plan.js";
import { wordAsPath } from "./run-script.js";
import type { SecretFileKind } from "./secret-files.js";
import { projectFolderReaders } from "../knowledge/project-folder-readers.js";
import { programOf } from "./run-script.js";
import { writtenSecretMounts } from "./written-mounts.js";

export interface ContextCopyFind {
  /** The COPY of the context folder. */
  copy: Instruction;
  /** Where the file lies in the image after it. */
  path: string;
  contextPath: string;
  kind: SecretFileKind;
}

interface FolderCopy {
  instr: Instruction;
  /** Context folder ("" for the root) and the image folder it lands in. */
  from: string;
  to: string;
}

/** Files meant to be filled in: copying one to a credential's place does not make it the credential. */
const TEMPLATE = /\.(?:tmpl|template|tpl|example|sample|dist|default|j2|in)$/i;

export function findContextCopies(ctx: AnalysisContext, known: ReadonlyMap<string, PlannedSecret>): ContextCopyFind[] {
  const copies: FolderCopy[] = [];
  for (const instr of ctx.model.instructions) {
    if ((instr.keyword !== "COPY" && instr.keyword !== "ADD") || instr.trigger || instr.heredocs.length > 0) continue;
    if (instr.flags.some((f) => f.name === "from") || ctx.ignores(instr, "secret-file-copy")) continue;
    const words = instr.json ?? instr.args;
    if (words.length < 2) continue;
    const to = resolveImagePath(words[words.length - 1].value, contextOf(ctx, instr), { literalTilde: true });
    if (to === null) continue;
    for (const src of words.slice(0, -1)) {
      const v = src.value;
      if (v.includes("$") || /[*?[\]]/.test(v) || !(v === "." || v.endsWith("/"))) continue;
      copies.push({ instr, from: posix.normalize("/" + v).slice(1).replace(/\/+$/, ""), to });
    }
  }
  if (copies.length === 0) return [];

  const out: ContextCopyFind[] = [];
  const seen = new Set<string>();
  // A path a secret mount already gives (an earlier rewrite's) is not the copy's file any more.
  const mounted = new Set(ctx.model.instructions.flatMap((i) => (i.keyword === "RUN" ? writtenSecretMounts(i).flatMap((m) => (m.target ? [m.target] : [])) : [])));
  const isCopied = (p: string) => mounted.has(p) || [...known.values()].some((s) => s.target === p);
  for (const run of ctx.model.instructions) {
    if (run.keyword !== "RUN" || run.trigger) continue;
    const script = ctx.script(run);
    const rctx = contextOf(ctx, run);
    for (const command of [...script.editable, ...script.readOnly]) {
      for (const word of command.words) {
        const p = wordAsPath(word, rctx);
        if (p === null || seen.has(p) || isCopied(p)) continue;
        const copy = latestCopyOf(ctx, copies, run, p);
        if (!copy) continue;
        // Only a file copied out is followed, on a line where a word names a credential file (as the pre-check sees it).
        const alias = aliasOf(command, p, rctx, (d) => isFolderBefore(ctx, run, d));
        if (!alias || alias === "unknown") {
          // Read (or copied in a form useOfFile reports) where the copy put it: known only with the context.
          const contextPath = posix.join(copy.from, p.slice(copy.to === "/" ? 1 : copy.to.length + 1));
          // A file another COPY takes from the context is there too, and its rewrite keeps it out of this copy.
          const inContext = ctx.contextPaths?.has(contextPath) || known.has(`file:${contextPath}`);
          const kind = inContext ? (ctx.classifyPath(contextPath) ?? ctx.classifyPath(word.value)) : null;
          if (!kind || kind.directory) continue;
          seen.add(p);
          out.push({ copy: copy.instr, path: p, contextPath, kind });
          continue;
        }
        if (![...command.words, ...command.redirects.map((r) => r.target)].some((w) => ctx.classifyPath(w.value))) continue;
        const contextPath = posix.join(copy.from, p.slice(copy.to === "/" ? 1 : copy.to.length + 1));
        const named = ctx.classifyPath(word.value) ? (ctx.classifyPath(contextPath) ?? ctx.classifyPath(word.value)) : null;
        const there = TEMPLATE.test(contextPath) ? null : ctx.classifyPath(alias.path);
        // Copied out to where a tool reads a credential: that makes it one.
        const kind = named ?? (there && there.tools.length > 0 ? there : null);
        if (!kind || kind.directory) continue;
        seen.add(p);
        out.push({ copy: copy.instr, path: p, contextPath, kind });
      }
    }
  }
  // The credential files at the context's top that a copy of the whole of it brings, named or not.
  for (const copy of copies) {
    if (copy.from !== "") continue;
    for (const name of ctx.contextPaths ?? []) {
      const p = posix.join(copy.to, name);
      if (name.includes("/") || seen.has(p) || isCopied(p)) continue;
      const kind = ctx.classifyPath(name);
      if (!kind || kind.directory) continue;
      seen.add(p);
      // Read unnamed only by the tools that look in the folder they run in, when one runs there.
      const readers = projectFolderReaders(kind.kind).filter((t) => runsIn(ctx, copy.instr, copy.to, t));
      out.push({ copy: copy.instr, path: p, contextPath: name, kind: { ...kind, tools: [...readers] } });
    }
  }
  return out;
}

/** Does a RUN after the copy (in its stage, or one built FROM it) call `program` in `folder` (its WORKDIR, or after `cd folder`)? */
function runsIn(ctx: AnalysisContext, copy: Instruction, folder: string, program: string): boolean {
  const scope = new Set(ctx.index.descendants(copy.stage));
  const at = ctx.indexOf.get(copy)!;
  // Only the RUNs that call it (indexed once): a file of thousands of RUNs costs what it has of those.
  return runsCalling(ctx, program).some((i) => {
    const run = ctx.model.instructions[i];
    if (i <= at || run.trigger || !scope.has(run.stage)) return false;
    const script = ctx.script(run);
    const rctx = contextOf(ctx, run);
    if (rctx.workdir === folder) return true;
    return [...script.editable, ...script.readOnly].some((c) => {
      const words = c.words.map((w) => w.value);
      const cd = programOf(words);
      return cd?.name === "cd" && c.words[cd.index + 1] !== undefined && wordAsPath(c.words[cd.index + 1], rctx) === folder;
    });
  });
}

/** The last folder copy before the RUN, in its stage or one it is built FROM, that holds the path. */
function latestCopyOf(ctx: AnalysisContext, copies: FolderCopy[], run: Instruction, p: string): FolderCopy | null {
  const at = ctx.indexOf.get(run)!;
  for (let k = copies.length - 1; k >= 0; k--) {
    const c = copies[k];
    if (ctx.indexOf.get(c.instr)! >= at) continue;
    if (!(c.to === "/" ? p !== "/" : p.startsWith(c.to + "/"))) continue;
    if (!ctx.index.descendants(c.instr.stage).includes(run.stage)) continue;
    return c;
  }
  return null;
}
