/**
 * Reading an image that `buildah push IMG oci:DIR` wrote: every file of the OCI layout (index,
 * manifest, config, layer blobs), layers decompressed and split into tar entries, so a canary can
 * be searched for everywhere and the image's final filesystem can be read back.
 */
import { gunzipSync } from "node:zlib";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface TarEntry {
  /** Path inside the layer, without a leading `./` or `/` and without a trailing `/`. */
  path: string;
  /** "0" file, "1" hard link, "2" symlink, "5" folder … (the tar typeflag). */
  type: string;
  linkname: string;
  content: Buffer;
  /** The header bytes (and pax/GNU long-name records) that came before the content. */
  header: Buffer;
}

export interface OciImage {
  dir: string;
  manifestDigest: string;
  manifest: { config: { digest: string }; layers: { digest: string; mediaType: string }[] };
  config: { history?: { created_by?: string; comment?: string; empty_layer?: boolean }[]; config?: Record<string, unknown> };
  configDigest: string;
  /** Tar entries of each layer, in manifest order (base first). */
  layers: { digest: string; entries: TarEntry[] }[];
  /** Every regular file of the layout, decompressed when gzip: path relative to `dir` → bytes. */
  files: Map<string, Buffer>;
}

const GZIP = Buffer.from([0x1f, 0x8b]);
const ZSTD = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** The bytes of a blob as the image means them: gzip layers gunzipped, zstd refused loudly. */
export function decompress(bytes: Buffer, name: string): Buffer {
  if (bytes.subarray(0, 2).equals(GZIP)) return gunzipSync(bytes);
  if (bytes.subarray(0, 4).equals(ZSTD)) throw new Error(`${name}: zstd-compressed blob; this test only reads gzip or plain layers`);
  return bytes;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

export function readOciImage(dir: string): OciImage {
  const files = new Map<string, Buffer>();
  for (const p of walk(dir)) files.set(relative(dir, p), decompress(readFileSync(p), p));
  const blob = (digest: string): Buffer => {
    const [algo, hex] = digest.split(":");
    const bytes = files.get(join("blobs", algo, hex));
    if (!bytes) throw new Error(`${dir}: blob ${digest} is missing`);
    return bytes;
  };
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  if (index.manifests.length !== 1) throw new Error(`${dir}: expected one manifest, found ${index.manifests.length}`);
  const manifestDigest = index.manifests[0].digest;
  const manifest = JSON.parse(blob(manifestDigest).toString("utf8")) as OciImage["manifest"];
  const config = JSON.parse(blob(manifest.config.digest).toString("utf8")) as OciImage["config"];
  const layers = manifest.layers.map((l) => ({ digest: l.digest, entries: parseTar(blob(l.digest), l.digest) }));
  return { dir, manifestDigest, manifest, config, configDigest: manifest.config.digest, layers, files };
}

function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString("utf8");
}

function octal(b: Buffer): number {
  if (b[0] & 0x80) {
    // base-256 (GNU) for large values
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i];
    return n;
  }
  const s = cString(b).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

function normalise(path: string): string {
  return path.replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
}

/** A plain ustar/pax/GNU tar reader: enough for the layers buildah writes. */
export function parseTar(tar: Buffer, name: string): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let paxPath: string | undefined;
  let paxLink: string | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pending: Buffer[] = [];
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((x) => x === 0)) break;
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 0x30);
    const content = tar.subarray(offset + 512, offset + 512 + size);
    if (content.length !== size) throw new Error(`${name}: truncated tar entry at ${offset}`);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "x" || type === "g") {
      pending.push(header, content);
      if (type === "x") {
        for (const rec of parsePax(content)) {
          if (rec[0] === "path") paxPath = rec[1];
          if (rec[0] === "linkpath") paxLink = rec[1];
        }
      }
      continue;
    }
    if (type === "L" || type === "K") {
      pending.push(header, content);
      if (type === "L") longName = cString(content);
      else longLink = cString(content);
      continue;
    }
    const magic = header.subarray(257, 263).toString("latin1");
    const prefix = magic.startsWith("ustar") ? cString(header.subarray(345, 500)) : "";
    const base = cString(header.subarray(0, 100));
    const path = paxPath ?? longName ?? (prefix ? `${prefix}/${base}` : base);
    const linkname = paxLink ?? longLink ?? cString(header.subarray(157, 257));
    entries.push({ path: normalise(path), type, linkname, content, header: Buffer.concat([...pending, header]) });
    paxPath = paxLink = longName = longLink = undefined;
    pending = [];
  }
  return entries;
}

function parsePax(b: Buffer): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < b.length) {
    const space = b.indexOf(0x20, i);
    if (space === -1) break;
    const len = parseInt(b.subarray(i, space).toString("latin1"), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = b.subarray(space + 1, i + len - 1).toString("utf8");
    const eq = rec.indexOf("=");
    out.push([rec.slice(0, eq), rec.slice(eq + 1)]);
    i += len;
  }
  return out;
}

/**
 * The image's filesystem after applying every layer (OCI whiteouts included): path → the entry
 * that wins.
 */
export function flatten(image: OciImage): Map<string, TarEntry> {
  const fs = new Map<string, TarEntry>();
  const removeUnder = (dir: string, keepSelf: boolean) => {
    for (const p of [...fs.keys()]) {
      if ((p === dir && !keepSelf) || p.startsWith(dir === "" ? "" : `${dir}/`)) fs.delete(p);
    }
  };
  for (const layer of image.layers) {
    // opaque markers and whiteouts hide what lower layers had; they apply before this layer's files
    for (const e of layer.entries) {
      const slash = e.path.lastIndexOf("/");
      const dir = slash === -1 ? "" : e.path.slice(0, slash);
      const base = e.path.slice(slash + 1);
      if (base === ".wh..wh..opq") removeUnder(dir, true);
      else if (base.startsWith(".wh.")) removeUnder((dir ? `${dir}/` : "") + base.slice(4), false);
    }
    for (const e of layer.entries) {
      if (!e.path.split("/").pop()!.startsWith(".wh.")) fs.set(e.path, e);
    }
  }
  return fs;
}

/** Everywhere `needle` occurs in the pushed image, as readable locations (empty: nowhere). */
export function findInImage(image: OciImage, needle: string): string[] {
  const bytes = Buffer.from(needle, "utf8");
  const found: string[] = [];
  // 1. Every file of the layout, decompressed: catches anything, however it is stored.
  for (const [path, content] of image.files) {
    if (content.includes(bytes)) found.push(`file ${path}${describeBlob(image, path)}`);
  }
  // 2. Where exactly, for a readable failure: layer entries, config fields, history.
  image.layers.forEach((layer, i) => {
    for (const e of layer.entries) {
      if (e.content.includes(bytes)) found.push(`layer ${i} (${short(layer.digest)}): content of /${e.path}`);
      if (e.header.includes(bytes) || e.path.includes(needle) || e.linkname.includes(needle)) {
        found.push(`layer ${i} (${short(layer.digest)}): tar header of /${e.path}`);
      }
    }
  });
  for (const where of findInJson(image.config, needle, "config")) found.push(where);
  return found;
}

function describeBlob(image: OciImage, path: string): string {
  const digest = path.startsWith("blobs/") ? path.slice(6).replace("/", ":") : "";
  if (digest === image.manifestDigest) return " (the manifest)";
  if (digest === image.configDigest) return " (the config, with the history)";
  const i = image.layers.findIndex((l) => l.digest === digest);
  return i === -1 ? "" : ` (layer ${i})`;
}

function short(digest: string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}

export function findInJson(value: unknown, needle: string, at: string): string[] {
  if (typeof value === "string") return value.includes(needle) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findInJson(v, needle, `${at}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(k.includes(needle) ? [`${at} (key ${JSON.stringify(k)})`] : []),
      ...findInJson(v, needle, `${at}.${k}`),
    ]);
  }
  return [];
}
