/**
 * Secret ids across a batch (src/analyse/batch-ids.ts): two services that copy different files of
 * the same name get one id each; one file shared by two Dockerfiles keeps one shared id.
 */
import { describe, expect, it } from "vitest";
import { copiedSecretFiles, mountedSecretIds, settleFileIds } from "../src/analyse/batch-ids.js";
import { runPipeline } from "../src/pipeline.js";

describe("copiedSecretFiles", () => {
  it("names the credential files COPY/ADD lines take from the context, as context paths", () => {
    const text = "FROM node\nCOPY package.json .npmrc ./\nadd /ops/.s3cfg /root/\nCOPY --chown=1:1 [\"deploy/id_rsa\", \"/k\"]\nCOPY --from=build /app/.npmrc /x\nCOPY *.pem /certs/\n";
    expect(copiedSecretFiles(text).sort()).toEqual([".npmrc", "deploy/id_rsa", "ops/.s3cfg"]);
    expect(copiedSecretFiles("FROM node\r\nCOPY package.json \\\r\n  config/.npmrc ./\r\n")).toEqual(["config/.npmrc"]);
  });

  it("stays cheap on a crafted file (it runs on the main thread, before any worker)", () => {
    const copies = Array.from({ length: 20000 }, (_, i) => `COPY d${i}/ /x/\n`).join("");
    const runs = Array.from({ length: 20000 }, (_, i) => `RUN cat /x/a${i}/.npmrc /x/b${i}/notes.txt\n`).join("");
    const t0 = performance.now();
    const found = copiedSecretFiles(`FROM x\n${copies}${runs}RUN cat ${"/a".repeat(200000)}\n`, () => [".npmrc"]);
    // 20,000 folders copied to one place times 20,000 paths read there would be 400 million looks.
    expect(found.length).toBeLessThanOrEqual(256);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it("also reads what the analysis takes that a name alone does not show", () => {
    // A destination that is a variable: the source is still known.
    expect(copiedSecretFiles("FROM node\nENV APP_HOME=/srv\nCOPY .npmrc $APP_HOME/\n")).toEqual([".npmrc"]);
    // A credential typed by where it lands.
    expect(copiedSecretFiles("FROM amazon/aws-cli\nCOPY deploy/creds.ini /root/.aws/credentials\nCOPY app.ini /etc/app/\n")).toEqual(["deploy/creds.ini"]);
    // A copy of a context folder, and a RUN that copies a file out of it or reads it there.
    const dot = "FROM node\nCOPY . /src\nCOPY conf/ /etc/conf/\nRUN cp /src/deploy/.npmrc /root/.npmrc && cat /etc/conf/pip.conf /src/README.md\n";
    expect(copiedSecretFiles(dot).sort()).toEqual(["conf/pip.conf", "deploy/.npmrc"]);
    // Files at the context's top that a copy of the whole context brings (npm in /src reads ./.npmrc unnamed).
    let listed = 0;
    const top = () => (listed++, [".npmrc", "package.json", "src"]);
    expect(copiedSecretFiles("FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", top)).toEqual([".npmrc"]);
    expect(copiedSecretFiles("FROM node\nCOPY src/ /app/\n", top)).toEqual([]);
    // The context is listed only for a copy of the whole of it.
    expect(listed).toBe(1);
    // A copy of the whole context to where only WORKDIR tells: paths read under it, absolute or relative.
    expect(copiedSecretFiles("FROM node\nWORKDIR /app\nCOPY . .\nRUN node migrate.js --credentials config/credentials.json --ca /app/deploy/.npmrc\n").sort()).toEqual(
      [".npmrc", "app/deploy/.npmrc", "config/credentials.json", "deploy/.npmrc"],
    );
    // Of those guesses only the files the context has count: a phantom one would take npmrc_api from the real one.
    const has = (p: string) => p === "deploy/.npmrc";
    expect(copiedSecretFiles("FROM node\nWORKDIR /app\nCOPY . .\nRUN cat /app/deploy/.npmrc\n", () => [], has)).toEqual(["deploy/.npmrc"]);
    // A source that is a variable is the analysis' manual case: no id to settle.
    expect(copiedSecretFiles("FROM node\nARG CFG=.npmrc\nCOPY $CFG /root/.npmrc\n")).toEqual([]);
  });
});

describe("settleFileIds", () => {
  const file = (dockerfile: string, context: string, sources: string[]) => ({ dockerfile, context, sources });

  it("gives each service its own id when two different files would share one", () => {
    const ids = settleFileIds([
      file("/r/services/web/Dockerfile", "/r/services/web", [".npmrc"]),
      file("/r/services/api/Dockerfile", "/r/services/api", [".npmrc", "config/app.key"]),
    ]);
    expect(Object.fromEntries(ids)).toEqual({
      "/r/services/api/Dockerfile": { ".npmrc": "npmrc_api" },
      "/r/services/web/Dockerfile": { ".npmrc": "npmrc_web" },
    });
  });

  it("keeps one shared id for one shared file (two Dockerfiles, one context)", () => {
    const ids = settleFileIds([file("/r/Dockerfile.api", "/r", [".npmrc"]), file("/r/Dockerfile.web", "/r", [".npmrc"])]);
    expect(ids.size).toBe(0);
  });

  it("names a service by its Dockerfile's suffix, and numbers names that still meet", () => {
    const ids = settleFileIds([
      file("/r/Dockerfile.api", "/r/a", [".npmrc"]),
      file("/r/b/Dockerfile.api", "/r/b", [".npmrc"]),
      file("/r/c/Dockerfile", "/r/c", ["secrets/.npmrc"]),
    ]);
    expect(Object.fromEntries(ids)).toEqual({
      "/r/Dockerfile.api": { ".npmrc": "npmrc_api" },
      "/r/b/Dockerfile.api": { ".npmrc": "npmrc_api_2" },
      "/r/c/Dockerfile": { "secrets/.npmrc": "npmrc_c" },
    });
  });

  it("leaves alone the sources a configuration names", () => {
    const ids = settleFileIds(
      [file("/r/a/Dockerfile", "/r/a", [".npmrc"]), file("/r/b/Dockerfile", "/r/b", [".npmrc"])],
      (dockerfile) => (dockerfile === "/r/a/Dockerfile" ? "npm_a" : undefined),
    );
    expect(ids.size).toBe(0);
  });

  it("moves a built-in id aside when the configuration gives another file that id", () => {
    const ids = settleFileIds(
      [file("/r/a/Dockerfile", "/r/a", [".npmrc"]), file("/r/b/Dockerfile", "/r/b", [".npmrc"])],
      (dockerfile) => (dockerfile === "/r/a/Dockerfile" ? "npmrc" : undefined),
    );
    expect(Object.fromEntries(ids)).toEqual({ "/r/b/Dockerfile": { ".npmrc": "npmrc_b" } });
  });

  it("cannot map two different files the configuration gives one id: both are manual, with what to do", () => {
    const ids = settleFileIds(
      [file("/r/a/Dockerfile", "/r/a", [".npmrc"]), file("/r/b/Dockerfile", "/r/b", ["config/.npmrc"]), file("/r/c/Dockerfile", "/r/c", [".npmrc"])],
      (dockerfile) => (dockerfile === "/r/c/Dockerfile" ? undefined : "npmrc"),
    );
    const a = ids.get("/r/a/Dockerfile")?.[".npmrc"];
    const b = ids.get("/r/b/Dockerfile")?.["config/.npmrc"];
    expect(a).toEqual({ manual: expect.stringContaining('the configuration\'s ids give "npmrc" to .npmrc here and to another file of the batch too (../b/config/.npmrc)') });
    expect(b).toEqual({ manual: expect.stringContaining("give each file its own id") });
    // The third file, with the built-in id, still gets one of its own.
    expect(ids.get("/r/c/Dockerfile")).toEqual({ ".npmrc": "npmrc_c" });
  });

  it("moves aside from the ids other Dockerfiles already mount (an earlier run's), and from their per-service family", () => {
    const mounted = (dockerfile: string, context: string, ids: string[]) => ({ dockerfile, context, sources: [], mounted: ids });
    expect(Object.fromEntries(settleFileIds([file("/r/web/Dockerfile", "/r/web", [".npmrc"]), mounted("/r/api/Dockerfile", "/r/api", ["npmrc"])]))).toEqual({
      "/r/web/Dockerfile": { ".npmrc": "npmrc_web" },
    });
    expect(Object.fromEntries(settleFileIds([file("/r/web/Dockerfile", "/r/web", [".npmrc"]), mounted("/r/api/Dockerfile", "/r/api", ["npmrc_api", "npm_token"])]))).toEqual({
      "/r/web/Dockerfile": { ".npmrc": "npmrc_web" },
    });
    // Its own mount, or an unrelated one, changes nothing.
    expect(settleFileIds([{ ...file("/r/web/Dockerfile", "/r/web", [".npmrc"]), mounted: ["npmrc"] }, mounted("/r/api/Dockerfile", "/r/api", ["pip.conf"])]).size).toBe(0);
  });

  it("reads the ids of the secret mounts a Dockerfile has", () => {
    const text = 'RUN --mount=type=secret,id=npmrc_api,target=/app/.npmrc,required=true --mount=type=secret,src=tok,env=T --mount="type=secret,target=/root/.pypirc" --mount=type=cache,id=x,target=/c npm ci\n';
    expect(mountedSecretIds(text)).toEqual(["npmrc_api", "tok", ".pypirc"]);
  });

  it("one file the configuration names under two Dockerfiles (one context) keeps its one id", () => {
    const ids = settleFileIds([file("/r/Dockerfile.api", "/r", [".npmrc"]), file("/r/Dockerfile.web", "/r", [".npmrc"])], () => "npm");
    expect(ids.size).toBe(0);
  });
});

describe("sources no id can be settled for", () => {
  it("a COPY source that is a variable or a pattern is manual and says what to do; nothing of it changes", () => {
    for (const [text, says] of [
      ["FROM node:22\nARG CFG=.npmrc\nCOPY $CFG /root/.npmrc\nRUN npm ci\n", "the source depends on a variable, so unbake cannot tell which file (nor give it an id of its own in the batch): name the file in the COPY"],
      ["FROM node:22\nCOPY config/*.npmrc /root/\nRUN npm ci\n", "name each credential file in a COPY of its own"],
    ]) {
      const r = runPipeline(text);
      expect(r.output).toBe(text);
      expect(r.findings.map((f) => [f.rule, f.status])).toEqual([["secret-file-copy", "manual"]]);
      expect(r.findings[0].message).toContain(says);
    }
  });
});
