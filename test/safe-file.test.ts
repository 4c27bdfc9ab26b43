import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FileProblem,
  MAX_FILE_BYTES,
  isInside,
  readHeadInside,
  readInside,
  readRegularFile,
  rootsOf,
  writeInside,
  type Roots,
} from "../src/cli/safe-file.js";
import { decodeExact, encodeExact, inFileCharacters, shownText } from "../src/cli/exact-text.js";

let base: string;
let repo: string;
let outside: string;
let roots: Roots;
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "unbake-safe-")));
  repo = path.join(base, "repo");
  outside = path.join(base, "outside");
  fs.mkdirSync(repo);
  fs.mkdirSync(outside);
  roots = rootsOf([repo]);
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

/** The FileProblem message of fn, or "no problem". */
function problem(fn: () => unknown): string {
  try {
    fn();
    return "no problem";
  } catch (e) {
    if (e instanceof FileProblem) return e.message;
    throw e;
  }
}

describe("roots", () => {
  it("a folder given is a root; a file given is allowed, and so is its folder", () => {
    fs.mkdirSync(path.join(repo, "svc"));
    fs.writeFileSync(path.join(repo, "svc", "Dockerfile"), "");
    const r = rootsOf([path.join(repo, "svc", "Dockerfile"), path.join(repo, "svc", "Dockerfile"), path.join(base, "missing")]);
    expect(r).toEqual({ dirs: [path.join(repo, "svc")], files: [path.join(repo, "svc", "Dockerfile")] });
  });

  it("inside means the folder itself or below it, not a sibling that shares the prefix", () => {
    expect(isInside(roots, repo)).toBe(true);
    expect(isInside(roots, path.join(repo, "a", "b"))).toBe(true);
    expect(isInside(roots, `${repo}-evil/x`)).toBe(false);
    expect(isInside(roots, base)).toBe(false);
  });
});

describe("readInside", () => {
  it("reads a file inside, also through a link that stays inside", () => {
    fs.writeFileSync(path.join(repo, "a"), "hello");
    fs.symlinkSync("a", path.join(repo, "b"));
    expect(readInside(path.join(repo, "b"), roots).toString()).toBe("hello");
  });

  it("refuses a link to a file outside, and /proc/self/environ, without reading them", () => {
    fs.writeFileSync(path.join(outside, "profile"), "export TOKEN=x\n");
    fs.symlinkSync(path.join(outside, "profile"), path.join(repo, "p"));
    fs.symlinkSync("/proc/self/environ", path.join(repo, "e"));
    expect(problem(() => readInside(path.join(repo, "p"), roots))).toBe("resolves outside the given paths");
    expect(problem(() => readInside(path.join(repo, "e"), roots))).toBe("resolves outside the given paths");
  });

  it("refuses a FIFO at once (no blocking open), and a device even when its folder is a root", () => {
    const fifo = path.join(repo, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const started = performance.now();
    expect(problem(() => readInside(fifo, roots))).toBe("not a regular file");
    expect(problem(() => readHeadInside(fifo, roots, 10))).toBe("not a regular file");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problem(() => readInside("/dev/zero", { dirs: ["/dev"], files: [] }))).toBe("not a regular file");
  });

  it("reads up to 1 MiB; one byte more is a problem; a head read takes the start of any file", () => {
    fs.writeFileSync(path.join(repo, "max"), Buffer.alloc(MAX_FILE_BYTES, 97));
    fs.writeFileSync(path.join(repo, "big"), Buffer.alloc(MAX_FILE_BYTES + 1, 98));
    expect(readInside(path.join(repo, "max"), roots).length).toBe(MAX_FILE_BYTES);
    expect(problem(() => readInside(path.join(repo, "big"), roots))).toBe(`larger than 1 MiB (${MAX_FILE_BYTES + 1} bytes)`);
    expect(readHeadInside(path.join(repo, "big"), roots, 5).toString()).toBe("bbbbb");
  });

  it("a file that says it is empty (as /proc files do) is still read to its end, within the bound", () => {
    expect(readInside("/proc/self/status", { dirs: ["/proc"], files: [] }).toString()).toContain("Pid:");
  });

  it("an absent file throws as fs does (ENOENT), so callers can treat it as absent", () => {
    expect(() => readInside(path.join(repo, "none"), roots)).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it("the descriptor is opened without following a last link: a path that became a link is refused", () => {
    fs.writeFileSync(path.join(repo, "real"), "x");
    fs.symlinkSync("real", path.join(repo, "swapped"));
    // readRegularFile expects a resolved path; handed a link (as after a swap), it refuses.
    expect(problem(() => readRegularFile(path.join(repo, "swapped")))).toBe("changed while being read (now a symlink)");
  });
});

describe("writeInside", () => {
  it("writes a file inside, through a link that stays inside (the link stays a link)", async () => {
    fs.writeFileSync(path.join(repo, "t"), "old");
    fs.symlinkSync("t", path.join(repo, "l"));
    await writeInside(path.join(repo, "l"), "new", roots);
    expect(fs.readFileSync(path.join(repo, "t"), "utf8")).toBe("new");
    expect(fs.lstatSync(path.join(repo, "l")).isSymbolicLink()).toBe(true);
  });

  it("refuses a link to a file outside, or a dangling link that would create one; nothing written", async () => {
    fs.writeFileSync(path.join(outside, "profile"), "keep\n");
    fs.symlinkSync(path.join(outside, "profile"), path.join(repo, "p"));
    fs.symlinkSync(path.join(outside, "new-file"), path.join(repo, "d"));
    await expect(writeInside(path.join(repo, "p"), "x", roots)).rejects.toThrow("resolves outside the given paths");
    await expect(writeInside(path.join(repo, "d"), "x", roots)).rejects.toThrow("resolves outside the given paths");
    expect(fs.readFileSync(path.join(outside, "profile"), "utf8")).toBe("keep\n");
    expect(fs.readdirSync(outside)).toEqual(["profile"]);
    expect(fs.readdirSync(repo).sort()).toEqual(["d", "p"]);
  });
});

describe("exact text", () => {
  it("valid UTF-8 (BOM included) round-trips as UTF-8", () => {
    const bytes = Buffer.from("\uFEFFcafé ✓\r\n", "utf8");
    const t = decodeExact(bytes);
    expect(t.latin1).toBe(false);
    expect(encodeExact(t.text, t.latin1).equals(bytes)).toBe(true);
  });

  it("bytes that are not UTF-8 round-trip exactly, edits included, and show as U+FFFD", () => {
    const bytes = Buffer.from([0x41, 0xff, 0x80, 0x0d, 0x0a, 0xe9, 0x9b, 0x42]);
    const t = decodeExact(bytes);
    expect(t.latin1).toBe(true);
    expect(encodeExact(t.text, true).equals(bytes)).toBe(true);
    const edited = encodeExact(t.text.replace("B", "--secret id=x"), true);
    expect(edited.equals(Buffer.concat([bytes.subarray(0, 7), Buffer.from("--secret id=x")]))).toBe(true);
    expect(shownText(t)).not.toMatch(/[\u0080-\u009f]/);
    expect(shownText(t)).toContain("\uFFFD");
  });

  it("in a latin1 text a UTF-8 insertion becomes its bytes; a character above U+00FF is refused", () => {
    expect(encodeExact(inFileCharacters("clé", true), true).equals(Buffer.from("clé", "utf8"))).toBe(true);
    expect(problem(() => encodeExact("a ✓", true))).toContain("not UTF-8");
  });
});
