/**
 * Analyse step: runs the rules over a parsed Dockerfile and gives every secret a stable id.
 * Pure: a model in, findings and a plan out.
 */
import { posix } from "node:path";
import type { DockerfileModel, Instruction } from "../parse/dockerfile.js";
import type { AnalyseOptions, AnalyseSettings, Finding, FindingScope, RuleId, Secret } from "../types.js";
import { instructionContexts } from "./build-context.js";
import { findEnvSecrets } from "./env-secrets.js";
import { findFileSecrets } from "./file-secrets.js";
import { findRunWrites } from "./run-writes-secret.js";
import { followStoredCredentials, keepFileWrites, keepWrites } from "./flow.js";
import { dropMountsOnRemovedRuns } from "./removed-runs.js";
import { forwardSshKeys } from "./ssh-keys.js";
import { SSH_FORWARD } from "../knowledge/tools/ssh.js";
import { findSecretPrints } from "./secret-printed.js";
import { findHardcodedSecrets, findLiteralPasswords, findSlotLiterals, type Span } from "./hardcoded-secret.js";
import { findSecretValues } from "./secret-values.js";
import { lineOf } from "../parse/text-layout.js";
import { secretSpans } from "./secret-spans.js";
import type { RunScript } from "./run-script.js";
import { createContext, position, type AnalysisContext, type PlannedSecret } from "./plan.js";
import { readSuppressions } from "./suppressions.js";
import { mountedEnvSecrets } from "./written-mounts.js";
import { instructionScope, secretScope } from "./secret-scope.js";
import { keepArgDefaults } from "./arg-defaults.js";

export interface Analysis {
  model: DockerfileModel;
  findings: Finding[];
  /** Every secret found, fixable or not. */
  secrets: PlannedSecret[];
  /** Literal secret values in the file, as the builder reads them: never printed. */
  redactions: string[];
  /** Where the hard-coded values are written in the text: never printed (see emit/redact.ts). */
  secretSpans: Span[];
  /** The split of a RUN into commands that the plan's ranges refer to. */
  script(instr: Instruction): RunScript;
  /** Env-form secrets the file already mounts, with no ARG of that name (their call sites still migrate). */
  mountedEnv: { name: string; id: string }[];
}


export function analyseModel(model: DockerfileModel, options: AnalyseOptions = {}): Analysis {
  const suppressions = readSuppressions(model);
  const settings = options.settings ?? {};
  const off = (rule: RuleId) => settings.severity?.(rule) === "off";
  const ignores = (instr: Instruction, rule: RuleId) => off(rule) || suppressions.ignores(instr, rule);
  const ctx = createContext(model, instructionContexts(model), options.mountStyle ?? "auto", ignores, settings);
  if (options.contextFiles) ctx.contextFiles = options.contextFiles;
  if (options.contextPaths?.length) ctx.contextPaths = new Set(options.contextPaths);
  const envSecrets = findEnvSecrets(ctx);
  const fileSecrets = findFileSecrets(ctx);
  const secrets = [...envSecrets, ...fileSecrets];
  assignIds(secrets, settings);

  const secretVariables = new Set<string>();
  for (const s of envSecrets) {
    for (const r of s.removals) if (r.kind === "property") secretVariables.add(r.instr.properties[r.index].name);
  }
  // Stored credentials: the storing command goes, its readers get the file-free form (flow.ts).
  const rewritten = followStoredCredentials(ctx, envSecrets);
  // An ssh key written or copied into ~/.ssh: its readers get the builder's ssh agent (ssh-keys.ts).
  for (const c of forwardSshKeys(ctx, secrets)) rewritten.add(c);
  // A write the rewrite leaves is a carrier: the secret it writes cannot be `fixed`.
  // Secret files each RUN gets mounted: a variable read from one and written on is a carrier too.
  const mountedFiles = new Map<Instruction, Set<string>>();
  for (const s of fileSecrets) for (const m of s.mounts) if (m.spec.target) (mountedFiles.get(m.instr) ?? mountedFiles.set(m.instr, new Set()).get(m.instr)!).add(m.spec.target);
  const writes = findRunWrites(ctx, secretVariables, rewritten, mountedFiles);
  keepWrites(ctx, envSecrets, writes);
  keepFileWrites(ctx, fileSecrets, writes);
  findSecretPrints(ctx, secrets);
  keepArgDefaults(ctx, envSecrets);
  dropMountsOnRemovedRuns(ctx, secrets);
  const handled: Span[] = [];
  for (const s of secrets) {
    if (!s.fixable) continue;
    for (const r of s.removals) {
      if (r.kind === "property") {
        const p = r.instr.properties[r.index];
        handled.push({ start: p.start, end: p.end });
      }
    }
  }
  const valueMatches = findSecretValues(model.text);
  findHardcodedSecrets(ctx, handled, valueMatches);
  const passwords = [...findLiteralPasswords(ctx), ...findSlotLiterals(ctx, valueMatches)];
  const scopes = new Map(secrets.map((s) => [s.id, secretScope(ctx, s)]));
  for (const s of secrets) reportSecret(ctx, s, scopes.get(s.id)!);

  // A finding is dropped when its rule is off for the instruction it points into.
  const suppressed = (f: Finding) => instructionsOnLine(model, f.line - 1).some((i) => suppressions.ignores(i, f.rule));
  const idOf = new Map(secrets.map((s) => [s.key, s.id]));
  const findings = ctx.findings
    .filter((f) => !suppressed(f) && !off(f.rule))
    .map((f) => {
      const severity = settings.severity?.(f.rule);
      return severity && severity !== "off" ? { ...f, severity } : f;
    })
    .map((f) => (f.secretId?.startsWith("env:") || f.secretId?.startsWith("file:") ? { ...f, secretId: idOf.get(f.secretId) } : f))
    .map((f) => (f.scope ? f : { ...f, scope: scopeOfFinding(ctx, scopes, f) }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  const redactions = new Set<string>();
  for (const s of secrets) for (const v of s.values) redactions.add(v);
  for (const m of valueMatches) redactions.add(model.text.slice(m.start, m.end));
  const spans = secretSpans(model, secrets, valueMatches, passwords, ctx.isSecretName);
  return { model, findings, secrets, redactions: [...redactions], secretSpans: spans, script: ctx.script, mountedEnv: mountedEnvSecrets(model) };
}

/** A finding's scope: its secret's, else that of the instruction it points into. */
function scopeOfFinding(ctx: AnalysisContext, scopes: Map<string, FindingScope>, f: Finding): FindingScope {
  const bySecret = f.secretId === undefined ? undefined : scopes.get(f.secretId);
  if (bySecret) return bySecret;
  const instr = instructionsOnLine(ctx.model, f.line - 1)[0];
  return instr ? instructionScope(ctx, instr) : "image";
}

/** The instructions covering a 0-based line (a binary search: findings can be as many as instructions). */
function instructionsOnLine(model: DockerfileModel, line: number): Instruction[] {
  const list = model.instructions;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].line <= line) lo = mid + 1;
    else hi = mid;
  }
  const out: Instruction[] = [];
  for (let k = lo - 1; k >= 0 && list[k].endLine >= line; k--) out.push(list[k]);
  return out;
}


/** Readable ids: DB_PASSWORD → db_password, .npmrc → npmrc, .aws/credentials → aws_credentials. */
export function idFor(secret: Pick<PlannedSecret, "source">): string {
  if (secret.source.type === "env") return sanitiseId(secret.source.name.toLowerCase());
  const path = secret.source.path;
  const base = posix.basename(path).replace(/^\.+/, "");
  const parent = posix.basename(posix.dirname(path)).replace(/^\.+/, "");
  const generic = /^(credentials|config|config\.json|settings\.xml|auth\.json|key|id|token|secret|password)$/i.test(base);
  return sanitiseId((generic && parent && parent !== "." ? `${parent}_${base}` : base).toLowerCase());
}

function sanitiseId(id: string): string {
  return id.replace(/[^a-z0-9_.-]+/g, "_").replace(/^[._-]+/, "") || "secret";
}

function assignIds(secrets: PlannedSecret[], settings: AnalyseSettings): void {
  const taken = new Set<string>();
  // The first free number only grows (ids are never given back): start where the last search ended.
  const nextNumber = new Map<string, number>();
  for (const s of secrets) {
    const key = s.source.type === "env" ? s.source.name : s.source.path;
    // Ids are printed as they are (never redacted): one made from a name or path that holds a
    // token would show it, lower-cased past the redactor.
    const base = settings.idFor?.(key) ?? (findSecretValues(key).length > 0 ? "secret" : idFor(s));
    let id = base;
    let n = nextNumber.get(base) ?? 2;
    if (taken.has(id)) for (id = `${base}_${n}`; taken.has(id); ) id = `${base}_${++n}`;
    nextNumber.set(base, n);
    taken.add(id);
    s.id = id;
    const problem = s.source.type === "file" ? settings.idProblem?.(key) : undefined;
    if (problem) {
      s.fixable = false;
      s.notes.push(problem);
    }
  }
}

/** Line numbers for a message: a crafted file can mount a secret on thousands of RUNs. */
function lineList(lines: number[], most = 8): string {
  return lines.length <= most ? lines.join(", ") : `${lines.slice(0, most).join(", ")} and ${lines.length - most} more`;
}

function reportSecret(ctx: AnalysisContext, secret: PlannedSecret, scope: FindingScope): void {
  const carriers = new Set<Instruction>();
  const carried = new Map<Instruction, Set<number>>();
  for (const r of secret.removals) {
    if ((r.kind === "property" && !r.reset) || r.kind === "source") carriers.add(r.instr);
    if (r.kind === "property" && !r.reset) carried.set(r.instr, (carried.get(r.instr) ?? new Set()).add(r.index));
  }
  // A file a copy of the whole context brought in (`COPY . /src`): that copy stays, the file leaves it.
  if (carriers.size === 0 && secret.source.type === "file") carriers.add(secret.carrier);
  const lines = [...new Set(secret.mounts.map((m) => position(ctx, m.instr).line))].sort((a, b) => a - b);
  const where = lines.length > 0 ? `mounted on line${lines.length > 1 ? "s" : ""} ${lineList(lines)}` : "used by no build step";
  for (const instr of carriers) {
    const what =
      secret.source.type === "env"
        ? `${instr.keyword} ${instr.properties
            .filter((_, i) => carried.get(instr)?.has(i))
            .map((p) => p.name)
            .join(", ")} ${secret.hardcoded ? "holds a hard-coded secret value (not shown; rotate it)" : `carries a secret into ${scope === "image" ? "the image" : BUILD_STAGES}`}`
        : `${instr.keyword} puts the credential file ${secret.source.path} into ${scope === "image" ? "a layer" : `${BUILD_STAGES},`} at ${secret.target}`;
    const stays = secret.fixable && secret.stays?.length ? `; still in the image: ${[...new Set(secret.stays)].join("; ")}` : "";
    const outcome = secret.fixable
      ? `becomes secret "${secret.id}", ${where}${secret.notes.length ? `; ${secret.notes.join("; ")}` : ""}${stays}`
      : `left as is${secret.notes.length ? `: ${secret.notes.join("; ")}` : " (see the other findings)"}`;
    ctx.findings.push({
      rule: secret.source.type === "env" ? "secret-arg-env" : "secret-file-copy",
      ...position(ctx, instr),
      message: `${what}; ${outcome}`,
      status: !secret.fixable || stays ? "manual" : secret.review ? "needs-review" : "fixed",
      secretId: secret.id,
      scope,
    });
  }
}

/** Where a secret only build stages held is: the shipped image never had it. */
const BUILD_STAGES = "an intermediate build stage's layers and the build cache (not the final image)";

/**
 * Every carrier and every mount is an ONBUILD trigger: the secret concerns the builds FROM this
 * image (they run the triggers, with their own --secret flags), never this build or its container.
 */
function onlyInTriggers(s: PlannedSecret): boolean {
  const carriers = s.removals.filter((r) => !(r.kind === "property" && r.reset));
  return carriers.length > 0 && carriers.every((r) => r.instr.trigger) && s.mounts.every((m) => m.instr.trigger);
}

/** The public view of a planned secret. */
export function toSecret(ctx: { model: DockerfileModel }, s: PlannedSecret): Secret {
  const { layout } = ctx.model;
  // A secret left in place mounts nothing: it keeps its planned usage, but no line.
  const mounted = s.fixable ? s.mounts : [];
  const lines = [...new Set(mounted.map((m) => lineOf(layout, m.instr.outerStart) + 1))].sort((a, b) => a - b);
  return {
    id: s.id,
    source: s.source,
    usage: s.mounts.length > 0 ? "build" : "runtime",
    ...(s.hardcoded ? { hardcoded: true as const } : {}),
    ...(s.target ? { target: s.target } : {}),
    mountedOn: lines,
    ...(s.fixable ? {} : { unfixed: true as const }),
    ...(onlyInTriggers(s) ? { onbuild: true as const } : {}),
    ...(s.fixable && s.sshAgent?.length ? { ssh: [SSH_FORWARD] } : {}),
    ...(s.fixable && s.runtimeNames?.length ? { runtimeNames: s.runtimeNames } : {}),
    // An ONBUILD ARG is declared for the builds FROM this image: this build's --build-arg never reached it.
    buildArgs: s.fixable
      ? [...new Set(s.removals.flatMap((r) => (r.kind === "property" && !r.reset && r.instr.keyword === "ARG" && !r.instr.trigger ? [r.instr.properties[r.index].name] : [])))]
      : [],
  };
}
