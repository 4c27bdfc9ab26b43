import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic, type AtomicFileHandle, type AtomicFs } from "../src/cli/write-atomic.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "unbake-atomic-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const mode = (p: string): number => fs.statSync(p).mode & 0o7777;
/** Everything in `d` except the names given: temporary leftovers show up here. */
const others = (d: string, ...keep: string[]): string[] => fs.readdirSync(d).filter((n) => !keep.includes(n)).sort();

/** fs.promises with chosen steps replaced. */
function failingFs(over: Partial<AtomicFs> & { handle?: Partial<AtomicFileHandle> }): AtomicFs {
  const real = fs.promises;
  return {
    open: async (p, flags, m) => {
      const h = over.open ? await over.open(p, flags, m) : await real.open(p, flags, m);
      if (!over.handle) return h;
      const hh = over.handle;
      return {
        writeFile: hh.writeFile ?? ((d) => h.writeFile(d)),
        chmod: hh.chmod ?? ((x) => h.chmod(x)),
        chown: hh.chown ?? ((u, g) => h.chown(u, g)),
        sync: hh.sync ?? (() => h.sync()),
        close: () => h.close(),
      };
    },
    stat: over.stat ?? ((p) => real.stat(p)),
    lstat: over.lstat ?? ((p) => real.lstat(p)),
    readlink: over.readlink ?? ((p) => real.readlink(p)),
    realpath: over.realpath ?? ((p) => real.realpath(p)),
    rename: over.rename ?? ((a, b) => real.rename(a, b)),
    unlink: over.unlink ?? ((p) => real.unlink(p)),
  };
}

function errno(code: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected`);
  e.code = code;
  return e;
}

describe("writeFileAtomic: contents and metadata", () => {
  it("replaces the contents (string and bytes)", async () => {
    const f = path.join(dir, "Dockerfile");
    fs.writeFileSync(f, "FROM old\nARG TOKEN\n");
    await writeFileAtomic(f, "FROM new\n");
    expect(fs.readFileSync(f, "utf8")).toBe("FROM new\n");
    await writeFileAtomic(f, new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a]));
    expect([...fs.readFileSync(f)]).toEqual([0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a]);
    expect(others(dir, "Dockerfile")).toEqual([]);
  });

  it("writes a shorter content without leftovers of the longer one", async () => {
    const f = path.join(dir, "Dockerfile");
    fs.writeFileSync(f, "x".repeat(10_000));
    await writeFileAtomic(f, "short");
    expect(fs.readFileSync(f, "utf8")).toBe("short");
  });

  it.each([
    ["0755", 0o755],
    ["0600", 0o600],
    ["0640", 0o640],
    ["4755 (setuid)", 0o4755],
  ])("keeps mode %s", async (_name, m) => {
    const f = path.join(dir, "run.sh");
    fs.writeFileSync(f, "old");
    fs.chmodSync(f, m);
    await writeFileAtomic(f, "new");
    expect(fs.readFileSync(f, "utf8")).toBe("new");
    expect(mode(f).toString(8)).toBe(m.toString(8));
  });

  it("really replaces the inode (rename, not an in-place rewrite)", async () => {
    const f = path.join(dir, "Dockerfile");
    fs.writeFileSync(f, "old");
    const before = fs.statSync(f).ino;
    await writeFileAtomic(f, "new");
    expect(fs.statSync(f).ino).not.toBe(before);
  });

  it("keeps the owner when running as root", async (ctx) => {
    if (!isRoot) ctx.skip("not running as root: chown cannot be tested");
    const f = path.join(dir, "Dockerfile");
    fs.writeFileSync(f, "old");
    fs.chownSync(f, 4321, 8765);
    await writeFileAtomic(f, "new");
    const st = fs.statSync(f);
    expect([st.uid, st.gid]).toEqual([4321, 8765]);
  });

  it("creates a missing file with mode 0644 whatever the umask", async () => {
    const f = path.join(dir, ".dockerignore");
    let old: number | undefined;
    try {
      old = process.umask(0o077);
    } catch {
      // process.umask cannot be set in worker threads: the default umask is tested then
    }
    try {
      await writeFileAtomic(f, ".env\n");
    } finally {
      if (old !== undefined) process.umask(old);
    }
    expect(fs.readFileSync(f, "utf8")).toBe(".env\n");
    expect(mode(f).toString(8)).toBe("644");
    expect(others(dir, ".dockerignore")).toEqual([]);
  });

  it("creates the temporary file beside the target, exclusively, with a name based on the target", async () => {
    const sub = path.join(dir, "svc");
    fs.mkdirSync(sub);
    const f = path.join(sub, "Dockerfile.prod");
    fs.writeFileSync(f, "old");
    const opened: Array<{ p: string; flags: string }> = [];
    const renamed: string[] = [];
    const spy = failingFs({
      open: (p, flags, m) => {
        opened.push({ p, flags });
        return fs.promises.open(p, flags, m);
      },
      rename: (a, b) => {
        renamed.push(a);
        expect(fs.readFileSync(a, "utf8")).toBe("new");
        expect(fs.readFileSync(b, "utf8")).toBe("old");
        return fs.promises.rename(a, b);
      },
    });
    await writeFileAtomic(f, "new", spy);
    expect(renamed).toHaveLength(1);
    expect(path.dirname(renamed[0]!)).toBe(fs.realpathSync(sub));
    expect(path.basename(renamed[0]!)).toMatch(/^\.Dockerfile\.prod\.unbake-[0-9a-f]{12}\.tmp$/);
    expect(opened[0]).toEqual({ p: renamed[0], flags: "wx" });
    expect(fs.readFileSync(f, "utf8")).toBe("new");
  });

  it("two concurrent writes to one file both succeed and one of them wins", async () => {
    const f = path.join(dir, "Dockerfile");
    fs.writeFileSync(f, "old");
    await Promise.all([writeFileAtomic(f, "A".repeat(100_000)), writeFileAtomic(f, "B".repeat(100_000))]);
    expect(["A".repeat(100_000), "B".repeat(100_000)]).toContain(fs.readFileSync(f, "utf8"));
    expect(others(dir, "Dockerfile")).toEqual([]);
  });
});

describe("writeFileAtomic: symlinks", () => {
  it("writes through a relative symlink and the link stays a link", async () => {
    const real = path.join(dir, "real.Dockerfile");
    const link = path.join(dir, "Dockerfile");
    fs.writeFileSync(real, "old");
    fs.chmodSync(real, 0o600);
    fs.symlinkSync("real.Dockerfile", link);
    await writeFileAtomic(link, "new");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe("real.Dockerfile");
    expect(fs.readFileSync(real, "utf8")).toBe("new");
    expect(mode(real).toString(8)).toBe("600");
    expect(others(dir, "real.Dockerfile", "Dockerfile")).toEqual([]);
  });

  it("follows a chain of links across folders, temp file beside the real file", async () => {
    fs.mkdirSync(path.join(dir, "a"));
    fs.mkdirSync(path.join(dir, "b"));
    const real = path.join(dir, "b", "Dockerfile");
    fs.writeFileSync(real, "old");
    fs.symlinkSync("../b/Dockerfile", path.join(dir, "a", "mid"));
    fs.symlinkSync(path.join(dir, "a", "mid"), path.join(dir, "top"));
    const renamed: string[] = [];
    await writeFileAtomic(
      path.join(dir, "top"),
      "new",
      failingFs({
        rename: (a, b) => {
          renamed.push(a, b);
          return fs.promises.rename(a, b);
        },
      }),
    );
    expect(fs.lstatSync(path.join(dir, "top")).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(path.join(dir, "a", "mid")).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, "utf8")).toBe("new");
    expect(renamed[1]).toBe(fs.realpathSync(real));
    expect(path.dirname(renamed[0]!)).toBe(fs.realpathSync(path.join(dir, "b")));
  });

  it("writes into the real folder when a parent folder is a symlink", async () => {
    fs.mkdirSync(path.join(dir, "real"));
    fs.writeFileSync(path.join(dir, "real", "Dockerfile"), "old");
    fs.symlinkSync("real", path.join(dir, "alias"));
    await writeFileAtomic(path.join(dir, "alias", "Dockerfile"), "new");
    expect(fs.readFileSync(path.join(dir, "real", "Dockerfile"), "utf8")).toBe("new");
    expect(fs.lstatSync(path.join(dir, "alias")).isSymbolicLink()).toBe(true);
    expect(others(path.join(dir, "real"), "Dockerfile")).toEqual([]);
  });

  it("a dangling link creates the file it names", async () => {
    const link = path.join(dir, "Dockerfile");
    fs.symlinkSync("target.Dockerfile", link);
    await writeFileAtomic(link, "new");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, "target.Dockerfile"), "utf8")).toBe("new");
  });

  it("a symlink loop fails with ELOOP and creates nothing", async () => {
    fs.symlinkSync("b", path.join(dir, "a"));
    fs.symlinkSync("a", path.join(dir, "b"));
    await expect(writeFileAtomic(path.join(dir, "a"), "x")).rejects.toMatchObject({ code: "ELOOP" });
    expect(others(dir, "a", "b")).toEqual([]);
  });
});

describe("writeFileAtomic: checkTarget", () => {
  it("sees the real file a link leads to, or a new file in its folder's real path; a throw writes nothing", async () => {
    const real = fs.realpathSync(dir);
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(path.join(dir, "sub", "t"), "old");
    fs.symlinkSync("sub/t", path.join(dir, "l"));
    fs.symlinkSync("sub", path.join(dir, "sublink"));
    const seen: string[] = [];
    const record = (p: string) => void seen.push(p);
    await writeFileAtomic(path.join(dir, "l"), "a", undefined, record);
    await writeFileAtomic(path.join(dir, "sublink", "new"), "b", undefined, record);
    expect(seen).toEqual([path.join(real, "sub", "t"), path.join(real, "sub", "new")]);
    const refuse = () => {
      throw new Error("refused");
    };
    await expect(writeFileAtomic(path.join(dir, "l"), "c", undefined, refuse)).rejects.toThrow("refused");
    await expect(writeFileAtomic(path.join(dir, "other"), "c", undefined, refuse)).rejects.toThrow("refused");
    expect(fs.readFileSync(path.join(dir, "sub", "t"), "utf8")).toBe("a");
    expect(others(dir, "sub", "l", "sublink")).toEqual([]);
    expect(others(path.join(dir, "sub"), "t", "new")).toEqual([]);
  });
});

describe("writeFileAtomic: failures leave the target untouched and no temporary file", () => {
  const setupTarget = (): string => {
    const f = path.join(dir, "Dockerfile");
    fs.writeFileSync(f, "original");
    fs.chmodSync(f, 0o755);
    return f;
  };
  const expectUntouched = (f: string): void => {
    expect(fs.readFileSync(f, "utf8")).toBe("original");
    expect(mode(f).toString(8)).toBe("755");
    expect(others(dir, "Dockerfile")).toEqual([]);
  };

  it("rename fails", async () => {
    const f = setupTarget();
    let tmpSeen = "";
    const err = errno("EXDEV");
    await expect(
      writeFileAtomic(
        f,
        "new",
        failingFs({
          rename: async (a) => {
            tmpSeen = a;
            expect(fs.existsSync(a)).toBe(true);
            throw err;
          },
        }),
      ),
    ).rejects.toBe(err);
    expect(tmpSeen).not.toBe("");
    expect(fs.existsSync(tmpSeen)).toBe(false);
    expectUntouched(f);
  });

  it("fsync fails", async () => {
    const f = setupTarget();
    await expect(writeFileAtomic(f, "new", failingFs({ handle: { sync: async () => Promise.reject(errno("EIO")) } }))).rejects.toMatchObject({
      code: "EIO",
    });
    expectUntouched(f);
  });

  it("the write fails half-way (disk full)", async () => {
    const f = setupTarget();
    let h: fs.promises.FileHandle | undefined;
    const io = failingFs({
      open: async (p, flags, m) => (h = await fs.promises.open(p, flags, m)),
      handle: {
        writeFile: async () => {
          await h!.write("half");
          throw errno("ENOSPC");
        },
      },
    });
    await expect(writeFileAtomic(f, "new contents", io)).rejects.toMatchObject({ code: "ENOSPC" });
    expectUntouched(f);
  });

  it("chmod fails", async () => {
    const f = setupTarget();
    await expect(writeFileAtomic(f, "new", failingFs({ handle: { chmod: async () => Promise.reject(errno("EPERM")) } }))).rejects.toMatchObject({
      code: "EPERM",
    });
    expectUntouched(f);
  });

  it("a failing chown is ignored (best effort)", async (ctx) => {
    if (!isRoot) ctx.skip("not running as root: chown is not attempted");
    const f = setupTarget();
    let called = false;
    await writeFileAtomic(
      f,
      "new",
      failingFs({
        handle: {
          chown: async () => {
            called = true;
            throw errno("EPERM");
          },
        },
      }),
    );
    expect(called).toBe(true);
    expect(fs.readFileSync(f, "utf8")).toBe("new");
    expect(others(dir, "Dockerfile")).toEqual([]);
  });

  it("the target is a directory", async () => {
    const d = path.join(dir, "Dockerfile");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "inside"), "keep");
    await expect(writeFileAtomic(d, "new")).rejects.toMatchObject({ code: "EISDIR" });
    expect(fs.readdirSync(d)).toEqual(["inside"]);
    expect(others(dir, "Dockerfile")).toEqual([]);
  });

  it("the folder does not exist", async () => {
    await expect(writeFileAtomic(path.join(dir, "missing", "Dockerfile"), "x")).rejects.toMatchObject({ code: "ENOENT" });
    expect(others(dir)).toEqual([]);
  });

  it("a temporary-file name collision is an error, and the other file is not removed", async () => {
    const f = setupTarget();
    let clash = "";
    const io = failingFs({
      open: async (p, flags, m) => {
        clash = p;
        fs.writeFileSync(p, "someone else's");
        return fs.promises.open(p, flags, m);
      },
    });
    await expect(writeFileAtomic(f, "new", io)).rejects.toMatchObject({ code: "EEXIST" });
    expect(fs.readFileSync(clash, "utf8")).toBe("someone else's");
    fs.unlinkSync(clash);
    expectUntouched(f);
  });
});

describe("writeFileAtomic: a concurrent reader", () => {
  const SIZE = 2 * 1024 * 1024;

  /** Reads `file` in a loop on another thread; counts reads that are neither A nor B. */
  function startReader(file: string): { stop: () => Promise<{ reads: number; bad: number; a: number; b: number }> } {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `
      const { workerData, parentPort } = require("node:worker_threads");
      const fs = require("node:fs");
      const { file, size, flag } = workerData;
      const A = Buffer.alloc(size, "a"), B = Buffer.alloc(size, "b");
      let reads = 0, bad = 0, a = 0, b = 0;
      while (Atomics.load(flag, 0) === 0) {
        let buf;
        try { buf = fs.readFileSync(file); } catch { bad++; continue; }
        reads++;
        if (buf.equals(A)) a++; else if (buf.equals(B)) b++; else bad++;
      }
      parentPort.postMessage({ reads, bad, a, b });
      `,
      { eval: true, workerData: { file, size: SIZE, flag } },
    );
    const result = new Promise<{ reads: number; bad: number; a: number; b: number }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    return {
      stop: async () => {
        Atomics.store(flag, 0, 1);
        const r = await result;
        await worker.terminate();
        return r;
      },
    };
  }

  async function hammer(write: (f: string, d: Buffer) => Promise<void>, rounds: number) {
    const f = path.join(dir, "Dockerfile");
    const A = Buffer.alloc(SIZE, "a");
    const B = Buffer.alloc(SIZE, "b");
    fs.writeFileSync(f, A);
    const reader = startReader(f);
    await new Promise((r) => setTimeout(r, 50));
    let failure: unknown;
    try {
      for (let i = 0; i < rounds; i++) {
        await write(f, i % 2 === 0 ? B : A);
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      failure = err;
    }
    const res = await reader.stop();
    if (failure) throw failure;
    return res;
  }

  it("sees either the old or the new contents, never a partial file", async () => {
    const r = await hammer((f, d) => writeFileAtomic(f, d), 60);
    expect(r.bad).toBe(0);
    expect(r.reads).toBeGreaterThan(10);
    // The reader did run while the file changed: it saw both versions.
    expect(r.a).toBeGreaterThan(0);
    expect(r.b).toBeGreaterThan(0);
  });

  it("(control) the same reader does catch a plain, non-atomic writeFile", async () => {
    // Shows that the check above can fail: truncate-then-write is seen half-done.
    let r = { reads: 0, bad: 0, a: 0, b: 0 };
    for (let attempt = 0; attempt < 5 && r.bad === 0; attempt++) {
      r = await hammer(async (f, d) => {
        const h = await fs.promises.open(f, "w");
        try {
          for (let off = 0; off < d.length; off += 64 * 1024) await h.write(d, off, 64 * 1024);
        } finally {
          await h.close();
        }
      }, 60);
    }
    expect(r.bad).toBeGreaterThan(0);
  });
});
