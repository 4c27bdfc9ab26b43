/**
 * Where an image's files come from: a folder (an OCI layout, or an unpacked docker-archive) or
 * an archive (OCI archive, docker-archive; gzipped or not). Both answer the same two questions:
 * the small JSON files (index, manifests, configs), and a stream of each layer blob. Names are
 * relative paths the image's own index gives, so each is checked before it is opened: nothing
 * outside the input is read, whatever a stranger's index says.
 */
import { createReadStream } from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import { isAbsolute, join, sep } from "node:path";
import { Readable } from "node:stream";
import { decompressed, readUpTo, skip, tarEntries } from "./layer-stream.js";

/** A JSON file larger than this is no index, manifest or config anyone writes. */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** All JSON kept from one archive's first pass. */
const MAX_JSON_TOTAL = 64 * 1024 * 1024;

export interface ImageSource {
  /** A file's bytes when it exists, is a regular file and is at most MAX_JSON_BYTES. */
  small(name: string): Promise<Buffer | undefined>;
  has(name: string): boolean;
  /** Each named blob's raw stream in turn (the order the input stores them, for an archive). */
  eachBlob(names: ReadonlySet<string>, visit: (name: string, raw: Readable) => Promise<void>): Promise<void>;
}

/** `a/./b`, `./a`, `/a` → `a/b`, `a`; a `..` segment or an empty name → undefined. */
export function normaliseName(name: string): string | undefined {
  const parts = name.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) return undefined;
  return parts.join("/");
}

export class SourceError extends Error {}

export async function folderSource(root: string): Promise<ImageSource> {
  const base = await realpath(root);
  const inside = async (name: string): Promise<string> => {
    const clean = normaliseName(name);
    if (clean === undefined || isAbsolute(name)) throw new SourceError(`${JSON.stringify(name)} is not a path inside the image`);
    const full = join(base, clean);
    const st = await lstat(full).catch(() => undefined);
    if (!st) throw new SourceError(`${clean} is missing`);
    if (!st.isFile()) throw new SourceError(`${clean} is not a regular file`);
    const real = await realpath(full);
    if (!real.startsWith(base + sep)) throw new SourceError(`${clean} resolves outside the image folder`);
    return real;
  };
  const names = new Set<string>();
  for (const top of ["index.json", "manifest.json", "oci-layout"]) {
    if ((await lstat(join(base, top)).catch(() => undefined))?.isFile()) names.add(top);
  }
  return {
    has: (name) => names.has(name),
    async small(name) {
      const path = await inside(name);
      const handle = await open(path, "r");
      try {
        const { size } = await handle.stat();
        if (size > MAX_JSON_BYTES) throw new SourceError(`${normaliseName(name)} is larger than ${MAX_JSON_BYTES} bytes`);
        const buf = Buffer.alloc(size);
        const { bytesRead } = await handle.read(buf, 0, size, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    async eachBlob(wanted, visit) {
      for (const name of wanted) await visit(name, createReadStream(await inside(name)));
    },
  };
}

/** Reads the archive once for its JSON files; eachBlob reads it again for the layers. */
export async function archiveSource(file: string): Promise<ImageSource> {
  const small = new Map<string, Buffer>();
  const all = new Set<string>();
  let kept = 0;
  for await (const entry of tarEntries(decompressed(createReadStream(file)))) {
    const name = normaliseName(entry.header.name);
    if (name === undefined || entry.header.type !== "file") {
      await skip(entry);
      continue;
    }
    all.add(name);
    const body = await readUpTo(entry, MAX_JSON_BYTES);
    const first = body?.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    if (body && (first === 0x7b || first === 0x5b)) {
      kept += body.length;
      if (kept > MAX_JSON_TOTAL) throw new SourceError(`more than ${MAX_JSON_TOTAL} bytes of JSON files`);
      small.set(name, body);
    }
  }
  return {
    has: (name) => all.has(name),
    async small(name) {
      const clean = normaliseName(name);
      if (clean === undefined || isAbsolute(name)) throw new SourceError(`${JSON.stringify(name)} is not a path inside the archive`);
      if (!all.has(clean)) throw new SourceError(`${clean} is missing`);
      return small.get(clean);
    },
    async eachBlob(wanted, visit) {
      const clean = new Set([...wanted].map((n) => normaliseName(n)));
      const seen = new Set<string>();
      for await (const entry of tarEntries(decompressed(createReadStream(file)))) {
        const name = normaliseName(entry.header.name);
        if (name !== undefined && entry.header.type === "file" && clean.has(name) && !seen.has(name)) {
          seen.add(name);
          await visit(name, Readable.from(entry));
        }
        await skip(entry);
      }
      const missing = [...clean].filter((n) => n !== undefined && !seen.has(n));
      if (missing.length > 0) throw new SourceError(`${missing[0]} is missing`);
    },
  };
}
