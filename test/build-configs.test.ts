import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { dockerBuildCommand } from "../src/emit/build-commands.js";
import {
  BUILDER_KINDS,
  PODMAN_ENV_NOTE,
  bakeJson,
  buildConfigs,
  runtimeConfigs,
  sanitizeName,
  targetName,
  type BuildTarget,
} from "../src/emit/build-configs.js";
import type { Secret } from "../src/types.js";

// ---------------------------------------------------------------------------------------------
// Small parsers for the emitted syntaxes, written independently of the emitter.

/** POSIX shell words: single quotes, $'…' (backslash, quote and octal byte escapes), double quotes (with \" \\ \$ \`), backslash escapes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "$" && line[i + 1] === "'") {
      const bytes: number[] = [];
      for (i += 2; i < line.length && line[i] !== "'"; i++) {
        if (line[i] !== "\\") bytes.push(...Buffer.from(line[i]));
        else if (/[0-7]{3}/.test(line.slice(i + 1, i + 4))) {
          bytes.push(parseInt(line.slice(i + 1, i + 4), 8));
          i += 3;
        } else if (/[\\']/.test(line[i + 1] ?? "")) bytes.push(line.charCodeAt(++i));
        else throw new Error(`unexpected escape in $'…': ${line}`);
      }
      if (i >= line.length) throw new Error(`unterminated $' in ${line}`);
      cur += Buffer.from(bytes).toString("utf8");
      inWord = true;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in ${line}`);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && /["\\$`]/.test(line[i + 1] ?? "")) i++;
        else if (/[$`]/.test(line[i])) throw new Error(`expansion in double quotes: ${line}`);
        cur += line[i];
      }
      if (i >= line.length) throw new Error(`unterminated " in ${line}`);
    } else if (c === "\\") {
      cur += line[++i];
      inWord = true;
    } else if (c === " " || c === "\t") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      if (/[$`|&;<>()*?[\]{}~#]/.test(c) && !(inWord && /[#~{}[\]]/.test(c))) throw new Error(`unquoted shell metacharacter ${c} in ${line}`);
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** RFC 4180 fields of one record (what buildx does with --secret and bake entries). */
function csvFields(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (s[i] === '"') {
      for (i++; ; i++) {
        if (i >= s.length) throw new Error(`unterminated quote: ${s}`);
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i++;
          } else {
            i++;
            break;
          }
        } else field += s[i];
      }
      if (i < s.length && s[i] !== ",") throw new Error(`text after quote: ${s}`);
    } else {
      while (i < s.length && s[i] !== ",") {
        if (s[i] === '"') throw new Error(`bare quote: ${s}`);
        field += s[i++];
      }
    }
    out.push(field);
    if (i >= s.length) return out;
    i++; // comma
  }
}

/** One-field CSV records, one a line unless quoted across lines (how build-push-action reads its list inputs). */
function csvRecords(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = i;
    if (text[i] === '"') {
      for (end = i + 1; end < text.length; end++) if (text[end] === '"') {
        if (text[end + 1] === '"') end++;
        else break;
      }
      end++;
    }
    const nl = text.indexOf("\n", end);
    const stop = nl < 0 ? text.length : nl;
    const fields = csvFields(text.slice(i, stop));
    expect(fields).toHaveLength(1);
    out.push(fields[0]);
    i = stop + 1;
  }
  return out;
}

/** `id=…,src=…` / `id=…,env=…` → a map, checking the documented keys only. */
function secretSpec(value: string, csv: boolean): Record<string, string> {
  const fields = csv ? csvFields(value) : value.split(",");
  const spec: Record<string, string> = {};
  for (const f of fields) {
    const eq = f.indexOf("=");
    expect(eq, `field ${f}`).toBeGreaterThan(0);
    spec[f.slice(0, eq)] = f.slice(eq + 1);
  }
  const keys = Object.keys(spec);
  expect(keys[0]).toBe("id");
  expect(keys.length).toBe(2);
  expect(["env", "src"]).toContain(keys[1]);
  return spec;
}

/** Parsed `docker build` / `podman build` command: comment lines apart, then the flags. */
function parseBuild(text: string, program: "docker" | "podman"): { comments: string[]; file?: string; secrets: Record<string, string>[]; context: string } {
  const lines = text.split("\n");
  const comments = lines.filter((l) => l.startsWith("#"));
  const commands = lines.filter((l) => !l.startsWith("#"));
  expect(commands).toHaveLength(1);
  const argv = shellWords(commands[0]);
  expect(argv.slice(0, 2)).toEqual([program, "build"]);
  let file: string | undefined;
  const secrets: Record<string, string>[] = [];
  let i = 2;
  for (; i < argv.length - 1; i++) {
    if (argv[i] === "-f") {
      expect(file).toBeUndefined();
      file = argv[++i];
    } else if (argv[i] === "--secret") secrets.push(secretSpec(argv[++i], program === "docker"));
    else throw new Error(`unexpected argument ${argv[i]}`);
  }
  expect(i).toBe(argv.length - 1);
  return { comments, file, secrets, context: argv[argv.length - 1] };
}

type Hcl = string | Hcl[] | { [k: string]: Hcl };

/** Enough HCL for bake: `target "name" { key = "str" | [ "str", … ] }` blocks. */
function parseBakeHcl(src: string): Record<string, Record<string, Hcl>> {
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const expectChar = (c: string) => {
    ws();
    if (src[i] !== c) throw new Error(`expected ${c} at ${i}: ${src.slice(i, i + 20)}`);
    i++;
  };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (!m) throw new Error(`expected identifier at ${i}`);
    i += m[0].length;
    return m[0];
  };
  const str = (): string => {
    expectChar('"');
    let out = "";
    for (;;) {
      if (i >= src.length) throw new Error("unterminated string");
      const c = src[i++];
      if (c === '"') return out;
      if (c === "\n") throw new Error("newline in string");
      if (c === "\\") {
        const e = src[i++];
        if (e === "n") out += "\n";
        else if (e === "r") out += "\r";
        else if (e === "t") out += "\t";
        else if (e === '"' || e === "\\") out += e;
        else if (e === "u") {
          out += String.fromCharCode(parseInt(src.slice(i, i + 4), 16));
          i += 4;
        } else throw new Error(`bad escape \\${e}`);
      } else if ((c === "$" || c === "%") && src[i] === "{") throw new Error(`template sequence ${c}{ in a string`);
      else if ((c === "$" || c === "%") && src[i] === c && src[i + 1] === "{") {
        out += c + "{";
        i += 2;
      } else out += c;
    }
  };
  const value = (): Hcl => {
    ws();
    if (src[i] === '"') return str();
    if (src[i] === "[") {
      i++;
      const items: Hcl[] = [];
      ws();
      while (src[i] !== "]") {
        items.push(value());
        ws();
        if (src[i] === ",") i++;
        ws();
      }
      i++;
      return items;
    }
    throw new Error(`unexpected value at ${i}`);
  };
  const out: Record<string, Record<string, Hcl>> = {};
  ws();
  while (i < src.length) {
    expect(ident()).toBe("target");
    const name = str();
    expectChar("{");
    const body: Record<string, Hcl> = {};
    for (;;) {
      ws();
      if (src[i] === "}") {
        i++;
        break;
      }
      const key = ident();
      expectChar("=");
      body[key] = value();
    }
    out[name] = body;
    ws();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const env = (id: string, name: string, usage: Secret["usage"] = "build"): Secret => ({ id, source: { type: "env", name }, usage, mountedOn: usage === "build" ? [3] : [], buildArgs: [] });
const file = (id: string, path: string, usage: Secret["usage"] = "build", target?: string): Secret => ({
  id,
  source: { type: "file", path },
  usage,
  mountedOn: usage === "build" ? [4] : [],
  buildArgs: [],
  ...(target ? { target } : {}),
});

const ALL = [...BUILDER_KINDS];

function target(partial: Partial<BuildTarget> & Pick<BuildTarget, "secrets">): BuildTarget {
  return { dockerfile: "Dockerfile", name: "api", mountStyle: "auto", ...partial };
}

interface ComposeBuildDoc {
  services: Record<string, { build: { context: string; dockerfile: string; secrets: string[] } }>;
  secrets: Record<string, { environment?: string; file?: string }>;
}

function checkCompose(text: string, t: BuildTarget): ComposeBuildDoc {
  const doc = parseYaml(text) as ComposeBuildDoc;
  const builds = t.secrets.filter((s) => s.usage === "build");
  expect(Object.keys(doc.services)).toEqual([t.name]);
  const build = doc.services[t.name].build;
  expect(build.context).toBe(".");
  expect(build.dockerfile.replace(/\$\$/g, "$")).toBe(t.dockerfile);
  expect(build.secrets).toEqual(builds.map((s) => s.id));
  expect(Object.keys(doc.secrets)).toEqual(builds.map((s) => s.id));
  for (const s of builds) {
    const entry = doc.secrets[s.id];
    expect(Object.keys(entry)).toHaveLength(1);
    if (s.source.type === "env") expect(entry.environment).toBe(s.source.name);
    else expect(entry.file!.replace(/\$\$/g, "$")).toBe(s.source.path.startsWith("/") ? s.source.path : `./${s.source.path}`);
  }
  return doc;
}

function checkGha(text: string, t: BuildTarget): { with: Record<string, string> } {
  const doc = parseYaml(text) as { with: Record<string, string> };
  const builds = t.secrets.filter((s) => s.usage === "build");
  const envs = builds.filter((s) => s.source.type === "env");
  const files = builds.filter((s) => s.source.type === "file");
  expect(doc.with.context).toBe(".");
  expect(doc.with.file).toBe(t.dockerfile === "Dockerfile" ? undefined : t.dockerfile);
  const lines = (v: string | undefined) => (v === undefined ? [] : (expect(v.endsWith("\n")).toBe(true), v.slice(0, -1).split("\n")));
  expect(lines(doc.with["secret-envs"])).toEqual(envs.map((s) => `${s.id}=${s.source.type === "env" ? s.source.name : ""}`));
  // Records the action reads as CSV (a quoted one may span lines; a block scalar turns CR into
  // LF, the quoted scalar used for a name with a control character keeps it).
  const records = (v: string | undefined) => (v === undefined ? [] : csvRecords(v).map((r) => r.replace(/\r\n?/g, "\n")));
  expect(records(doc.with["secret-files"])).toEqual(files.map((s) => `${s.id}=${s.source.type === "file" ? s.source.path.replace(/\r\n?/g, "\n") : ""}`));
  expect(Object.keys(doc.with).every((k) => ["context", "file", "secret-envs", "secret-files"].includes(k))).toBe(true);
  return doc;
}

function checkBake(text: string, t: BuildTarget): void {
  const parsed = parseBakeHcl(text);
  const builds = t.secrets.filter((s) => s.usage === "build");
  expect(Object.keys(parsed)).toEqual([t.name]);
  const body = parsed[t.name];
  expect(body.dockerfile).toBe(t.dockerfile);
  expect(body.context).toBe(".");
  const specs = (body.secret as string[]).map((v) => secretSpec(v, true));
  expect(specs).toEqual(builds.map((s) => (s.source.type === "env" ? { id: s.id, env: s.source.name } : { id: s.id, src: s.source.path })));
  const json = JSON.parse(bakeJson(t)) as { target: Record<string, { dockerfile: string; context: string; secret: string[] }> };
  expect(json.target[t.name].dockerfile).toBe(t.dockerfile);
  expect(json.target[t.name].context).toBe(".");
  expect(json.target[t.name].secret).toEqual(body.secret);
}

function checkCommand(text: string, t: BuildTarget, program: "docker" | "podman") {
  const parsed = parseBuild(text, program);
  const builds = t.secrets.filter((s) => s.usage === "build");
  expect(parsed.file).toBe(t.dockerfile === "Dockerfile" ? undefined : t.dockerfile);
  expect(parsed.context).toBe(".");
  expect(parsed.secrets).toEqual(builds.map((s) => (s.source.type === "env" ? { id: s.id, env: s.source.name } : { id: s.id, src: s.source.path })));
  return parsed;
}

function checkAll(t: BuildTarget) {
  const c = buildConfigs(t, ALL);
  expect(Object.keys(c).sort()).toEqual([...ALL].sort());
  expect(c.docker).toBe(dockerBuildCommand({ dockerfile: t.dockerfile, secrets: t.secrets }));
  checkCommand(c.docker!, t, "docker");
  const podman = checkCommand(c.podman!, t, "podman");
  checkBake(c.bake!, t);
  checkCompose(c.compose!, t);
  checkGha(c.gha!, t);
  return { c, podman };
}

describe("buildConfigs", () => {
  it("lists the five tools", () => {
    expect([...BUILDER_KINDS]).toEqual(["docker", "bake", "compose", "gha", "podman"]);
  });

  it("env and file secrets: every tool supplies both with its documented syntax", () => {
    const t = target({ secrets: [env("npm_token", "NPM_TOKEN"), file("npmrc", ".npmrc")] });
    const { c } = checkAll(t);
    expect(c.docker).toBe("docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .");
    expect(c.podman).toBe(`${PODMAN_ENV_NOTE}\npodman build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .`);
    expect(c.bake).toBe(
      ['target "api" {', '  dockerfile = "Dockerfile"', '  context    = "."', '  secret     = ["id=npm_token,env=NPM_TOKEN", "id=npmrc,src=.npmrc"]', "}"].join("\n"),
    );
    expect(c.compose).toBe(
      [
        "services:",
        "  api:",
        "    build:",
        "      context: .",
        "      dockerfile: Dockerfile",
        "      secrets:",
        "        - npm_token",
        "        - npmrc",
        "secrets:",
        "  npm_token:",
        "    environment: NPM_TOKEN",
        "  npmrc:",
        "    file: ./.npmrc",
      ].join("\n"),
    );
    const gha = c.gha!.split("\n");
    expect(gha[0]).toMatch(/^# secret-envs reads .*NPM_TOKEN/);
    expect(gha.slice(1)).toEqual(["with:", "  context: .", "  secret-envs: |", "    npm_token=NPM_TOKEN", "  secret-files: |", "    npmrc=.npmrc"]);
  });

  it("only the requested tools, in no particular dependence on each other", () => {
    const t = target({ secrets: [env("a", "A")] });
    expect(Object.keys(buildConfigs(t, ["bake"]))).toEqual(["bake"]);
    expect(buildConfigs(t, ["compose", "docker"]).docker).toBe(buildConfigs(t, ["docker"]).docker);
    expect(buildConfigs(t, [])).toEqual({});
  });

  it("paths with spaces: -f and src= are one shell word each, YAML and HCL keep them whole", () => {
    const t = target({ dockerfile: "docker/My App.Dockerfile", name: "my-app", secrets: [file("creds", "secrets/my creds.json"), env("tok", "API_TOKEN")] });
    const { c } = checkAll(t);
    expect(c.docker).toContain("-f 'docker/My App.Dockerfile'");
    expect(c.docker).toContain("--secret 'id=creds,src=secrets/my creds.json'");
    expect(c.compose).toContain('file: "./secrets/my creds.json"');
    expect(c.gha).toContain('file: "docker/My App.Dockerfile"');
  });

  it("-f only when the Dockerfile is not named Dockerfile, context last", () => {
    for (const dockerfile of ["Dockerfile", "Dockerfile.dev", "build/Dockerfile", "Containerfile"]) {
      const t = target({ dockerfile, secrets: [env("a", "A")] });
      const c = buildConfigs(t, ["docker", "podman"]);
      expect(parseBuild(c.docker!, "docker").file).toBe(dockerfile === "Dockerfile" ? undefined : dockerfile);
      expect(parseBuild(c.podman!, "podman").file).toBe(dockerfile === "Dockerfile" ? undefined : dockerfile);
    }
  });

  it("env-only secrets", () => {
    const t = target({ secrets: [env("npm_token", "NPM_TOKEN"), env("gh", "GH_TOKEN")] });
    const { c } = checkAll(t);
    expect(c.gha).not.toContain("secret-files");
    expect(c.compose).not.toMatch(/^\s+file:/m);
    expect(c.podman!.split("\n")[0]).toBe(PODMAN_ENV_NOTE);
  });

  it("file-only secrets: no podman version note, no secret-envs", () => {
    const t = target({ dockerfile: "Dockerfile.prod", secrets: [file("npmrc", ".npmrc"), file("aws", ".aws/credentials")] });
    const { c, podman } = checkAll(t);
    expect(podman.comments).toEqual([]);
    expect(c.gha).not.toContain("secret-envs");
    expect(c.gha!.startsWith("with:")).toBe(true);
    expect(c.compose).not.toContain("environment:");
  });

  it("mountStyle file: podman needs no 1.44 note even with env secrets (the --secret flag accepts env=)", () => {
    const t = target({ mountStyle: "file", secrets: [env("npm_token", "NPM_TOKEN"), file("npmrc", ".npmrc")] });
    const { podman } = checkAll(t);
    expect(podman.comments).toEqual([]);
    expect(podman.secrets[0]).toEqual({ id: "npm_token", env: "NPM_TOKEN" });
    const auto = buildConfigs({ ...t, mountStyle: "auto" }, ["podman"]).podman!;
    expect(auto.split("\n")[0]).toBe(PODMAN_ENV_NOTE);
  });

  it("runtime-only: every build config is empty, runtime configs say how to run", () => {
    const t = target({ secrets: [env("api_key", "API_KEY", "runtime"), file("sa", "sa key.json", "runtime", "/app/sa.json")] });
    const c = buildConfigs(t, ALL);
    expect(c).toEqual({ docker: "", bake: "", compose: "", gha: "", podman: "" });
    expect(bakeJson(t)).toBe("");
    // runtime secrets never reach the build side, even mixed with build ones
    const mixed = target({ secrets: [...t.secrets, env("b", "B")] });
    checkAll(mixed);
    expect(buildConfigs(mixed, ["docker"]).docker).toBe("docker build --secret id=b,env=B .");
  });

  it("HCL escapes quotes, backslashes and template sequences; the JSON form holds the same strings", () => {
    const t = target({ dockerfile: 'we"ird\\${HOME}%{x}.Dockerfile', secrets: [file("f", "a\\b/${HOME}/c.json"), env("e", "E")] });
    const bake = buildConfigs(t, ["bake"]).bake!;
    expect(bake).toContain("$${HOME}");
    expect(bake).toContain("%%{x}");
    checkBake(bake, t);
  });

  it("a comma in a path is CSV-quoted for buildx (bake, gha) and flagged for podman", () => {
    const t = target({ secrets: [file("f", "a,b.json")] });
    const c = buildConfigs(t, ALL);
    checkBake(c.bake!, t);
    checkGha(c.gha!, t);
    checkCompose(c.compose!, t);
    expect(c.bake).toContain('"id=f,\\"src=a,b.json\\""');
    expect(c.podman!.split("\n")[0]).toMatch(/^# podman\/buildah cannot pass a --secret value with a comma/);
  });

  it("YAML values that plain YAML would read as something else are quoted; $ is doubled for compose", () => {
    const t = target({ name: "true", dockerfile: "Dockerfile", secrets: [file("yes", "1.5"), file("x", "a: #b"), file("d", "$HOME/x"), env("null", "ON")] });
    expect(parseYaml(buildConfigs({ ...t, dockerfile: ".0" }, ["compose"]).compose!).services.true.build.dockerfile).toBe(".0");
    expect(parseYaml(buildConfigs({ ...t, dockerfile: "1e3" }, ["gha"]).gha!).with.file).toBe("1e3");
    const c = buildConfigs(t, ["compose", "gha"]);
    const doc = checkCompose(c.compose!, t);
    expect(Object.keys(doc.secrets)).toEqual(["yes", "x", "d", "null"]);
    expect(doc.secrets.d.file).toBe("./$$HOME/x");
    checkGha(c.gha!, t);
  });

  it("round-trips arbitrary paths through every syntax (property)", () => {
    const chars = fc.constantFrom(..."aZ09 ._-/'\"\\$`{}%#:!*?&;|<>()[]~=@+\t".split(""), "${", "%{", "$$", ": ", " #", "\r\n", "é");
    const pathArb = fc.string({ unit: chars, minLength: 1, maxLength: 20 }).filter((p) => p.trim() === p && !p.startsWith("/") && !p.startsWith("./") && !p.startsWith("../"));
    fc.assert(
      fc.property(pathArb, pathArb, (df, src) => {
        const t = target({ dockerfile: df, secrets: [file("f", src), env("e", "E_VAR")] });
        const c = buildConfigs(t, ALL);
        checkBake(c.bake!, t);
        checkCompose(c.compose!, t);
        checkGha(c.gha!, t);
        // buildah's plain comma split cannot carry a comma, buildx's CSV no bare quote (the
        // existing docker command does not CSV-quote); a newline is not worth a line-based parser.
        if (/[\r\n]/.test(df + src)) return;
        if (!/[,"]/.test(src)) checkCommand(c.docker!, t, "docker");
        if (!src.includes(",")) checkCommand(c.podman!, t, "podman");
      }),
      { numRuns: 300 },
    );
  });
});

describe("runtimeConfigs", () => {
  it("docker run passes variables with -e and files with a read-only bind mount at the old place", () => {
    const t = target({
      secrets: [env("api_key", "API_KEY", "runtime"), file("sa", "keys/sa key.json", "runtime", "/app/sa.json"), file("other", "o.pem", "runtime"), env("b", "B")],
    });
    const r = runtimeConfigs(t);
    const argv = shellWords(r.docker!);
    expect(argv.slice(0, 2)).toEqual(["docker", "run"]);
    expect(argv[argv.length - 1]).toBe("IMAGE");
    const flags = argv.slice(2, -1);
    expect(flags).toEqual(["-e", "API_KEY", "--mount", "type=bind,src=./keys/sa key.json,dst=/app/sa.json,readonly", "--mount", "type=bind,src=./o.pem,dst=/run/secrets/other,readonly"]);
    expect(csvFields(flags[3])).toEqual(["type=bind", "src=./keys/sa key.json", "dst=/app/sa.json", "readonly"]);

    const doc = parseYaml(r.compose!) as {
      services: Record<string, { environment: string[]; secrets: { source: string; target: string }[] }>;
      secrets: Record<string, { file: string }>;
    };
    expect(doc.services.api.environment).toEqual(["API_KEY"]);
    expect(doc.services.api.secrets).toEqual([
      { source: "sa", target: "/app/sa.json" },
      { source: "other", target: "/run/secrets/other" },
    ]);
    expect(doc.secrets).toEqual({ sa: { file: "./keys/sa key.json" }, other: { file: "./o.pem" } });
    expect(r.compose).not.toContain("B");
  });

  it("env-only runtime secrets need no top-level secrets", () => {
    const r = runtimeConfigs(target({ secrets: [env("api_key", "API_KEY", "runtime")] }));
    expect(r.docker).toBe("docker run -e API_KEY IMAGE");
    expect(parseYaml(r.compose!)).toEqual({ services: { api: { environment: ["API_KEY"] } } });
  });

  it("nothing when every secret is a build secret", () => {
    expect(runtimeConfigs(target({ secrets: [env("a", "A"), file("f", "f")] }))).toEqual({});
    expect(runtimeConfigs(target({ secrets: [] }))).toEqual({});
  });
});

describe("target names", () => {
  it("from the folder, plus a Dockerfile variant, sanitised", () => {
    expect(targetName("services/api/Dockerfile")).toBe("api");
    expect(targetName("Dockerfile")).toBe("app");
    expect(targetName("./Dockerfile.dev")).toBe("app-dev");
    expect(targetName("web/worker.Dockerfile")).toBe("web-worker");
    expect(targetName("My Service/Containerfile")).toBe("my-service");
    expect(targetName("svc\\Billing API\\Dockerfile")).toBe("billing-api");
    expect(sanitizeName("--A.b C__")).toBe("a-b-c");
    expect(sanitizeName("ünï")).toBe("n");
    expect(sanitizeName("...")).toBe("app");
  });

  it("an unsanitised name is sanitised in the output", () => {
    const c = buildConfigs(target({ name: "My App", secrets: [env("a", "A")] }), ["bake", "compose"]);
    expect(c.bake).toMatch(/^target "my-app" \{/);
    expect(Object.keys((parseYaml(c.compose!) as ComposeBuildDoc).services)).toEqual(["my-app"]);
  });
});
