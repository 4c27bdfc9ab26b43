/**
 * The build configuration that supplies a rewritten Dockerfile's secrets, for each build tool
 * (REFERENCE §4), and how the running container gets the secrets that left the image. Pure:
 * secrets in, text ready to paste out. Like the docker command, every form assumes the build
 * context folder as the working directory, so `src=` paths are relative to it.
 *
 * Each tool reads its values with its own syntax, and each is quoted for it:
 * - docker: shell words (shellQuote); `--secret` values are CSV for buildx.
 * - bake: HCL strings (`\`, `"`, `${`, `%{` escaped) holding buildx CSV fields.
 * - compose: YAML scalars, quoted when plain YAML would read them otherwise; `$` doubled
 *   (compose interpolates every value).
 * - GitHub Actions: YAML block scalars whose lines the action reads as CSV records.
 * - podman/buildah: shell words; `--secret` is split on plain commas (no CSV quoting).
 * A control character, line separator or bidi control in a name is always written as an escape
 * of the target syntax, never raw: the text is printed, and raw it would act on the terminal or CI log.
 */
import { posix } from "node:path";
import type { Secret } from "../types.js";
import { hasUnsafeText, safeJson } from "./escape.js";
import { dockerBuildCommand, shellQuote, sshForwards } from "./build-commands.js";

export type BuilderKind = "docker" | "bake" | "compose" | "gha" | "podman";

export const BUILDER_KINDS: readonly BuilderKind[] = Object.freeze(["docker", "bake", "compose", "gha", "podman"] as const);

export interface BuildTarget {
  /** Dockerfile path relative to the build context (forward slashes). */
  dockerfile: string;
  /** A name for the bake target / compose service: from the Dockerfile's folder, sanitised ([a-z0-9_-], e.g. "api"). */
  name: string;
  secrets: Secret[];
  /** "file" when the Dockerfile was rewritten with --mount-style file (podman/buildah before 1.44 then need file secrets). */
  mountStyle: "auto" | "file";
  /**
   * The build context relative to the repository's top (forward slashes; "." for the top itself).
   * docker/build-push-action has no working directory: it runs where the repository is checked
   * out, so its `context`, `file` and `secret-files` paths are written from there.
   */
  fromRoot?: string;
}

export const PODMAN_ENV_NOTE = "# needs podman/buildah >= 1.44 for env= mounts; rewrite with --mount-style file for older ones";

/** [a-z0-9_-] only, no leading/trailing/doubled separators; "app" when nothing is left. */
export function sanitizeName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
  return name === "" ? "app" : name;
}

/**
 * A target/service name for a Dockerfile path (relative to anything, either slash): its folder's
 * name, plus the variant a `Dockerfile.<x>`, `Containerfile.<x>` or `<x>.Dockerfile` name adds.
 * `services/api/Dockerfile` → "api"; `Dockerfile.dev` → "app-dev"; `web/worker.Dockerfile` → "web-worker".
 */
export function targetName(dockerfilePath: string): string {
  const parts = dockerfilePath.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  const file = parts.pop() ?? "";
  const folder = parts.filter((p) => p !== "..").pop() ?? "";
  const variant = /^(?:dockerfile|containerfile)[.-](.+)$/i.exec(file)?.[1] ?? /^(.+)\.(?:dockerfile|containerfile)$/i.exec(file)?.[1] ?? "";
  const base = folder === "" ? "app" : sanitizeName(folder);
  return variant === "" ? base : sanitizeName(`${base}-${variant}`);
}

function buildSecrets(target: BuildTarget): Secret[] {
  return target.secrets.filter((s) => s.usage === "build" && !s.unfixed && !s.onbuild);
}

/** The build secrets given with --secret: an ssh key the agent stands in for is forwarded instead (sshForwards). */
function passedSecrets(target: BuildTarget): Secret[] {
  return buildSecrets(target).filter((s) => !s.ssh);
}

/** Secrets the running container must get: those no build step reads, and ENVs of the final image (runtimeNames). */
function runtimeSecrets(target: BuildTarget): Secret[] {
  return target.secrets.filter((s) => (s.usage === "runtime" || (s.runtimeNames?.length ?? 0) > 0) && !s.unfixed && !s.onbuild);
}

/** The variables the container reads a secret from: the final image's ENV names, else the secret's own name. */
function runtimeVariables(s: Secret): string[] {
  if (s.runtimeNames?.length) return s.runtimeNames;
  return s.source.type === "env" ? [s.source.name] : [];
}

/** `id=ID,env=VAR` / `id=ID,src=PATH`: the value of a `--secret` flag (REFERENCE §4). */
function secretSpec(s: Secret): { id: string; key: "env" | "src"; value: string } {
  return s.source.type === "env" ? { id: s.id, key: "env", value: s.source.name } : { id: s.id, key: "src", value: s.source.path };
}

/** One RFC 4180 field (buildx reads `--secret` and bake `secret` entries as CSV). */
function csvField(field: string): string {
  return /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replace(/"/g, '""')}"` : field;
}

function buildxSecretValue(s: Secret): string {
  const { id, key, value } = secretSpec(s);
  return [`id=${id}`, `${key}=${value}`].map(csvField).join(",");
}

// ---------------------------------------------------------------------------------------------
// HCL

/** An HCL quoted string: `\` and `"` escaped, control characters escaped, `${`/`%{` not templates. */
export function hclString(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || hasUnsafeText(ch)) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `"${out.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{")}"`;
}

function bakeHcl(target: BuildTarget, secrets: Secret[], ssh: string[]): string {
  return [
    // buildx bake asks for the ssh forward to be allowed (an entitlement): without it the build stops.
    ...(ssh.length > 0 ? [`# docker buildx bake --allow=ssh ${sanitizeName(target.name)}`] : []),
    `target ${hclString(sanitizeName(target.name))} {`,
    `  dockerfile = ${hclString(target.dockerfile)}`,
    `  context    = "."`,
    ...(secrets.length > 0 ? [`  secret     = [${secrets.map((s) => hclString(buildxSecretValue(s))).join(", ")}]`] : []),
    // bake's `ssh`: the same values as `--ssh` (buildx bake reference, target.ssh).
    ...(ssh.length > 0 ? [`  ssh        = [${ssh.map(hclString).join(", ")}]`] : []),
    `}`,
  ].join("\n");
}

/** The same target as a bake JSON file (`docker buildx bake -f docker-bake.json`); "" without build secrets. */
export function bakeJson(target: BuildTarget): string {
  const secrets = passedSecrets(target);
  const ssh = sshForwards(target.secrets);
  if (secrets.length === 0 && ssh.length === 0) return "";
  const doc = {
    target: {
      [sanitizeName(target.name)]: {
        dockerfile: target.dockerfile,
        context: ".",
        ...(secrets.length > 0 ? { secret: secrets.map(buildxSecretValue) } : {}),
        ...(ssh.length > 0 ? { ssh } : {}),
      },
    },
  };
  return safeJson(JSON.stringify(doc, null, 2));
}

// ---------------------------------------------------------------------------------------------
// YAML

const YAML_PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/;
/** Plain scalars YAML 1.1 or 1.2 would read as something other than this string. */
const YAML_NOT_STRING = /^(?:~|null|true|false|yes|no|on|off|y|n|[-+]?\.(?:inf|nan)|\.)$|^[-+]?\.?[0-9]/i;

/** A YAML scalar for `s`: plain when it can only mean this string, else double-quoted. */
export function yamlString(s: string): string {
  if (YAML_PLAIN.test(s) && !YAML_NOT_STRING.test(s)) return s;
  // A JSON string is a YAML double-quoted scalar (YAML 1.2 is a JSON superset).
  return safeJson(JSON.stringify(s));
}

/** Compose interpolates `$VAR` in every value: a literal `$` is written `$$`. */
function composeLiteral(s: string): string {
  return s.replace(/\$/g, "$$$$");
}

/**
 * A `file:`/`src=` value for a path relative to the context: `./path`, unless absolute or already
 * relative. A leading `~` stays literal: a COPY source `~/x` is a folder named `~` in the context.
 */
function composeFile(path: string): string {
  return /^(?:\/|\.\.?\/)/.test(path) ? path : `./${path}`;
}

function composeBuild(target: BuildTarget, secrets: Secret[], ssh: string[]): string {
  const lines = [
    "services:",
    `  ${yamlString(sanitizeName(target.name))}:`,
    "    build:",
    "      context: .",
    `      dockerfile: ${yamlString(composeLiteral(target.dockerfile))}`,
  ];
  // build.ssh: the agent ids, as --ssh takes them (compose build specification, `ssh`).
  if (ssh.length > 0) lines.push("      ssh:", ...ssh.map((id) => `        - ${yamlString(composeLiteral(id))}`));
  if (secrets.length === 0) return lines.join("\n");
  lines.push("      secrets:", ...secrets.map((s) => `        - ${yamlString(s.id)}`), "secrets:");
  for (const s of secrets) {
    lines.push(`  ${yamlString(s.id)}:`);
    lines.push(
      s.source.type === "env"
        ? `    environment: ${yamlString(s.source.name)}`
        : `    file: ${yamlString(composeLiteral(composeFile(s.source.path)))}`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions docker/build-push-action

function ghaWith(target: BuildTarget, secrets: Secret[], ssh: string[]): string {
  const envs = secrets.filter((s) => s.source.type === "env");
  const files = secrets.filter((s) => s.source.type === "file");
  const lines: string[] = [];
  if (envs.length > 0) {
    const names = envs.map((s) => (s.source.type === "env" ? s.source.name : ""));
    lines.push(`# secret-envs reads the runner's environment: set ${names.join(", ")} in the step's env:, e.g. from \${{ secrets.NAME }}`);
  }
  if (ssh.length > 0) lines.push("# ssh forwards the runner's ssh agent ($SSH_AUTH_SOCK): an earlier step must start one holding the key (ssh-add)");
  // Paths from the checkout's top, where the action runs: pasted as printed, it builds this context.
  const root = target.fromRoot ?? ".";
  const fromTop = (p: string) => (root === "." || p.startsWith("/") ? p : posix.join(root, p));
  lines.push("with:", `  context: ${root === "." ? "." : yamlString(root)}`);
  if (target.dockerfile !== "Dockerfile" || root !== ".") lines.push(`  file: ${yamlString(fromTop(target.dockerfile))}`);
  const spec = (s: Secret) => (s.source.type === "file" ? fromTop(secretSpec(s).value) : secretSpec(s).value);
  // The action reads each line of these inputs as a CSV record (csv-parse); a line that needs it
  // is quoted as one CSV field.
  // A line break inside a quoted record stays in the block scalar as an indented line (YAML
  // turns a CR into LF there).
  const blockLine = (s: Secret) => `    ${csvField(`${s.id}=${spec(s)}`).split(/\r\n|\r|\n/).join("\n    ")}`;
  // A name with a control character cannot be shown in a block scalar: the same input as a quoted one.
  const input = (key: string, list: Secret[]) =>
    list.some((s) => hasUnsafeText(spec(s)))
      ? [`  ${key}: ${yamlString(list.map((s) => csvField(`${s.id}=${spec(s)}`)).join("\n") + "\n")}`]
      : [`  ${key}: |`, ...list.map(blockLine)];
  if (envs.length > 0) lines.push(...input("secret-envs", envs));
  if (files.length > 0) lines.push(...input("secret-files", files));
  // The action's `ssh` input: one agent id a line, as --ssh takes them (default: $SSH_AUTH_SOCK,
  // which an ssh-agent step before it sets).
  if (ssh.length > 0) lines.push(`  ssh: ${ssh.length === 1 ? yamlString(ssh[0]) : yamlString(ssh.join("\n") + "\n")}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// podman / buildah

function podmanBuild(target: BuildTarget, secrets: Secret[], ssh: string[]): string {
  const parts = ["podman", "build"];
  if (target.dockerfile !== "Dockerfile") parts.push("-f", shellQuote(target.dockerfile));
  for (const s of secrets) {
    const { id, key, value } = secretSpec(s);
    parts.push("--secret", shellQuote(`id=${id},${key}=${value}`));
  }
  for (const id of ssh) parts.push("--ssh", shellQuote(id));
  parts.push(".");
  const lines: string[] = [];
  if (target.mountStyle === "auto" && secrets.some((s) => s.source.type === "env")) lines.push(PODMAN_ENV_NOTE);
  // buildah splits --secret on every comma (REFERENCE §4): such a value cannot be passed.
  if (secrets.some((s) => secretSpec(s).value.includes(","))) lines.push("# podman/buildah cannot pass a --secret value with a comma: rename that file or variable");
  lines.push(parts.join(" "));
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------

/** The build configuration for each requested tool, ready to paste. Only build secrets (usage "build"). Empty string for a tool when there is no build secret. */
export function buildConfigs(target: BuildTarget, kinds: BuilderKind[]): Partial<Record<BuilderKind, string>> {
  const secrets = passedSecrets(target);
  const ssh = sshForwards(target.secrets);
  const out: Partial<Record<BuilderKind, string>> = {};
  for (const kind of kinds) {
    if (secrets.length === 0 && ssh.length === 0) {
      out[kind] = "";
      continue;
    }
    switch (kind) {
      case "docker":
        out.docker = dockerBuildCommand({ dockerfile: target.dockerfile, secrets: buildSecrets(target) });
        break;
      case "bake":
        out.bake = bakeHcl(target, secrets, ssh);
        break;
      case "compose":
        out.compose = composeBuild(target, secrets, ssh);
        break;
      case "gha":
        out.gha = ghaWith(target, secrets, ssh);
        break;
      case "podman":
        out.podman = podmanBuild(target, secrets, ssh);
        break;
    }
  }
  return out;
}

/** Where a runtime file secret goes in the container: where the image had it, else /run/secrets/<id>. */
function runtimeTarget(s: Secret): string {
  return s.target ?? `/run/secrets/${s.id}`;
}

/** How the RUNNING container gets each runtime secret: docker run flags (-e NAME / --mount type=bind,src=…,dst=<target>,readonly) and a compose service `secrets:` snippet (with top-level secrets). */
export function runtimeConfigs(target: BuildTarget): { docker?: string; compose?: string } {
  const secrets = runtimeSecrets(target);
  if (secrets.length === 0) return {};
  const envs = secrets.filter((s) => s.source.type === "env");
  const files = secrets.filter((s) => s.source.type === "file");

  // docker run: `-e NAME` passes the caller's variable; a bind mount puts the file where the
  // image had it. The --mount value is CSV (docker CLI), then one shell word.
  const parts = ["docker", "run"];
  for (const s of envs) for (const name of runtimeVariables(s)) parts.push("-e", shellQuote(name));
  for (const s of files) {
    if (s.source.type !== "file") continue;
    const fields = ["type=bind", `src=${composeFile(s.source.path)}`, `dst=${runtimeTarget(s)}`, "readonly"];
    parts.push("--mount", shellQuote(fields.map(csvField).join(",")));
  }
  parts.push("IMAGE"); // the image built from this Dockerfile

  // compose: the app still reads the variable, so an env secret is passed through with
  // `environment:` (value from the shell or .env at `docker compose up`); a file secret is a
  // service secret mounted at its old place (long syntax `target:` takes an absolute path).
  const name = yamlString(sanitizeName(target.name));
  const lines = ["services:", `  ${name}:`];
  if (envs.length > 0) {
    lines.push("    environment:");
    for (const s of envs) for (const name of runtimeVariables(s)) lines.push(`      - ${yamlString(name)}`);
  }
  if (files.length > 0) {
    lines.push("    secrets:");
    for (const s of files) {
      lines.push(`      - source: ${yamlString(s.id)}`);
      lines.push(`        target: ${yamlString(composeLiteral(runtimeTarget(s)))}`);
    }
    lines.push("secrets:");
    for (const s of files) {
      if (s.source.type !== "file") continue;
      lines.push(`  ${yamlString(s.id)}:`);
      lines.push(`    file: ${yamlString(composeLiteral(composeFile(s.source.path)))}`);
    }
  }
  return { docker: parts.join(" "), compose: lines.join("\n") };
}
