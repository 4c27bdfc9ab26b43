/**
 * The real-builder cases: test/real-builder/cases/<name>/ holds a Dockerfile that bakes a secret
 * into the image the old way, the context files it needs, and a case.json saying which secrets it
 * takes and where each build step leaves the digest of the value it received.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface SecretSpec {
  /** arg: passed with --build-arg <key>=…; file: the context file <key> holds the value. */
  type: "arg" | "file";
}

export interface CaseSpec {
  /** What the case proves. */
  about: string;
  /** key: the ARG name (type arg) or the context path (type file). */
  secrets: Record<string, SecretSpec>;
  /** Digest files the build steps write into the final image → the secret (key) they digested. */
  proofs: Record<string, string>;
  /** Stages that are also built (`--target`) and searched: a builder stage's layers leak too. */
  targets?: string[];
  /**
   * Secret files that stay in the build context for the rewritten build (besides being supplied
   * with --secret): the .dockerignore unbake writes must keep them out of a later `COPY . .`.
   */
  keepInContext?: string[];
  /** Paths (absolute) that no layer of a rewritten image may hold, not even as an empty file. */
  absentAfter?: string[];
  /**
   * Host programs (absolute paths) the case runs for real, e.g. "/usr/bin/git": each is copied
   * with the libraries `ldd` lists, at their own paths, under <context>/host-tools/, for the
   * Dockerfile's `COPY host-tools/ /` onto the busybox base (REFERENCE §8).
   */
  hostTools?: string[];
  /**
   * A build given no secret at all, of the original (no --build-arg, the secret files out of the
   * context) and of the rewrite (no --secret), from an empty cache: `fails` — both fail (a COPY of
   * a missing file; a required secret mount); `proofs` — both build, and each of these files
   * (absolute path in the final image) holds exactly this text (an ARG's default survives).
   */
  withoutSecrets?: { fails: true } | { proofs: Record<string, string> };
}

export interface Case extends CaseSpec {
  name: string;
  dir: string;
}

export const CASES_DIR = join(import.meta.dirname, "cases");
export const BASE_DIR = join(import.meta.dirname, "base");

export function loadCases(): Case[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const dir = join(CASES_DIR, e.name);
      const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as CaseSpec;
      for (const [proof, key] of Object.entries(spec.proofs)) {
        if (!(key in spec.secrets)) throw new Error(`${e.name}/case.json: proof ${proof} names unknown secret ${key}`);
      }
      if (!existsSync(join(dir, "Dockerfile"))) throw new Error(`${e.name}: no Dockerfile`);
      return { ...spec, name: e.name, dir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Copy a case's files (not case.json) into `to`, and the host programs it runs into `to`/host-tools. */
export function copyCase(c: Case, to: string): void {
  cpSync(c.dir, to, { recursive: true, filter: (src) => !src.endsWith("case.json") });
  for (const tool of c.hostTools ?? []) {
    if (!existsSync(tool)) throw new Error(`${c.name}: the case runs ${tool}, which this host does not have (install it: apt-get install -y git)`);
    for (const file of [tool, ...sharedLibraries(tool)]) {
      const into = join(to, "host-tools", file);
      mkdirSync(dirname(into), { recursive: true });
      copyFileSync(file, into); // follows links: the image gets the file itself
    }
  }
}

/** The libraries and the loader a dynamic executable needs, as `ldd` lists them. */
function sharedLibraries(program: string): string[] {
  const out = execFileSync("ldd", [program], { encoding: "utf8" });
  return [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]);
}

const HEREDOC_RUN = /^([ \t]*RUN[ \t]+(?:--\S+[ \t]+)*)<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\3[ \t]*$/i;

/**
 * buildah < 1.33 has no Dockerfile heredocs (1.28 reads the body lines as instructions). For those
 * builders a `RUN [flags] <<EOF … EOF` whose command is only the heredoc is lowered to what
 * BuildKit runs for it — the body as `/bin/sh -c` script — in exec form, keeping the flags
 * (and so the secret mounts) exactly as written. Any other heredoc form throws.
 */
export function lowerHeredocs(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = HEREDOC_RUN.exec(lines[i]);
    if (!m) {
      if (/^[ \t]*(RUN|COPY|ADD)\b.*<<-?["']?[A-Za-z_]/i.test(lines[i])) throw new Error(`cannot lower this heredoc: ${lines[i]}`);
      out.push(lines[i]);
      continue;
    }
    const [, prefix, dash, , word] = m;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = dash ? lines[j].replace(/^\t+/, "") : lines[j];
      if (line === word) break;
      body.push(line);
    }
    if (j === lines.length) throw new Error(`heredoc ${word} is not terminated`);
    out.push(prefix + JSON.stringify(["/bin/sh", "-c", body.join("\n") + "\n"]));
    i = j;
  }
  return out.join("\n");
}

/** The body lines of every heredoc in the text, to compare before and after a rewrite. */
export function heredocBodies(text: string): string[] {
  const bodies: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = HEREDOC_RUN.exec(lines[i]);
    if (!m) continue;
    const end = lines.indexOf(m[4], i + 1);
    bodies.push(lines.slice(i + 1, end).join("\n"));
    i = end;
  }
  return bodies;
}
