/**
 * The analyser's output for one secret: where it is carried, who consumes it, what to
 * remove and which mounts to add. The transformer turns this into text edits; nothing
 * here knows about text edits yet.
 */
import type { DockerfileModel, Instruction } from "../parse/dockerfile.js";
import type { ShellCommand, ShellWord } from "../parse/shell.js";
import type { Piece } from "../knowledge/tools/index.js";
import type { AnalyseSettings, Finding, MountStyle, RuleId, SecretSource } from "../types.js";
import { isSecretName as builtinIsSecretName } from "./secret-names.js";
import { classifySecretPath, type SecretFileKind } from "./secret-files.js";

/** A file the project's configuration calls a secret, of no kind the built-in list knows. */
const CONFIGURED_FILE: SecretFileKind = { kind: "configured", label: "a credential file (per the configuration)", tools: [], directory: false };
import type { InstructionContext } from "./build-context.js";
import { readRunScript, type RunScript } from "./run-script.js";
import { lineOf } from "../parse/text-layout.js";
import { indexInstructions, type InstructionIndex } from "./instruction-index.js";

/** A mount to add for one secret; the secret supplies the id. */
export interface MountSpec {
  /** env form: the variable the RUN reads. */
  env?: string;
  /** file form: where the file goes (absolute); absent for /run/secrets/<id>. */
  target?: string;
  uid?: string;
  gid?: string;
  mode?: string;
  /** file style for a variable: export it from /run/secrets/<id> before the command. */
  exportAs?: string;
  /** The builder's ssh agent instead of the secret (`--mount=type=ssh`): the key never enters the build. */
  ssh?: true;
  /**
   * What this RUN saw for the variable when the build passed none (an ARG's default): it still
   * sees it when the secret is not supplied (src/analyse/arg-defaults.ts).
   */
  default?: string;
}

export type Removal =
  | { kind: "property"; instr: Instruction; index: number; /** an `ENV X=` reset: goes, but carries nothing */ reset?: true }
  | { kind: "source"; instr: Instruction; index: number }
  | { kind: "command"; instr: Instruction; command: ShellCommand }
  | { kind: "word"; instr: Instruction; command: ShellCommand; word: ShellWord };

export interface MountRequest {
  instr: Instruction;
  spec: MountSpec;
}

export interface PlannedSecret {
  /** Stable key before ids are assigned: "env:NAME" or "file:path". */
  key: string;
  id: string;
  source: SecretSource;
  hardcoded: boolean;
  /** Literal values to redact from every output. */
  values: string[];
  /** False when something prevents a safe rewrite: nothing of it is then touched. */
  fixable: boolean;
  removals: Removal[];
  mounts: MountRequest[];
  /** Context paths to add to the .dockerignore. */
  ignorePaths: string[];
  /** Absolute path of a file secret in the image, for run-time mounts. */
  target?: string;
  /** The first carrier, where its finding is reported. */
  carrier: Instruction;
  /** Extra words for the carrier's finding (why needs-review, how to supply at run time). */
  notes: string[];
  review: boolean;
  /** ENV names of the final image the running container read the secret from: supplied at run time. */
  runtimeNames?: string[];
  /**
   * Folders a removed COPY made that a later step still needs: the COPY's line becomes
   * `RUN mkdir -p …` (with the COPY's --chown) when the whole COPY goes.
   */
  folders?: FolderNeed[];
  /**
   * Variables set before one command only (a stored credential's file-free form, src/analyse/flow.ts):
   * the pieces of every secret on one command are written together (git's pairs share one GIT_CONFIG_COUNT).
   */
  assignments?: { instr: Instruction; command: ShellCommand; pieces: Piece[] }[];
  /** Carriers the rewrite leaves in a layer (what stays, and where): no finding about the secret says `fixed`. */
  stays?: string[];
  /**
   * The ARG's default when it is no hard-coded secret (a placeholder such as `unset`): what a build
   * without the secret still gives the RUNs that read it (their mounts' `default`).
   */
  default?: string;
  /** ssh keys (their paths in the image) whose readers now get the builder's ssh agent (src/analyse/ssh-keys.ts). */
  sshAgent?: string[];
}

export interface FolderNeed {
  instr: Instruction;
  dirs: string[];
  /** The COPY's --chown value, given to the folders it made. */
  owner?: string;
  /** The USER in force (not root), as written: the folders are made as root, then the stage is handed back to it. */
  user?: string;
}

/** A secret found at `carrier`, before its consumers are planned. */
export function newSecret(key: string, source: SecretSource, carrier: Instruction, target?: string): PlannedSecret {
  return {
    key,
    id: "",
    source,
    hardcoded: false,
    values: [],
    fixable: true,
    removals: [],
    mounts: [],
    ignorePaths: [],
    carrier,
    notes: [],
    review: false,
    ...(target !== undefined ? { target } : {}),
  };
}

export interface AnalysisContext {
  model: DockerfileModel;
  contexts: InstructionContext[];
  mountStyle: MountStyle;
  /** Is the rule switched off for this instruction (`# unbake-ignore[=rules]` above it, or file-wide)? */
  ignores(instr: Instruction, rule: RuleId): boolean;
  /** The name and file classifiers, with the project's settings applied. */
  isSecretName(name: string): boolean;
  classifyPath(path: string): SecretFileKind | null;
  indexOf: Map<Instruction, number>;
  /** Instructions by stage, by the variables they name, …: searches that cost what they find. */
  index: InstructionIndex;
  findings: Finding[];
  script(instr: Instruction): RunScript;
  /** Build-context files the caller read for the analysis (AnalyseOptions.contextFiles). */
  contextFiles?: Readonly<Record<string, string>>;
  /** Credential files a copy of a context folder brings (AnalyseOptions.contextPaths). */
  contextPaths?: ReadonlySet<string>;
}

export function createContext(
  model: DockerfileModel,
  contexts: InstructionContext[],
  mountStyle: MountStyle,
  ignores: (instr: Instruction, rule: RuleId) => boolean,
  settings: AnalyseSettings = {},
): AnalysisContext {
  const scripts = new Map<Instruction, RunScript>();
  const indexOf = new Map<Instruction, number>();
  model.instructions.forEach((instr, i) => indexOf.set(instr, i));
  return {
    model,
    contexts,
    mountStyle,
    ignores,
    isSecretName: (name) => settings.isSecretName?.(name) ?? builtinIsSecretName(name),
    classifyPath: (path) => {
      const configured = settings.isSecretFile?.(path);
      if (configured === false) return null;
      return classifySecretPath(path) ?? (configured ? CONFIGURED_FILE : null);
    },
    indexOf,
    index: indexInstructions(model),
    findings: [],
    script(instr) {
      let s = scripts.get(instr);
      if (!s) {
        s = readRunScript(model, instr);
        scripts.set(instr, s);
      }
      return s;
    },
  };
}

/** The instructions after `from` that run in the given stages (ONBUILD triggers only with triggers). */
export function laterInstructions(
  ctx: AnalysisContext,
  from: Instruction,
  stages: Set<number>,
): Instruction[] {
  return laterAmong(ctx, from, [...stages].flatMap((s) => ctx.index.inStage(s)));
}

/** Of the given instruction positions, those after `from` that laterInstructions would give, in file order. */
export function laterAmong(ctx: AnalysisContext, from: Instruction, positions: Iterable<number>): Instruction[] {
  const start = ctx.indexOf.get(from)! + 1;
  const picked = [...positions].filter((p) => p >= start).sort((a, b) => a - b);
  const out: Instruction[] = [];
  for (let k = 0; k < picked.length; k++) {
    if (k > 0 && picked[k] === picked[k - 1]) continue;
    const i = ctx.model.instructions[picked[k]];
    if (i.trigger === from.trigger && i.keyword !== "FROM") out.push(i);
  }
  return out;
}

/** The RUNs calling a program (after wrappers such as sudo), in file order. */
export function runsCalling(ctx: AnalysisContext, program: string): readonly number[] {
  return ctx.index.where(`runs-calling:${program}`, (i) => i.keyword === "RUN" && ctx.script(i).programs.has(program));
}

export function contextOf(ctx: AnalysisContext, instr: Instruction): InstructionContext {
  return ctx.contexts[ctx.indexOf.get(instr)!];
}

export function position(ctx: AnalysisContext, instr: Instruction, start?: number, end?: number) {
  const { layout } = ctx.model;
  const s = start ?? instr.outerStart;
  const e = end ?? instr.end;
  const line = lineOf(layout, s);
  const endLine = lineOf(layout, e);
  return {
    line: line + 1,
    column: s - layout.lineStarts[line] + 1,
    endLine: endLine + 1,
    endColumn: e - layout.lineStarts[endLine] + 1,
  };
}
