import { describe, expect, it } from "vitest";
import { runPipeline } from "../src/pipeline.js";

const clone = (rest: string, workdir = "/") => runPipeline(`FROM alpine\nWORKDIR ${workdir}\nARG GIT_TOKEN\nRUN git clone https://ci:$GIT_TOKEN@example.com/acme/app.git ${rest}\n`);
const status = (r: ReturnType<typeof runPipeline>) => r.findings.find((f) => f.rule === "secret-arg-env")?.status;

describe("a stored credential deleted in the same RUN", () => {
  it("rm -rf of the clone's folder (a parent of .git/config) leaves no carrier", () => {
    expect(status(clone("/src && make -C /src && rm -rf /src"))).toBe("fixed");
  });

  it("the clone's folder comes from the URL when no destination is given, relative to WORKDIR", () => {
    expect(status(clone("&& rm -rf app/.git", "/build"))).toBe("fixed");
  });

  it("a glob's leading * does not match .git, as in the shell", () => {
    expect(status(clone("/src && rm -rf /src/*"))).toBe("manual");
  });

  it("a deletion that a failure can skip (|| after the store) does not count", () => {
    expect(status(clone("/src && make || true && rm -rf /src/.git"))).toBe("manual");
  });

  it("rm without -r does not delete a folder", () => {
    expect(status(clone("/src && rm -f /src/.git"))).toBe("manual");
  });

  it("a deletion of another folder does not count", () => {
    expect(status(clone("/src && cd /tmp && rm -rf .git"))).toBe("manual");
  });
});
