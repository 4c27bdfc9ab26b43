/**
 * Generator of plausible Dockerfiles for the property tests (test/properties.test.ts).
 *
 * fast-check produces an abstract description (stages of abstract items); `render` walks it
 * like a builder would — tracking WORKDIR, the ARG/ENV in scope and the secret files alive in
 * every stage — and writes the text together with what the properties need to know about it:
 * which lines the rewrite may own, which RUN reads which secret (RUNs carry a unique
 * `echo step-N` marker so the same RUN can be found in the output), and the hard-coded values.
 */
import fc from "fast-check";
import { posix } from "node:path";
import type { MountStyle } from "../../src/types.js";

export const SECRET_NAMES = ["NPM_TOKEN", "DB_PASSWORD", "API_KEY", "GITHUB_TOKEN"] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

const PLAIN_NAMES = ["VERSION", "GPG_KEY", "PUBLIC_KEY", "APP_HOME", "TOKENIZERS_PARALLELISM"] as const;
const PLAIN_VALUES: Record<(typeof PLAIN_NAMES)[number], string> = {
  VERSION: "1.2.3",
  GPG_KEY: "B42F6819007F00F88E364FD4036A9C25BF357DD4",
  PUBLIC_KEY: '"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePublicKeyOnly deploy@ci"',
  APP_HOME: "/srv/app",
  TOKENIZERS_PARALLELISM: "false",
};

interface CredFile {
  src: string;
  dests: string[];
}
export const CRED_FILES: CredFile[] = [
  { src: ".npmrc", dests: ["/root/.npmrc", "./", ".", "/root/", "/home/node/.npmrc"] },
  { src: "id_rsa", dests: ["/root/.ssh/id_rsa", "/root/.ssh/"] },
  { src: "credentials.json", dests: ["/app/credentials.json", "./", "./credentials.json", "/secrets/"] },
  { src: ".aws/credentials", dests: ["/root/.aws/credentials", "/root/.aws/"] },
  { src: "settings.xml", dests: ["/root/.m2/settings.xml", "/root/.m2/", "./"] },
];
/** Names that make a line "about" a credential file. */
export const CRED_WORDS = [".npmrc", "id_rsa", "credentials.json", ".aws/credentials", "settings.xml"];

const COMMENTS = ["# install the dependencies", "#build step", "   # indented note", "# TODO: slim this image down"];
const WORKDIRS = ["/app", "/srv/app", "/work"];
const USERS = ["root", "node", "1000"];
const PLAIN_COPIES = [
  "COPY package.json ./",
  "COPY package.json package-lock.json ./",
  "COPY src/ ./src/",
  'COPY ["requirements.txt", "./"]',
  'COPY ["app.py", "config.yaml", "/srv/app/"]',
];
const PLAIN_CMDS = [
  "apt-get update",
  "apt-get install -y --no-install-recommends ca-certificates curl",
  "make build",
  "mkdir -p /app/data",
  "ls -la",
  "python3 -m venv /opt/venv",
  "echo done > /tmp/status",
];
const TOOL_CMDS = [
  "npm ci",
  "npm run build",
  "pip install --no-cache-dir -r requirements.txt",
  "git clone --depth 1 https://github.com/acme/lib.git /opt/lib",
];
const VAR_CMDS = [
  (v: string) => `curl -fsS -H "Authorization: Bearer ${v}" https://api.example.com/ping`,
  (v: string) => `test -n "${v}"`,
  (v: string) => `sh ./scripts/fetch.sh ${v}`,
];
const FILE_CMDS = [(p: string) => `cat ${p} > /dev/null`, (p: string) => `test -f ${p}`, (p: string) => `sha256sum ${p}`];
/** [command, deletes the file] */
const CLEANUP_CMDS: [(p: string) => string, boolean][] = [
  [(p) => `rm -f ${p}`, true],
  [(p) => `rm ${p}`, true],
  [(p) => `shred -u ${p}`, true],
  [(p) => `chmod 600 ${p}`, false],
];

// ---------------------------------------------------------------------------------------------
// Abstract description
// ---------------------------------------------------------------------------------------------

type Cmd =
  | { c: "plain"; i: number }
  | { c: "tool"; i: number }
  | { c: "var"; name: number; braced: boolean; i: number }
  | { c: "file"; pick: number; i: number; rel: boolean }
  | { c: "cleanup"; pick: number; how: number; rel: boolean }
  | { c: "url"; tok: string };

type HLine =
  | { h: "plain"; i: number }
  | { h: "var"; name: number; braced: boolean }
  | { h: "file"; pick: number }
  | { h: "comment" }
  | { h: "cont" }
  | { h: "tick" }
  | { h: "rm"; pick: number }
  | { h: "blank" };

type Item =
  | { t: "comment"; i: number }
  | { t: "blank" }
  | { t: "workdir"; i: number }
  | { t: "user"; i: number }
  | { t: "argPlain"; name: number; value: boolean }
  | { t: "envPlain"; pairs: number[]; multiline: boolean }
  | { t: "argSecret"; name: number; form: "bare" | "hard" | "multi" | "multiline"; tok: string }
  | { t: "envSecret"; name: number; form: "ref" | "braced" | "hard" | "hardQuoted" | "multi" | "multiComment" | "multiFirst" | "reset"; tok: string }
  | { t: "copyPlain"; i: number }
  | { t: "copySecret"; file: number; dest: number; multi: "no" | "shell" | "json"; flag: number; add: boolean }
  | { t: "copyFrom"; stage: number; secret: boolean; pick: number; sameDest: boolean }
  | {
      t: "run";
      cmds: Cmd[];
      marker: number;
      breaks: boolean[];
      amp: boolean[];
      comments: boolean[];
      lead: boolean;
      opAtEnd: boolean;
    }
  | { t: "runCleanup"; pick: number; how: number }
  | { t: "exec"; kind: number; name: number; pick: number }
  | { t: "heredoc"; lines: HLine[]; marker: number; header: number };

interface StageSpec {
  base: number;
  items: Item[];
  cmd: boolean;
}

export interface Spec {
  bom: boolean;
  crlf: boolean;
  backtick: boolean;
  syntax: null | string;
  syntaxFirst: boolean;
  /** Trailing blanks after the directives (dockerfile-ast stops reading directives there, REFERENCE §6.2). */
  directiveBlanks: boolean;
  /** Write ARG/ENV/COPY/RUN keywords in lower case (valid: keywords are case-insensitive). */
  lowercase: boolean;
  topComment: number; // 0 none, 1 blank line, 2 comment
  globalArgs: number[]; // 0: VERSION, 1: BASE_TAG, 2: NPM_TOKEN (secret)
  stages: StageSpec[];
  finalNewline: boolean;
  mountStyle: MountStyle;
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".split("");
const token = fc
  .tuple(fc.constantFrom("", "ghp_", "sk_live_", "npm_", "glpat-"), fc.string({ unit: fc.constantFrom(...alnum), minLength: 20, maxLength: 36 }))
  .map(([p, s]) => p + s);

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ c: fc.constant("plain" as const), i: fc.nat(PLAIN_CMDS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant("tool" as const), i: fc.nat(TOOL_CMDS.length - 1) }) },
  {
    weight: 3,
    arbitrary: fc.record({ c: fc.constant("var" as const), name: fc.nat(SECRET_NAMES.length - 1), braced: fc.boolean(), i: fc.nat(VAR_CMDS.length - 1) }),
  },
  { weight: 3, arbitrary: fc.record({ c: fc.constant("file" as const), pick: fc.nat(5), i: fc.nat(FILE_CMDS.length - 1), rel: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant("cleanup" as const), pick: fc.nat(5), how: fc.nat(CLEANUP_CMDS.length - 1), rel: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant("url" as const), tok: token }) },
);

const hlineArb: fc.Arbitrary<HLine> = fc.oneof(
  fc.record({ h: fc.constant("plain" as const), i: fc.nat(PLAIN_CMDS.length - 1) }),
  fc.record({ h: fc.constant("var" as const), name: fc.nat(SECRET_NAMES.length - 1), braced: fc.boolean() }),
  fc.record({ h: fc.constant("file" as const), pick: fc.nat(5) }),
  fc.constant({ h: "comment" as const }),
  fc.constant({ h: "cont" as const }),
  fc.constant({ h: "tick" as const }),
  fc.record({ h: fc.constant("rm" as const), pick: fc.nat(5) }),
  fc.constant({ h: "blank" as const }),
);

const itemArb: fc.Arbitrary<Item> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant("comment" as const), i: fc.nat(COMMENTS.length - 1) }) },
  { weight: 1, arbitrary: fc.constant({ t: "blank" as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("workdir" as const), i: fc.nat(WORKDIRS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("user" as const), i: fc.nat(USERS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("argPlain" as const), name: fc.nat(PLAIN_NAMES.length - 1), value: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("envPlain" as const),
      pairs: fc.uniqueArray(fc.nat(PLAIN_NAMES.length - 1), { minLength: 1, maxLength: 3 }),
      multiline: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("argSecret" as const),
      name: fc.nat(SECRET_NAMES.length - 1),
      form: fc.constantFrom("bare" as const, "hard" as const, "multi" as const, "multiline" as const),
      tok: token,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("envSecret" as const),
      name: fc.nat(SECRET_NAMES.length - 1),
      form: fc.constantFrom(
        "ref" as const,
        "braced" as const,
        "hard" as const,
        "hardQuoted" as const,
        "multi" as const,
        "multiComment" as const,
        "multiFirst" as const,
        "reset" as const,
      ),
      tok: token,
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("copyPlain" as const), i: fc.nat(PLAIN_COPIES.length - 1) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("copySecret" as const),
      file: fc.nat(CRED_FILES.length - 1),
      dest: fc.nat(4),
      multi: fc.constantFrom("no" as const, "no" as const, "shell" as const, "json" as const),
      flag: fc.nat(4),
      add: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("copyFrom" as const), stage: fc.nat(2), secret: fc.boolean(), pick: fc.nat(5), sameDest: fc.boolean() }),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({
        cmds: fc.array(cmdArb, { minLength: 1, maxLength: 5 }),
        marker: fc.nat(5),
        breaks: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        amp: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        comments: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        lead: fc.boolean(),
        opAtEnd: fc.boolean(),
      })
      .map((r) => ({ t: "run" as const, ...r })),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("runCleanup" as const), pick: fc.nat(5), how: fc.nat(CLEANUP_CMDS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("exec" as const), kind: fc.nat(2), name: fc.nat(SECRET_NAMES.length - 1), pick: fc.nat(5) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("heredoc" as const),
      lines: fc.array(hlineArb, { minLength: 1, maxLength: 5 }),
      marker: fc.nat(5),
      header: fc.nat(3),
    }),
  },
);

const stageArb: fc.Arbitrary<StageSpec> = fc.record({
  base: fc.nat(3),
  items: fc.array(itemArb, { minLength: 0, maxLength: 9 }),
  cmd: fc.boolean(),
});

export const specArb: fc.Arbitrary<Spec> = fc.record({
  bom: fc.boolean(),
  crlf: fc.boolean(),
  backtick: fc.boolean(),
  syntax: fc.constantFrom(null, null, "docker/dockerfile:1", "docker/dockerfile:1.4", "docker/dockerfile:1.10"),
  syntaxFirst: fc.boolean(),
  directiveBlanks: fc.boolean(),
  lowercase: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  topComment: fc.nat(2),
  globalArgs: fc.uniqueArray(fc.nat(2), { maxLength: 2 }),
  stages: fc.array(stageArb, { minLength: 1, maxLength: 3 }),
  finalNewline: fc.boolean(),
  mountStyle: fc.constantFrom("auto" as const, "auto" as const, "auto" as const, "file" as const),
});

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

export type LineKind = "syntax" | "escape" | "comment" | "blank" | "instr" | "contComment" | "heredocBody" | "heredocEnd";

export interface LineInfo {
  text: string;
  kind: LineKind;
  /** The rewrite may change or delete this line. */
  owned: boolean;
}

/**
 * no: the rewrite must leave the instruction alone; carrier: a secret ARG/ENV/COPY (may change
 * or go); mount: a RUN that may get mounts, nothing else; cleanup: a RUN whose clean-up of a
 * secret file may also go.
 */
export type Ownership = "no" | "carrier" | "mount" | "cleanup";

export interface InstrInfo {
  keyword: string;
  /** From the keyword to the end of its last line (heredoc terminator included), original EOLs. */
  text: string;
  owned: Ownership;
  marker: string | null;
}

export interface RunUse {
  marker: string;
  vars: SecretName[];
  files: { ctxPath: string; abs: string }[];
}

export interface Generated {
  text: string;
  spec: Spec;
  eol: "\n" | "\r\n";
  escape: string;
  lines: LineInfo[];
  instructions: InstrInfo[];
  runs: RunUse[];
  hardValues: string[];
}

interface LiveFile {
  ctxPath: string;
  abs: string;
}

interface StageState {
  workdir: string;
  args: Set<string>;
  env: Set<string>;
  files: LiveFile[];
}

type Part = string | { comment: string };

export function render(spec: Spec): Generated {
  const esc = spec.backtick ? "`" : "\\";
  const eol = spec.crlf ? "\r\n" : "\n";
  const lines: LineInfo[] = [];
  const instructions: InstrInfo[] = [];
  const runs: RunUse[] = [];
  const hardValues: string[] = [];
  let afterSecret = false;
  let markerCount = 0;

  const push = (text: string, kind: LineKind, owned: boolean) => lines.push({ text, kind, owned });

  /** An instruction of parts joined by continuations; comment parts are lines of their own. */
  const instr = (keyword: string, parts: Part[], owned: Ownership, marker: string | null = null, extra: LineInfo[] = []) => {
    const out: LineInfo[] = [];
    if (spec.lowercase && ["ARG", "ENV", "COPY", "ADD", "RUN"].includes(keyword) && typeof parts[0] === "string") {
      parts = [parts[0].replace(/^[A-Z]+/, (k) => k.toLowerCase()), ...parts.slice(1)];
    }
    parts.forEach((p, i) => {
      if (typeof p !== "string") {
        out.push({ text: p.comment, kind: "contComment", owned: owned === "carrier" || owned === "cleanup" });
        return;
      }
      const more = parts.slice(i + 1).some((q) => typeof q === "string");
      const text = more ? `${p} ${esc}` : p;
      let lineOwned = owned === "carrier" || owned === "cleanup";
      // A RUN gets its mounts on its first line, or (after a bare `RUN \`) on the line its command starts on.
      if (owned === "mount" && (i === 0 || (i === 1 && typeof parts[0] === "string" && parts[0].toUpperCase() === "RUN"))) lineOwned = true;
      out.push({ text, kind: "instr", owned: lineOwned });
    });
    out.push(...extra);
    for (const l of out) lines.push(l);
    instructions.push({ keyword, text: out.map((l) => l.text).join(eol), owned, marker });
    if (owned === "carrier") afterSecret = true;
  };

  // Directives.
  const directives: LineInfo[] = [];
  const blanks = spec.directiveBlanks ? " " : "";
  if (spec.syntax) directives.push({ text: `# syntax=${spec.syntax}${blanks}`, kind: "syntax", owned: true });
  if (spec.backtick) {
    const e: LineInfo = { text: "# escape=`" + blanks, kind: "escape", owned: false };
    if (spec.syntaxFirst) directives.push(e);
    else directives.unshift(e);
  }
  lines.push(...directives);
  if (spec.topComment === 1 && lines.length > 0) push("", "blank", false);
  if (spec.topComment === 2) push("# Build image for the acme service", "comment", false);

  for (const g of spec.globalArgs) {
    if (g === 0) instr("ARG", ["ARG VERSION=1.2.3"], "no");
    else if (g === 1) instr("ARG", ["ARG BASE_TAG=latest"], "no");
    else instr("ARG", ["ARG NPM_TOKEN"], "carrier");
  }

  const finalStates: StageState[] = [];
  spec.stages.forEach((stage, n) => {
    const parentIndex = n > 0 && stage.base > 0 ? (stage.base - 1) % n : null;
    const parent = parentIndex === null ? null : finalStates[parentIndex];
    const image = parentIndex === null ? (spec.globalArgs.includes(1) && stage.base === 0 ? "localhost/base:${BASE_TAG}" : "localhost/base") : `s${parentIndex}`;
    instr("FROM", [`FROM ${image} AS s${n}`], "no");
    const st: StageState = parent
      ? { workdir: parent.workdir, args: new Set(), env: new Set(parent.env), files: [...parent.files] }
      : { workdir: "/", args: new Set(), env: new Set(), files: [] };

    const spell = (f: LiveFile, rel: boolean) => (rel && posix.dirname(f.abs) === st.workdir ? posix.basename(f.abs) : f.abs);
    const pickFile = (pick: number) => (st.files.length > 0 ? st.files[pick % st.files.length] : null);

    for (const item of stage.items) {
      switch (item.t) {
        case "comment":
          push(COMMENTS[item.i], "comment", false);
          break;
        case "blank":
          push("", "blank", false);
          break;
        case "workdir":
          instr("WORKDIR", [`WORKDIR ${WORKDIRS[item.i]}`], "no");
          st.workdir = WORKDIRS[item.i];
          break;
        case "user":
          instr("USER", [`USER ${USERS[item.i]}`], "no");
          break;
        case "argPlain": {
          const name = PLAIN_NAMES[item.name];
          instr("ARG", [`ARG ${name}${item.value ? "=" + PLAIN_VALUES[name] : ""}`], "no");
          break;
        }
        case "envPlain": {
          const pairs = item.pairs.map((i) => `${PLAIN_NAMES[i]}=${PLAIN_VALUES[PLAIN_NAMES[i]]}`);
          if (item.multiline && pairs.length > 1) instr("ENV", [`ENV ${pairs[0]}`, ...pairs.slice(1).map((p) => `    ${p}`)], "no");
          else instr("ENV", [`ENV ${pairs.join(" ")}`], "no");
          break;
        }
        case "argSecret": {
          const name = SECRET_NAMES[item.name];
          st.args.add(name);
          if (item.form === "bare") instr("ARG", [`ARG ${name}`], "carrier");
          else if (item.form === "hard") {
            hardValues.push(item.tok);
            instr("ARG", [`ARG ${name}=${item.tok}`], "carrier");
          } else if (item.form === "multi") instr("ARG", [`ARG VERSION=1.2.3 ${name}`], "carrier");
          else instr("ARG", ["ARG VERSION", `    ${name}`], "carrier");
          break;
        }
        case "envSecret": {
          const name = SECRET_NAMES[item.name];
          const f = item.form;
          if (f !== "reset") st.env.add(name);
          if (f === "ref") instr("ENV", [`ENV ${name}=$${name}`], "carrier");
          else if (f === "braced") instr("ENV", [`ENV ${name}=\${${name}}`], "carrier");
          else if (f === "hard") {
            hardValues.push(item.tok);
            instr("ENV", [`ENV ${name}=${item.tok}`], "carrier");
          } else if (f === "hardQuoted") {
            hardValues.push(item.tok);
            instr("ENV", [`ENV ${name}="${item.tok}"`], "carrier");
          } else if (f === "multi") instr("ENV", ["ENV APP_HOME=/srv/app", `    ${name}=$${name}`], "carrier");
          else if (f === "multiComment")
            instr("ENV", ["ENV TOKENIZERS_PARALLELISM=false", { comment: "    # the registry token" }, `    ${name}=\${${name}}`], "carrier");
          else if (f === "multiFirst") instr("ENV", [`ENV ${name}=\${${name}}`, "    APP_HOME=/srv/app"], "carrier");
          else {
            // A reset: from here on the variable is empty, no RUN reads the secret through it.
            instr("ENV", [`ENV ${name}=`], "carrier");
            st.env.delete(name);
            st.args.delete(name);
          }
          break;
        }
        case "copyPlain":
          instr("COPY", [PLAIN_COPIES[item.i]], "no");
          break;
        case "copySecret": {
          const file = CRED_FILES[item.file];
          let dest = file.dests[item.dest % file.dests.length];
          const flag = ["", "", "", "--chown=1000:1000 ", "--chmod=600 "][item.flag];
          let text: string;
          const kw = item.add ? "ADD" : "COPY";
          if (item.multi === "no") text = `${kw} ${flag}${file.src} ${dest}`;
          else {
            // Several sources need a folder destination.
            if (!dest.endsWith("/") && dest !== ".") dest = posix.dirname(dest) + "/";
            if (item.multi === "shell") text = `${kw} ${flag}package.json ${file.src} ${dest}`;
            else text = `${kw} ${flag}["package.json", "${file.src}", "${dest}"]`;
          }
          const resolved = posix.resolve(st.workdir, dest);
          const intoFolder = item.multi !== "no" || dest.endsWith("/") || dest === ".";
          const abs = intoFolder ? posix.join(resolved, posix.basename(file.src)) : resolved;
          st.files = st.files.filter((x) => x.abs !== abs);
          st.files.push({ ctxPath: file.src, abs });
          instr(kw, [text], "carrier");
          break;
        }
        case "copyFrom": {
          if (n === 0) break;
          const k = item.stage % n;
          const from = finalStates[k];
          const secretFile = item.secret && from.files.length > 0 ? from.files[item.pick % from.files.length] : null;
          if (!secretFile) {
            instr("COPY", [`COPY --from=s${k} /usr/local/bin/tool /usr/local/bin/tool`], "no");
            break;
          }
          const dest = item.sameDest ? secretFile.abs : "/etc/app/";
          const abs = item.sameDest ? secretFile.abs : posix.join("/etc/app", posix.basename(secretFile.abs));
          st.files = st.files.filter((x) => x.abs !== abs);
          st.files.push({ ctxPath: secretFile.ctxPath, abs });
          instr("COPY", [`COPY --from=s${k} ${secretFile.abs} ${dest}`], "carrier");
          break;
        }
        case "exec": {
          const marker = `step-${++markerCount}`;
          const use: RunUse = { marker, vars: [], files: [] };
          let script: string;
          if (item.kind === 0) {
            const name = SECRET_NAMES[item.name];
            script = `echo ${marker} && test -n \\"$${name}\\"`;
            if (st.args.has(name) || st.env.has(name)) use.vars.push(name);
          } else if (item.kind === 1 && st.files.length > 0) {
            const f = st.files[item.pick % st.files.length];
            script = `echo ${marker} && cat ${f.abs} > /dev/null`;
            use.files.push({ ctxPath: f.ctxPath, abs: f.abs });
          } else script = `echo ${marker} && make build`;
          instr("RUN", [`RUN ["sh", "-c", "${script}"]`], afterSecret ? "mount" : "no", marker);
          runs.push(use);
          break;
        }
        case "runCleanup": {
          const f = pickFile(item.pick);
          if (!f) break;
          const [make, deletes] = CLEANUP_CMDS[item.how];
          instr("RUN", [`RUN ${make(f.abs)}`], "cleanup");
          if (deletes) st.files = st.files.filter((x) => x !== f);
          break;
        }
        case "run": {
          const marker = `step-${++markerCount}`;
          const use: RunUse = { marker, vars: [], files: [] };
          const texts: string[] = [];
          const cleanups: string[] = [];
          const deleted: LiveFile[] = [];
          let cleanup = false;
          for (const c of item.cmds) {
            if (c.c === "plain") texts.push(PLAIN_CMDS[c.i]);
            else if (c.c === "tool") {
              texts.push(TOOL_CMDS[c.i]);
              // npm reads NPM_TOKEN without the RUN naming it (README: "through a tool that reads it").
              if (TOOL_CMDS[c.i].startsWith("npm ") && (st.args.has("NPM_TOKEN") || st.env.has("NPM_TOKEN")) && !use.vars.includes("NPM_TOKEN"))
                use.vars.push("NPM_TOKEN");
            }
            else if (c.c === "var") {
              const name = SECRET_NAMES[c.name];
              texts.push(VAR_CMDS[c.i](c.braced ? `\${${name}}` : `$${name}`));
              if ((st.args.has(name) || st.env.has(name)) && !use.vars.includes(name)) use.vars.push(name);
            } else if (c.c === "file") {
              const f = pickFile(c.pick);
              if (!f) texts.push(FILE_CMDS[c.i]("/etc/hostname"));
              else {
                texts.push(FILE_CMDS[c.i](spell(f, c.rel)));
                if (!use.files.some((u) => u.abs === f.abs)) use.files.push({ ctxPath: f.ctxPath, abs: f.abs });
              }
            } else if (c.c === "cleanup") {
              const f = pickFile(c.pick);
              if (!f) continue;
              const [make, deletes] = CLEANUP_CMDS[c.how];
              cleanups.push(make(spell(f, c.rel)));
              cleanup = true;
              if (deletes) deleted.push(f);
            } else {
              hardValues.push(c.tok);
              texts.push(`git clone https://deploy:${c.tok}@git.example.com/acme/lib.git /opt/lib`);
            }
          }
          texts.splice(item.marker % (texts.length + 1), 0, `echo ${marker}`);
          // Clean-up goes last, as people write it.
          texts.push(...cleanups);
          const parts: Part[] = [];
          let current = item.lead ? "" : "RUN ";
          if (item.lead) parts.push("RUN");
          texts.forEach((t, i) => {
            if (i === 0) {
              current += (item.lead ? "    " : "") + t;
              return;
            }
            const op = item.amp[i % 6] ? "&&" : ";";
            if (item.breaks[i % 6]) {
              if (item.opAtEnd) {
                parts.push(op === ";" ? current + ";" : current + " " + op);
                if (item.comments[i % 6]) parts.push({ comment: "    # next step" });
                current = "    " + t;
              } else {
                parts.push(current + (op === ";" ? ";" : ""));
                if (item.comments[i % 6]) parts.push({ comment: "# next step" });
                current = op === ";" ? "    " + t : `    ${op} ${t}`;
              }
            } else current += op === ";" ? `; ${t}` : ` && ${t}`;
          });
          parts.push(current);
          const owned: Ownership = cleanup ? "cleanup" : afterSecret ? "mount" : "no";
          instr("RUN", parts, owned, marker);
          runs.push(use);
          st.files = st.files.filter((x) => !deleted.includes(x));
          break;
        }
        case "heredoc": {
          const marker = `step-${++markerCount}`;
          const use: RunUse = { marker, vars: [], files: [] };
          const body: string[] = [];
          const deleted: LiveFile[] = [];
          for (const h of item.lines) {
            if (h.h === "plain") body.push(PLAIN_CMDS[h.i]);
            else if (h.h === "var") {
              const name = SECRET_NAMES[h.name];
              body.push(VAR_CMDS[0](h.braced ? `\${${name}}` : `$${name}`));
              if ((st.args.has(name) || st.env.has(name)) && !use.vars.includes(name)) use.vars.push(name);
            } else if (h.h === "file") {
              const f = pickFile(h.pick);
              if (!f) body.push("cat /etc/os-release");
              else {
                body.push(FILE_CMDS[0](f.abs));
                if (!use.files.some((u) => u.abs === f.abs)) use.files.push({ ctxPath: f.ctxPath, abs: f.abs });
              }
            } else if (h.h === "comment") body.push("# a comment in the script");
            else if (h.h === "cont") body.push("echo one \\", "  two");
            else if (h.h === "tick") body.push(spec.backtick ? "now=`date`" : "now=$(date)");
            else if (h.h === "rm") {
              const f = pickFile(h.pick);
              if (f) {
                body.push(`rm -f ${f.abs}`);
                deleted.push(f);
              }
            } else body.push("");
          }
          body.splice(item.marker % (body.length + 1), 0, `echo ${marker}`);
          const header = ["RUN <<EOF", "RUN bash -e <<EOF", "RUN <<'EOF'", "RUN <<-EOF"][item.header];
          const tab = item.header === 3 ? "\t" : "";
          const extra: LineInfo[] = [
            ...body.map((text) => ({ text: text === "" ? text : tab + text, kind: "heredocBody" as const, owned: false })),
            { text: tab + "EOF", kind: "heredocEnd", owned: false },
          ];
          instr("RUN", [header], afterSecret ? "mount" : "no", marker, extra);
          runs.push(use);
          st.files = st.files.filter((x) => !deleted.includes(x));
          break;
        }
      }
    }
    if (stage.cmd) instr("CMD", ['CMD ["node", "server.js"]'], "no");
    finalStates[n] = st;
  });

  // Without a final newline the file must not end in blank lines (they would bring it back).
  if (!spec.finalNewline) {
    while (lines.length > 1 && lines[lines.length - 1].text === "") lines.pop();
    // When the rewrite deletes the last lines, the blank lines just before them would end the
    // file; they may go with them (the alternative is a final newline the input did not have).
    let k = lines.length - 1;
    while (k >= 0 && lines[k].owned && lines[k].kind !== "syntax") k--;
    if (k < lines.length - 1) for (; k >= 0 && lines[k].kind === "blank"; k--) lines[k].owned = true;
  }
  let text = lines.map((l) => l.text + eol).join("");
  if (!spec.finalNewline) text = text.slice(0, -eol.length);
  if (spec.bom) text = "\uFEFF" + text;
  return { text, spec, eol, escape: esc, lines, instructions, runs, hardValues };
}

export const dockerfileArb: fc.Arbitrary<Generated> = specArb.map(render);

// ---------------------------------------------------------------------------------------------
// Stored credentials (issue 10): a secret ARG handed to a command that stores it in a file, and
// the RUNs that read that file later, in every form the rewrite meets (chains, heredocs, sudo,
// sh -c, exec form, a child stage).

/** A storing command and the commands that read what it stored. `marker` finds its line in the output. */
export interface StoringTemplate {
  store: (v: string) => string;
  readers: string[];
  /** A piece of the storing command that stays only if the command stays. */
  marker: string;
}

export const STORING_TEMPLATES: StoringTemplate[] = [
  { store: (v) => `git config --global url."https://\${${v}}@github.com/".insteadOf "https://github.com/"`, readers: ["git clone https://github.com/acme/lib.git /opt/lib", "go mod download"], marker: "insteadOf" },
  { store: (v) => `composer config -g github-oauth.github.com "$${v}"`, readers: ["composer install --no-dev"], marker: "github-oauth" },
  { store: (v) => `bundle config set --global gems.example.com "ci:\${${v}}"`, readers: ["bundle install"], marker: "gems.example.com" },
  { store: (v) => `aws configure set aws_secret_access_key "$${v}"`, readers: ["aws s3 ls s3://bucket"], marker: "aws_secret_access_key" },
  { store: (v) => `yarn config set npmAuthToken "$${v}"`, readers: ["yarn install"], marker: "npmAuthToken" },
  { store: (v) => `cargo login "$${v}"`, readers: ["cargo build --release"], marker: "cargo login" },
  { store: (v) => `pip config set global.index-url "https://ci:\${${v}}@pypi.example.com/simple"`, readers: ["pip install -r requirements.txt"], marker: "global.index-url" },
  { store: (v) => `dotnet nuget add source https://nuget.example.com/v3/index.json -n acme -u ci -p "$${v}" --store-password-in-clear-text`, readers: ["dotnet restore"], marker: "--store-password-in-clear-text" },
  { store: (v) => `npm config set //registry.npmjs.org/:_authToken "$${v}"`, readers: ["npm ci"], marker: "_authToken" },
  { store: (v) => `docker login -u ci -p "$${v}" registry.example.com`, readers: ["docker pull registry.example.com/app"], marker: "docker login" },
  { store: (v) => `echo "$${v}" | gcloud auth activate-service-account --key-file=-`, readers: ["gsutil ls gs://bucket"], marker: "activate-service-account" },
  { store: (v) => `echo "$${v}" > /root/.token`, readers: ["cat /root/.token"], marker: "/root/.token" },
  { store: (v) => `echo "$${v}" > /root/.ssh/id_ed25519`, readers: ["git clone git@github.com:acme/lib.git /opt/lib"], marker: "/root/.ssh/id_ed25519" },
];

export type StoreForm = "alone" | "after-command" | "with-reader" | "heredoc";
export type ReaderForm = "plain" | "chain" | "heredoc" | "sudo" | "sh-c" | "exec" | "child-stage";

export interface StoredSpec {
  template: number;
  secret: SecretName;
  storeForm: StoreForm;
  readers: ReaderForm[];
  mountStyle: MountStyle;
}

export const storedSpecArb: fc.Arbitrary<StoredSpec> = fc.record({
  template: fc.integer({ min: 0, max: STORING_TEMPLATES.length - 1 }),
  secret: fc.constantFrom(...SECRET_NAMES),
  storeForm: fc.constantFrom<StoreForm>("alone", "after-command", "with-reader", "heredoc"),
  readers: fc.array(fc.constantFrom<ReaderForm>("plain", "chain", "heredoc", "sudo", "sh-c", "exec", "child-stage"), { maxLength: 3 }),
  mountStyle: fc.constantFrom<MountStyle>("auto", "file"),
});

export interface StoredGenerated {
  spec: StoredSpec;
  text: string;
  template: StoringTemplate;
  /** Each reader's marker (`echo read-N`), on the RUN that reads the stored file. */
  readerMarkers: string[];
}

export function renderStored(spec: StoredSpec): StoredGenerated {
  const t = STORING_TEMPLATES[spec.template];
  const v = spec.secret;
  const reader = t.readers[0];
  const lines = ["FROM alpine:3.20 AS base", `ARG ${v}`];
  const readerMarkers: string[] = [];
  if (spec.storeForm === "alone") lines.push(`RUN ${t.store(v)}`);
  else if (spec.storeForm === "after-command") lines.push(`RUN apk add --no-cache ca-certificates && ${t.store(v)}`);
  else if (spec.storeForm === "with-reader") {
    readerMarkers.push("read-0");
    lines.push(`RUN ${t.store(v)} && \\`, `    echo read-0 && ${reader}`);
  } else lines.push("RUN <<EOS", t.store(v), "EOS");
  let stage = "base";
  spec.readers.forEach((form, k) => {
    const m = `read-${k + 1}`;
    readerMarkers.push(m);
    if (form === "plain") lines.push(`RUN echo ${m} && ${reader}`);
    else if (form === "chain") lines.push(`RUN echo ${m} && apk add --no-cache make && \\`, `    ${reader} && make build`);
    else if (form === "heredoc") lines.push("RUN <<EOR", `echo ${m}`, reader, "EOR");
    else if (form === "sudo") lines.push(`RUN echo ${m} && sudo ${reader}`);
    else if (form === "sh-c") lines.push(`RUN echo ${m} && sh -c "${reader}"`);
    else if (form === "exec") lines.push(`RUN ["sh", "-c", "echo ${m} && ${reader}"]`);
    else {
      const next = `s${k + 1}`;
      lines.push(`FROM ${stage} AS ${next}`, `RUN echo ${m} && ${reader}`);
      stage = next;
    }
  });
  return { spec, text: lines.join("\n") + "\n", template: t, readerMarkers };
}

export const storedArb: fc.Arbitrary<StoredGenerated> = storedSpecArb.map(renderStored);
