/**
 * readImage: every platform image of an input (OCI layout folder, OCI archive, docker-archive;
 * gzipped or not), its config, then its layers' tar entries, each read once as a stream and
 * nothing extracted. Each layer blob is hashed as it streams by and must match its digest: a
 * blob that does not is an error, not a finding about someone else's bytes.
 *
 * Entries arrive layer by layer in the order the input stores the blobs (an archive may hold
 * the top layer first); each call names its layer.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { PassThrough, type Readable } from "node:stream";
import { posix } from "node:path";
import { ImageReadError, type EntryKind, type ImageVisitor, type LayerEntry, type LayerMeta, type ReadImageOptions } from "./image.js";
import { archiveSource, folderSource, normaliseName, SourceError, type ImageSource } from "./image-source.js";
import { imagePlans } from "./image-plan.js";
import { decompressed, readUpTo, skip, tarEntries, type TarEntry } from "./layer-stream.js";

const DEFAULT_MAX_CONTENT = 64 * 1024;
const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";

const KINDS: Record<string, EntryKind> = {
  file: "file",
  "contiguous-file": "file",
  directory: "dir",
  symlink: "symlink",
  link: "hardlink",
};

/** A tar header as the auditor sees it; undefined for a name that is no path (`..`, empty). */
export function layerEntry(entry: TarEntry): LayerEntry | undefined {
  const h = entry.header;
  const path = normaliseName(h.name);
  if (path === undefined) return undefined;
  const kind = KINDS[h.type ?? "file"] ?? "other";
  const base = posix.basename(path);
  const dir = posix.dirname(path);
  const linkTarget = h.linkname ?? undefined;
  if (base === OPAQUE) return { path: dir === "." ? "" : dir, kind: "dir", size: 0, opaque: true };
  if (base.startsWith(WHITEOUT)) {
    const gone = base.slice(WHITEOUT.length);
    return { path: dir === "." ? gone : `${dir}/${gone}`, kind, size: 0, whiteout: true };
  }
  return { path, kind, size: h.size ?? 0, ...(linkTarget ? { linkTarget } : {}) };
}

async function sourceFor(input: string): Promise<ImageSource> {
  const st = await stat(input).catch(() => undefined);
  if (!st) throw new SourceError("no such file or folder");
  if (st.isDirectory()) return folderSource(input);
  if (st.isFile()) return archiveSource(input);
  throw new SourceError("not a folder or a regular file");
}

async function readLayer(raw: Readable, layers: LayerMeta[], visitor: ImageVisitor, cap: number, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  const tap = new PassThrough();
  raw.on("data", (chunk: Buffer) => hash.update(chunk));
  raw.on("error", (e) => tap.destroy(e));
  raw.pipe(tap);
  for await (const entry of tarEntries(decompressed(tap))) {
    if (signal?.aborted) throw new SourceError("interrupted");
    const seen = layerEntry(entry);
    if (!seen) {
      await skip(entry);
      continue;
    }
    const wanted = seen.kind === "file" && !seen.whiteout && seen.size <= cap && layers.some((l) => visitor.wantsContent(l, seen));
    const content = wanted ? await readUpTo(entry, cap) : undefined;
    if (!wanted) await skip(entry);
    for (const layer of layers) visitor.entry(layer, seen, content);
  }
  return "sha256:" + hash.digest("hex");
}

/**
 * Reads every image of `input` into `visitor`. Rejects with ImageReadError (naming the input)
 * when the input is no image, is malformed, or names anything outside itself.
 */
export async function readImage(input: string, visitor: ImageVisitor, options: ReadImageOptions = {}): Promise<void> {
  const cap = options.maxContentBytes ?? DEFAULT_MAX_CONTENT;
  try {
    const src = await sourceFor(input);
    for (const plan of await imagePlans(src, input)) {
      visitor.image(plan.meta);
      const byBlob = new Map<string, LayerMeta[]>();
      plan.layerBlobs.forEach((name, i) => byBlob.set(name, [...(byBlob.get(name) ?? []), plan.meta.layers[i]]));
      await src.eachBlob(new Set(byBlob.keys()), async (name, raw) => {
        const layers = byBlob.get(normaliseName(name) ?? name) ?? byBlob.get(name) ?? [];
        const digest = await readLayer(raw, layers, visitor, cap, options.signal);
        // A blob named by its digest must match it (an old docker-archive's layer.tar has no digest of its own).
        const named = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(normaliseName(name) ?? "");
        const expected = named ? `sha256:${named[1]}` : undefined;
        if (expected && expected !== digest) throw new SourceError(`layer ${name} does not match its digest ${expected}`);
      });
    }
  } catch (e) {
    if (e instanceof ImageReadError) throw e;
    const message = e instanceof SourceError ? e.message : `cannot be read: ${(e as Error).message}`;
    throw new ImageReadError(input, message);
  }
}
