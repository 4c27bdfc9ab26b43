import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  classifiersOf,
  DEFAULT_CONFIG,
  mergeConfigs,
  parseConfigJson,
  validateConfig,
  type UnbakeConfig,
} from "../src/config/config.js";
import { ConfigLoader, type ConfigFs } from "../src/config/load-config.js";

const F = "/repo/unbake.config.json";

describe("validateConfig", () => {
  const valid: ReadonlyArray<readonly [raw: unknown, config: UnbakeConfig]> = [
    [{}, {}],
    [{ $schema: "./node_modules/unbake/schema.json" }, {}],
    [{ root: true }, { root: true }],
    [{ root: false }, { root: false }],
    [{ secretNames: ["MY_TOKEN", "/^ACME_.*$/i", "/a\\/b/"] }, { secretNames: ["MY_TOKEN", "/^ACME_.*$/i", "/a\\/b/"] }],
    [{ secretFiles: ["*.vault", "config/**/prod.yml"] }, { secretFiles: ["*.vault", "config/**/prod.yml"] }],
    [{ allow: {} }, { allow: {} }],
    [{ allow: { names: ["PUBLIC_TOKEN"], files: ["fixtures/**"] } }, { allow: { names: ["PUBLIC_TOKEN"], files: ["fixtures/**"] } }],
    [{ ids: { NPM_TOKEN: "npm", ".npmrc": "npm.rc-2" } }, { ids: { NPM_TOKEN: "npm", ".npmrc": "npm.rc-2" } }],
    [{ mountStyle: "auto" }, { mountStyle: "auto" }],
    [{ mountStyle: "file" }, { mountStyle: "file" }],
    [{ exclude: ["legacy/**", "*.old"] }, { exclude: ["legacy/**", "*.old"] }],
    [
      { rules: { "hardcoded-secret": "off", "secret-arg-env": "note", "run-writes-secret": "warning", "secret-file-copy": "error" } },
      { rules: { "hardcoded-secret": "off", "secret-arg-env": "note", "run-writes-secret": "warning", "secret-file-copy": "error" } },
    ],
    [DEFAULT_CONFIG, DEFAULT_CONFIG],
  ];
  it.each(valid)("accepts %j", (raw, config) => {
    expect(validateConfig(raw, F)).toEqual({ config, errors: [] });
  });

  const KEYS = "root, secretNames, secretFiles, allow, ids, mountStyle, exclude, rules";
  const RULE_IDS = "secret-file-copy, secret-arg-env, hardcoded-secret, run-writes-secret, secret-used-outside-run, secret-printed, build-arg-secret";
  const SEV = `"off", "note", "warning", "error"`;
  const invalid: ReadonlyArray<readonly [raw: unknown, key: string, message: string]> = [
    [[], "", "expected an object, got an array"],
    [null, "", "expected an object, got null"],
    ["x", "", "expected an object, got a string"],
    [{ secretName: ["X"] }, "secretName", 'unknown key (did you mean "secretNames"?)'],
    [{ SecretNames: [] }, "SecretNames", 'unknown key (did you mean "secretNames"?)'],
    [{ mount: "file" }, "mount", 'unknown key (did you mean "mountStyle"?)'],
    [{ excludes: [] }, "excludes", 'unknown key (did you mean "exclude"?)'],
    [{ frobnicate: 1 }, "frobnicate", `unknown key; expected one of ${KEYS}`],
    [{ "no way": 1 }, '["no way"]', `unknown key; expected one of ${KEYS}`],
    [{ root: "yes" }, "root", "expected a boolean, got a string"],
    [{ secretNames: "NPM_TOKEN" }, "secretNames", "expected an array of strings, got a string"],
    [{ secretNames: ["A", 3] }, "secretNames[1]", "expected a string, got a number"],
    [{ secretNames: ["A", "B", "/(/"] }, "secretNames[2]", "invalid regular expression: /(/: Unterminated group"],
    [{ secretNames: ["/a/x"] }, "secretNames[0]", "invalid regular expression: Invalid flags supplied to RegExp constructor 'x'"],
    [{ secretNames: ["/abc"] }, "secretNames[0]", 'a regular expression must be written "/pattern/flags"'],
    [{ secretNames: ["/tok/g"] }, "secretNames[0]", 'flags "g" and "y" are not allowed (they make matching depend on the previous match)'],
    [{ secretNames: [""] }, "secretNames[0]", "empty name"],
    [{ secretNames: ["MY TOKEN"] }, "secretNames[0]", 'not a variable name (write a regular expression as "/pattern/flags")'],
    [{ secretFiles: [""] }, "secretFiles[0]", "empty glob"],
    [{ secretFiles: ["{a,b"] }, "secretFiles[0]", "invalid glob"],
    [{ secretFiles: {} }, "secretFiles", "expected an array of strings, got an object"],
    [{ exclude: ["ok", "  "] }, "exclude[1]", "empty glob"],
    [{ allow: ["X"] }, "allow", 'expected an object with "names" and/or "files", got an array'],
    [{ allow: "X" }, "allow", 'expected an object with "names" and/or "files", got a string'],
    [{ allow: { name: ["X"] } }, "allow.name", 'unknown key (did you mean "names"?)'],
    [{ allow: { files: [""] } }, "allow.files[0]", "empty glob"],
    [{ allow: { names: ["/[/"] } }, "allow.names[0]", "invalid regular expression: /[/: Unterminated character class"],
    [
      { ids: { NPM_TOKEN: "npm token" } },
      "ids.NPM_TOKEN",
      'invalid secret id "npm token": only letters, digits, "_", "." and "-" are allowed',
    ],
    [{ ids: { ".npmrc": 5 } }, 'ids[".npmrc"]', "expected a string, got a number"],
    [{ ids: { "": "x" } }, 'ids[""]', "empty name or path"],
    [{ ids: [] }, "ids", "expected an object mapping names or paths to secret ids, got an array"],
    [{ mountStyle: "env" }, "mountStyle", 'expected one of "auto", "file", got "env"'],
    [{ mountStyle: "files" }, "mountStyle", 'expected one of "auto", "file", got "files" (did you mean "file"?)'],
    [{ mountStyle: 1 }, "mountStyle", 'expected one of "auto", "file", got a number'],
    [{ rules: { "secret-args-env": "error" } }, "rules.secret-args-env", 'unknown rule (did you mean "secret-arg-env"?)'],
    [{ rules: { nope: "off" } }, "rules.nope", `unknown rule; expected one of ${RULE_IDS}`],
    [{ rules: { "hardcoded-secret": "warn" } }, "rules.hardcoded-secret", `expected one of ${SEV}, got "warn" (did you mean "warning"?)`],
    [{ rules: { "hardcoded-secret": 2 } }, "rules.hardcoded-secret", `expected one of ${SEV}, got a number`],
    [{ rules: "strict" }, "rules", "expected an object mapping rule ids to severities, got a string"],
  ];
  it.each(invalid)("rejects %j at %s", (raw, key, message) => {
    expect(validateConfig(raw, F).errors).toEqual([{ file: F, key, message }]);
  });

  it('keeps an id keyed "__proto__" as data', () => {
    const { config } = validateConfig(JSON.parse('{"ids": {"__proto__": "proto"}}'), F);
    expect(Object.keys(config.ids!)).toEqual(["__proto__"]);
    expect(classifiersOf(config).idFor("__proto__")).toBe("proto");
  });

  it("keeps the valid parts and reports every problem", () => {
    const { config, errors } = validateConfig(
      { secretNames: ["A", "", "/B/"], mountStyle: "file", rules: { "hardcoded-secret": "off", x: "off" }, bogus: 1 },
      F,
    );
    expect(config).toEqual({ secretNames: ["A", "/B/"], mountStyle: "file", rules: { "hardcoded-secret": "off" } });
    expect(errors.map((e) => e.key)).toEqual(["secretNames[1]", "rules.x", "bogus"]);
  });
});

describe("parseConfigJson", () => {
  const bad: ReadonlyArray<readonly [text: string, line: number, column: number, message: string]> = [
    ['{\n  "secretNames": ["A",]\n}', 2, 23, 'expected a value, found "]"'],
    ['{"a": 1,}', 1, 9, 'expected a property name in double quotes, found "}"'],
    ["", 1, 1, "expected a value, found end of file"],
    ['{"a": tru}', 1, 7, 'unexpected word "tru"'],
    ['{"a": 1} x', 1, 10, 'unexpected "x" after the end of the JSON value'],
    ['{\r\n"a": }', 2, 6, 'expected a value, found "}"'],
    ['{"a" 1}', 1, 6, 'expected ":" after the property name, found "1"'],
    ['{"a": [1 2]}', 1, 10, 'expected "," or "]" after the array element, found "2"'],
    ['{"a": 1\n"b": 2}', 2, 1, 'expected "," or "}" after the property value, found "\\""'],
    ['{"a": "x', 1, 9, "unterminated string"],
    ['{"a": "\\q"}', 1, 8, 'invalid escape "\\\\q"'],
    ["{'a': 1}", 1, 2, "expected a property name in double quotes, found \"'\""],
    ['{"a": 01}', 1, 8, 'expected "," or "}" after the property value, found "1"'],
    ["\uFEFF{,}", 1, 2, 'expected a property name in double quotes, found ","'],
  ];
  it.each(bad)("%j: line %i, column %i", (text, line, column, message) => {
    expect(parseConfigJson(text, F)).toEqual({
      error: { file: F, key: "", message: `invalid JSON at line ${line}, column ${column}: ${message}`, line, column },
    });
  });

  it("parses valid JSON, ignoring a BOM", () => {
    expect(parseConfigJson('\uFEFF{"root": true, "a": [1, -2.5e3, "\\u00e9", null, false]}', F)).toEqual({
      value: { root: true, a: [1, -2500, "é", null, false] },
    });
  });
});

describe("mergeConfigs", () => {
  it("child overrides scalars and map keys, arrays concatenate parent first", () => {
    const parent: UnbakeConfig = {
      root: true,
      mountStyle: "file",
      secretNames: ["P"],
      secretFiles: ["*.p"],
      exclude: ["p/**"],
      allow: { names: ["PA"], files: ["pa/**"] },
      ids: { A: "pa", B: "pb" },
      rules: { "hardcoded-secret": "off", "secret-arg-env": "note" },
    };
    const child: UnbakeConfig = {
      root: false,
      secretNames: ["C"],
      allow: { files: ["ca/**"] },
      ids: { B: "cb", C: "cc" },
      rules: { "secret-arg-env": "error" },
    };
    expect(mergeConfigs(parent, child)).toEqual({
      root: false,
      mountStyle: "file",
      secretNames: ["P", "C"],
      secretFiles: ["*.p"],
      exclude: ["p/**"],
      allow: { names: ["PA"], files: ["pa/**", "ca/**"] },
      ids: { A: "pa", B: "cb", C: "cc" },
      rules: { "hardcoded-secret": "off", "secret-arg-env": "error" },
    });
    expect(mergeConfigs({ mountStyle: "file" }, { mountStyle: "auto" }).mountStyle).toBe("auto");
    expect(mergeConfigs()).toEqual({});
    expect(mergeConfigs({}, { ids: { X: "x" } })).toEqual({ ids: { X: "x" } });
  });
});

describe("classifiersOf", () => {
  const c = classifiersOf({
    secretNames: ["MY_SPECIAL", "/^ACME_.*_SIG$/", "/^corp_/i"],
    secretFiles: ["*.vault", "config/prod/*.yml"],
    allow: { names: ["PUBLIC_TOKEN", "/_ID$/", "acme_public_sig"], files: ["fixtures/**", "*.example.key"] },
    ids: { NPM_TOKEN: "npm", ".npmrc": "npmrc", "config/app.key": "app_key" },
    rules: { "hardcoded-secret": "off", "secret-arg-env": "error" },
  });

  const names: ReadonlyArray<readonly [string, boolean | undefined]> = [
    ["MY_SPECIAL", true],
    ["my_special", true], // exact names ignore case
    ["ACME_X_SIG", true],
    ["acme_x_sig", undefined], // a regex is tested as given
    ["CORP_X", true], // the i flag
    ["PUBLIC_TOKEN", false],
    ["public_token", false],
    ["MY_SPECIAL_ID", false],
    ["ACME_PUBLIC_SIG", false], // allow wins over a secretNames regex
    ["NPM_TOKEN", undefined],
    ["FOO", undefined],
  ];
  it.each(names)("isSecretName(%j) = %j", (name, want) => {
    expect(c.isSecretName(name)).toBe(want);
  });

  const files: ReadonlyArray<readonly [string, boolean | undefined]> = [
    ["secrets.vault", true],
    ["./deploy/db.vault", true], // basename
    ["config/prod/db.yml", true],
    ["./config/prod/db.yml", true],
    ["config/dev/db.yml", undefined],
    ["fixtures/test.vault", false], // allow wins
    ["fixtures/a/.npmrc", false],
    ["certs/server.example.key", false],
    ["'x.vault'", true],
    ["/x.vault", true],
    ["dir\\x.vault", true],
    ["X.VAULT", undefined], // globs are case-sensitive
    [".npmrc", undefined],
    ["", undefined],
  ];
  it.each(files)("isSecretFile(%j) = %j", (p, want) => {
    expect(c.isSecretFile(p)).toBe(want);
  });

  const ids: ReadonlyArray<readonly [string, string | undefined]> = [
    ["NPM_TOKEN", "npm"],
    ["npm_token", "npm"],
    [".npmrc", "npmrc"],
    ["./.npmrc", "npmrc"],
    ["app/.npmrc", "npmrc"], // a key without "/" also names the basename
    ["config/app.key", "app_key"],
    ["./config/app.key", "app_key"],
    ["other/app.key", undefined], // a key with "/" is a whole path
    ["app.key", undefined],
    ["OTHER", undefined],
  ];
  it.each(ids)("idFor(%j) = %j", (key, want) => {
    expect(c.idFor(key)).toBe(want);
  });

  it("severity", () => {
    expect(c.severity("hardcoded-secret")).toBe("off");
    expect(c.severity("secret-arg-env")).toBe("error");
    expect(c.severity("secret-file-copy")).toBeUndefined();
  });

  it("an empty config has no opinion", () => {
    const e = classifiersOf({});
    expect([e.isSecretName("NPM_TOKEN"), e.isSecretFile(".npmrc"), e.idFor("NPM_TOKEN"), e.severity("secret-arg-env")]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("ConfigLoader", () => {
  let tmp: string;
  const put = (rel: string, content: unknown): void => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  };
  const dir = (rel: string): void => {
    fs.mkdirSync(path.join(tmp, rel), { recursive: true });
  };
  const at = (rel: string): string => path.join(tmp, rel);

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "unbake-config-")));
    dir(".git"); // the temp tree is its own repository: nothing above it applies
    put("unbake.config.json", { secretNames: ["ROOT_TOKEN"], exclude: ["legacy", "**/*.old.Dockerfile"] });
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("uses the nearest config, from the Dockerfile's folder up", () => {
    dir("a/deep/er");
    put("b/.unbakerc.json", { mountStyle: "file" });
    const loader = new ConfigLoader();
    expect(loader.forFile(at("Dockerfile"))).toMatchObject({
      config: { secretNames: ["ROOT_TOKEN"] },
      files: [at("unbake.config.json")],
      errors: [],
    });
    expect(loader.forFile(at("a/deep/er/Dockerfile")).files).toEqual([at("unbake.config.json")]);
    const b = loader.forFile(at("b/Dockerfile"));
    expect(b.config).toEqual({ mountStyle: "file" }); // no merging: nearest wins
    expect(b.files).toEqual([at("b/.unbakerc.json")]);
    expect(loader.forFile(at("b/x/y/Dockerfile")).files).toEqual([at("b/.unbakerc.json")]);
  });

  it('reads the "unbake" key of package.json, and ignores a package.json without one', () => {
    put("c/package.json", { name: "c", unbake: { secretNames: ["PKG"] } });
    put("d/package.json", { name: "d", devDependencies: { unbake: "^1.0.0" } });
    put("e/package.json", "{ not json"); // not ours: no "unbake" in it
    const loader = new ConfigLoader();
    expect(loader.forFile(at("c/Dockerfile"))).toMatchObject({
      config: { secretNames: ["PKG"] },
      files: [at("c/package.json")],
      errors: [],
    });
    expect(loader.forFile(at("d/Dockerfile")).files).toEqual([at("unbake.config.json")]);
    expect(loader.forFile(at("e/Dockerfile")).files).toEqual([at("unbake.config.json")]);
  });

  it("reports errors in package.json with the path from the top of package.json", () => {
    put("m/package.json", { name: "m", unbake: { secretNam: [], ids: { ".npmrc": "a b" } } });
    put("n/package.json", { unbake: [] });
    put("o/package.json", '{"unbake": {,}}');
    const loader = new ConfigLoader();
    const m = loader.forFile(at("m/Dockerfile"));
    expect(m.errors).toEqual([
      { file: at("m/package.json"), key: "unbake.secretNam", message: 'unknown key (did you mean "secretNames"?)' },
      {
        file: at("m/package.json"),
        key: 'unbake.ids[".npmrc"]',
        message: 'invalid secret id "a b": only letters, digits, "_", "." and "-" are allowed',
      },
    ]);
    expect(m.files).toEqual([at("m/package.json")]);
    expect(loader.forFile(at("n/Dockerfile")).errors).toEqual([
      { file: at("n/package.json"), key: "unbake", message: "expected an object, got an array" },
    ]);
    const o = loader.forFile(at("o/Dockerfile"));
    expect(o.errors).toEqual([
      {
        file: at("o/package.json"),
        key: "",
        message: 'invalid JSON at line 1, column 13: expected a property name in double quotes, found ","',
        line: 1,
        column: 13,
      },
    ]);
    expect(o.config).toEqual({}); // a broken config stops the search: the root config does not apply
  });

  it("two config files in one folder are an error naming both; the first by precedence is used", () => {
    put("e/unbake.config.json", { mountStyle: "file" });
    put("e/.unbakerc.json", { mountStyle: "auto" });
    put("f/.unbakerc.json", { secretNames: ["RC"] });
    put("f/package.json", { unbake: {} });
    const loader = new ConfigLoader();
    const e = loader.forFile(at("e/Dockerfile"));
    expect(e.errors).toEqual([
      {
        file: at("e/unbake.config.json"),
        key: "",
        message: `more than one configuration file in ${at("e")}: unbake.config.json and .unbakerc.json; keep one`,
      },
    ]);
    expect(e.config).toEqual({ mountStyle: "file" });
    expect(e.files).toEqual([at("e/unbake.config.json")]);
    const f = loader.forFile(at("f/Dockerfile"));
    expect(f.errors.map((x) => x.message)).toEqual([
      `more than one configuration file in ${at("f")}: .unbakerc.json and package.json; keep one`,
    ]);
    expect(f.config).toEqual({ secretNames: ["RC"] });
  });

  it("stops at .git (folder or file) and at the filesystem root", () => {
    dir("sub/.git");
    dir("sub/pkg");
    dir("wt");
    fs.writeFileSync(at("wt/.git"), "gitdir: /elsewhere\n"); // a worktree or submodule
    const loader = new ConfigLoader();
    expect(loader.forFile(at("sub/pkg/Dockerfile"))).toMatchObject({ config: {}, files: [], errors: [] });
    expect(loader.forFile(at("wt/Dockerfile")).files).toEqual([]);
    // The filesystem root: a fake fs where nothing exists.
    const empty: ConfigFs = {
      readFileSync: () => {
        throw Object.assign(new Error("nope"), { code: "ENOENT" });
      },
      existsSync: () => false,
    };
    expect(new ConfigLoader(empty).forFile("/a/b/c/Dockerfile").files).toEqual([]);
  });

  it('"root": false also merges the next config up; "root": true and .git stop it', () => {
    put("f/unbake.config.json", { root: false, secretNames: ["F"], ids: { X: "f" }, exclude: ["tmp"] });
    put("f/g/.unbakerc.json", { root: false, secretNames: ["G"], ids: { X: "g" } });
    put("i/.unbakerc.json", { root: true, secretNames: ["I"] });
    put("i/j/unbake.config.json", { root: false, secretNames: ["J"] });
    put("k/unbake.config.json", { root: false, secretNames: ["K"] });
    dir("k/.git");
    const loader = new ConfigLoader();
    const g = loader.forFile(at("f/g/Dockerfile"));
    expect(g.files).toEqual([at("f/g/.unbakerc.json"), at("f/unbake.config.json"), at("unbake.config.json")]);
    expect(g.config.secretNames).toEqual(["ROOT_TOKEN", "F", "G"]);
    expect(g.config.ids).toEqual({ X: "g" });
    expect(g.classifiers.isSecretName("root_token")).toBe(true);
    const j = loader.forFile(at("i/j/Dockerfile"));
    expect(j.files).toEqual([at("i/j/unbake.config.json"), at("i/.unbakerc.json")]);
    expect(j.config.secretNames).toEqual(["I", "J"]);
    expect(loader.forFile(at("k/Dockerfile")).files).toEqual([at("k/unbake.config.json")]);
  });

  it("isExcluded resolves each file's globs against its own folder", () => {
    put("f/unbake.config.json", { root: false, exclude: ["tmp", "./only-here/*"] });
    put("h/unbake.config.json", { exclude: ["legacy"] });
    const loader = new ConfigLoader();
    const top = loader.forFile(at("Dockerfile"));
    const table: ReadonlyArray<readonly [string, boolean]> = [
      ["legacy/Dockerfile", true],
      ["legacy/api/Dockerfile", true],
      ["services/legacy/Dockerfile", true], // a glob without "/" matches any segment
      ["services/api/Dockerfile", false],
      ["services/api/x.old.Dockerfile", true],
      ["tmp/Dockerfile", false],
    ];
    for (const [rel, want] of table) expect([rel, top.isExcluded(at(rel))]).toEqual([rel, want]);
    expect(top.isExcluded("/elsewhere/legacy/Dockerfile")).toBe(false); // outside the config's folder

    const f = loader.forFile(at("f/Dockerfile"));
    expect(f.isExcluded(at("f/tmp/Dockerfile"))).toBe(true);
    expect(f.isExcluded(at("f/only-here/Dockerfile"))).toBe(true);
    expect(f.isExcluded(at("f/x/only-here/Dockerfile"))).toBe(false);
    expect(f.isExcluded(at("f/legacy/Dockerfile"))).toBe(true); // inherited from the root config
    expect(f.isExcluded(at("tmp/Dockerfile"))).toBe(false); // f's globs only apply inside f/
    const h = loader.forFile(at("h/Dockerfile"));
    expect(h.isExcluded(at("h/legacy/Dockerfile"))).toBe(true);
    expect(h.isExcluded(at("h/a.old.Dockerfile"))).toBe(false); // not root:false: the root's globs do not apply
  });

  it("reads each config file once and checks each .git once, however many Dockerfiles", () => {
    put("a/.unbakerc.json", { secretNames: ["A"] });
    put("a/b/package.json", { name: "b" });
    put("c/package.json", { unbake: { root: false } });
    const reads = new Map<string, number>();
    const count = (p: string): void => {
      reads.set(p, (reads.get(p) ?? 0) + 1);
    };
    const spy: ConfigFs = {
      readFileSync: (p, enc) => {
        count(`read ${p}`);
        return fs.readFileSync(p, enc);
      },
      existsSync: (p) => {
        count(`exists ${p}`);
        return fs.existsSync(p);
      },
    };
    const loader = new ConfigLoader(spy);
    const folders = ["", "a", "a/b", "a/b/c", "c", "c/d", "x", "x/y"];
    const results = new Map<string, unknown>();
    for (let i = 0; i < 2000; i++) {
      const folder = folders[i % folders.length]!;
      const r = loader.forFile(at(path.join(folder, `Dockerfile.${i}`)));
      if (results.has(folder)) expect(r).toBe(results.get(folder));
      else results.set(folder, r);
    }
    expect(loader.forFile(at("a/b/c/Dockerfile")).config).toEqual({ secretNames: ["A"] });
    expect(loader.forFile(at("c/d/Dockerfile")).files).toEqual([at("c/package.json"), at("unbake.config.json")]);
    expect([...reads.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(reads.get(`read ${at("unbake.config.json")}`)).toBe(1);
    expect(reads.get(`read ${at("a/.unbakerc.json")}`)).toBe(1);
    // Nothing above the tree's own root config was looked at.
    expect([...reads.keys()].filter((k) => !k.includes(tmp))).toEqual([]);
  });

  it("allErrors lists each file's errors once", () => {
    put("bad/.unbakerc.json", { mountStyle: "nope" });
    const loader = new ConfigLoader();
    for (let i = 0; i < 5; i++) loader.forFile(at(`bad/s${i}/Dockerfile`));
    expect(loader.forFile(at("bad/Dockerfile")).errors).toHaveLength(1);
    expect(loader.allErrors()).toEqual([
      { file: at("bad/.unbakerc.json"), key: "mountStyle", message: 'expected one of "auto", "file", got "nope"' },
    ]);
  });
});
