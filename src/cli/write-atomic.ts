/**
 * Atomic file replacement: readers see the old contents or the new ones, never a
 * partly written file, and a failure leaves the target as it was.
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import * as path from "node:path";

/** The file handle operations used; `fs.promises.FileHandle` has them all. */
export interface AtomicFileHandle {
  writeFile(data: string | Uint8Array): Promise<void>;
  chmod(mode: number): Promise<void>;
  chown(uid: number, gid: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The filesystem operations used, `fs.promises` by default. Tests pass a wrapper to
 * force a failure at a chosen step.
 */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  stat(path: string): Promise<nodeFs.Stats>;
  lstat(path: string): Promise<nodeFs.Stats>;
  readlink(path: string): Promise<string>;
  realpath(path: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

const NEW_FILE_MODE = 0o644;
const MAX_LINKS = 40;

function code(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

function fsError(codeName: string, message: string, target: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${codeName}: ${message}, '${target}'`);
  err.code = codeName;
  err.path = target;
  return err;
}

/**
 * The file the data must go to: the path itself, or, for a symlink (chain), the file
 * it points to, so the link stays a link. A dangling link resolves to the path it
 * names (which is then created).
 */
async function resolveTarget(fs: AtomicFs, file: string): Promise<string> {
  let current = path.resolve(file);
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: nodeFs.Stats;
    try {
      st = await fs.lstat(current);
    } catch (err) {
      if (code(err) === "ENOENT") return current;
      throw err;
    }
    if (!st.isSymbolicLink()) {
      // Resolve symlinked parent folders too, so the temporary file sits beside the
      // real file and rename(2) stays on one filesystem.
      return fs.realpath(current);
    }
    const link = await fs.readlink(current);
    current = path.resolve(path.dirname(current), link);
  }
  throw fsError("ELOOP", "too many levels of symbolic links", file);
}

async function realTarget(fs: AtomicFs, target: string): Promise<string> {
  try {
    return await fs.realpath(target);
  } catch (err) {
    if (code(err) !== "ENOENT") throw err;
    return path.join(await fs.realpath(path.dirname(target)), path.basename(target));
  }
}

function tempName(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.unbake-${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Replace the file's contents atomically: write a temporary file in the same folder
 * (name based on the target, random suffix, exclusive create), fsync it, give it the
 * target's mode (and owner when running as root, best effort), rename it over the
 * target. On any failure the temporary file is removed, the target is untouched and
 * the error is rethrown. If the target is a symlink, the link's real target is
 * written, so the link stays a link. A target that does not exist is created with
 * mode 0o644 (exactly, whatever the umask).
 *
 * checkTarget (optional) sees the real path of the file to be replaced and throws to refuse.
 *
 * Hard links of the target are not updated (the path gets a new inode), as with any
 * rename-based writer.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  fs: AtomicFs = nodeFs.promises,
  checkTarget?: (realTarget: string) => void,
): Promise<void> {
  const target = await resolveTarget(fs, file);
  // The file that would really be replaced (a new file: in its folder's real path), for a
  // caller that keeps writes inside some folders; it throws to refuse, before anything is written.
  if (checkTarget) checkTarget(await realTarget(fs, target));

  let mode = NEW_FILE_MODE;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = await fs.stat(target);
    if (st.isDirectory()) throw fsError("EISDIR", "illegal operation on a directory", target);
    if (!st.isFile()) throw fsError("EINVAL", "not a regular file", target);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch (err) {
    if (code(err) !== "ENOENT") throw err;
  }

  const tmp = tempName(target);
  let handle: AtomicFileHandle | undefined;
  let created = false;
  try {
    handle = await fs.open(tmp, "wx", 0o600);
    created = true;
    await handle.writeFile(data);
    // chown before chmod: chown(2) clears the set-user/group-ID bits.
    if (owner && typeof process.getuid === "function" && process.getuid() === 0) {
      try {
        await handle.chown(owner.uid, owner.gid);
      } catch {
        // best effort: the contents matter more than the owner
      }
    }
    await handle.chmod(mode);
    await handle.sync();
    const h = handle;
    handle = undefined;
    await h.close();
    await fs.rename(tmp, target);
    created = false;
  } catch (err) {
    if (handle) {
      try {
        await handle.close();
      } catch {
        // already failing
      }
    }
    if (created) {
      try {
        await fs.unlink(tmp);
      } catch {
        // nothing more to do
      }
    }
    throw err;
  }

  // Make the rename itself durable: fsync the folder (best effort, not on every OS).
  try {
    const dir = await fs.open(path.dirname(target), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // ignore
  }
}
