/**
 * readImage over every input form, compression and layout it accepts, and over inputs a
 * stranger wrote to make it read elsewhere, hang or buffer: each of those is an ImageReadError
 * naming the input, with nothing read outside it.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readImage } from "../src/audit/read-image.js";
import { ImageReadError, type ImageMeta, type LayerEntry, type LayerMeta } from "../src/audit/image.js";
import { archiveOf, dockerArchiveFiles, ociFiles, sha256, tarOf, writeFolder, type ImageSpec } from "./helpers/image-builder.js";

const tmp = mkdtempSync(join(tmpdir(), "unbake-read-image-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const dir = join(tmp, String(n++));
  mkdirSync(dir);
  return dir;
};

interface Seen {
  images: ImageMeta[];
  entries: { layer: number; image: number; entry: LayerEntry; content?: string }[];
}

async function read(input: string, maxContentBytes?: number): Promise<Seen> {
  const seen: Seen = { images: [], entries: [] };
  await readImage(
    input,
    {
      image: (m) => seen.images.push(m),
      wantsContent: (_l: LayerMeta, e: LayerEntry) => e.path.endsWith(".npmrc") || e.path.endsWith(".netrc"),
      entry: (l, entry, content) => seen.entries.push({ layer: l.index, image: seen.images.length - 1, entry, content: content?.toString() }),
    },
    { maxContentBytes },
  );
  return seen;
}

async function failure(input: string): Promise<string> {
  const e = await read(input).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImageReadError);
  expect((e as ImageReadError).input).toBe(input);
  return (e as Error).message;
}

const TOKEN_LINE = "//registry.npmjs.org/:_authToken=canary-value\n";

async function leakySpec(): Promise<ImageSpec> {
  const bottom = await tarOf([
    { name: "root/", type: "directory" },
    { name: "root/.npmrc", content: TOKEN_LINE },
    { name: "etc/hosts", content: "127.0.0.1 localhost\n" },
  ]);
  const top = await tarOf([
    { name: "root/.wh..npmrc", content: "" },
    { name: "var/cache/.wh..wh..opq", content: "" },
    { name: "usr/bin/sh", type: "symlink", linkname: "/bin/busybox" },
    { name: "usr/bin/ash", type: "link", linkname: "usr/bin/sh" },
    { name: `deep/${"d".repeat(150)}/.npmrc`, content: "registry=https://example.org/\n" },
  ]);
  return {
    layers: [gzipSync(bottom), gzipSync(top)],
    env: ["PATH=/usr/bin", "API_TOKEN=abc"],
    labels: { maintainer: "x" },
    history: [{ created_by: "COPY .npmrc /root/ # buildkit" }, { created_by: "ENV API_TOKEN=abc", empty_layer: true }, { created_by: "RUN rm /root/.npmrc" }],
  };
}

function expectLeaky(seen: Seen): void {
  expect(seen.images).toHaveLength(1);
  const [img] = seen.images;
  expect(img.env).toEqual(["PATH=/usr/bin", "API_TOKEN=abc"]);
  expect(img.labels).toEqual({ maintainer: "x" });
  expect(img.history.map((h) => h.emptyLayer)).toEqual([false, true, false]);
  // The n-th layer was made by the n-th step that made a layer.
  expect(img.layers.map((l) => l.historyIndex)).toEqual([0, 2]);
  const byPath = (p: string) => seen.entries.find((e) => e.entry.path === p && !e.entry.whiteout);
  expect(byPath("root/.npmrc")).toMatchObject({ layer: 0, content: TOKEN_LINE });
  expect(byPath("etc/hosts")?.content).toBeUndefined();
  expect(seen.entries.find((e) => e.entry.whiteout)).toMatchObject({ layer: 1, entry: { path: "root/.npmrc", whiteout: true } });
  expect(seen.entries.find((e) => e.entry.opaque)).toMatchObject({ layer: 1, entry: { path: "var/cache", opaque: true } });
  expect(byPath("usr/bin/sh")?.entry).toMatchObject({ kind: "symlink", linkTarget: "/bin/busybox" });
  expect(byPath("usr/bin/ash")?.entry).toMatchObject({ kind: "hardlink", linkTarget: "usr/bin/sh" });
  // A name longer than a ustar header holds (a pax header) arrives whole.
  expect(byPath(`deep/${"d".repeat(150)}/.npmrc`)?.content).toBe("registry=https://example.org/\n");
}

describe("readImage: input forms", () => {
  it("reads an OCI layout folder (gzip layers)", async () => {
    const dir = writeFolder(fresh(), ociFiles([await leakySpec()]));
    const seen = await read(dir);
    expectLeaky(seen);
    expect(seen.images[0].platform).toBe("linux/amd64");
    expect(seen.images[0].layers[0].digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it("reads an OCI archive and the same archive gzipped, told by content, not by name", async () => {
    const files = ociFiles([await leakySpec()]);
    const plain = join(fresh(), "image.tar.gz"); // a misleading name
    writeFileSync(plain, await archiveOf(files));
    expectLeaky(await read(plain));
    const gz = join(fresh(), "image.tar");
    writeFileSync(gz, await archiveOf(files, true));
    expectLeaky(await read(gz));
  });

  it("reads an old docker-archive (manifest.json, plain layer.tar files, tags)", async () => {
    const spec = await leakySpec();
    spec.layers = spec.layers.map((l) => gunzipped(l));
    const file = join(fresh(), "saved.tar");
    writeFileSync(file, await archiveOf(dockerArchiveFiles(spec)));
    const seen = await read(file);
    expectLeaky(seen);
    expect(seen.images[0].names).toEqual(["example/app:latest"]);
    // The plain layer.tar is its own diff id.
    expect(seen.images[0].layers[0].digest).toBe(sha256(spec.layers[0]));
  });

  it("reads a zstd layer", async () => {
    // A tar holding root/.netrc, compressed by zstd 1.5 (-19); no zstd binary is needed here.
    const zst = Buffer.from(
      "KLUv/WQAJ/0CAHLFERGQfYSL6Ro7ZWYsCAvY5tGDAiBwq6Zag+HbBbNU36uqcJaSFqtUu4k24VtKgn9gFb4ZgBfgz7958MCg/wfnpAfL4jZJwZTaCCCAH5oufJlT8puUG4jW8ACiJpAEs7iIfQ==",
      "base64",
    );
    const dir = writeFolder(fresh(), ociFiles([{ layers: [zst], layerMediaType: "application/vnd.oci.image.layer.v1.tar+zstd" }]));
    const seen = await read(dir);
    expect(seen.entries.map((e) => [e.entry.path, e.content])).toEqual([["root/.netrc", "machine example.org password zstd-canary\n"]]);
  });

  it("reads an uncompressed layer", async () => {
    const layer = await tarOf([{ name: "root/.npmrc", content: TOKEN_LINE }]);
    const dir = writeFolder(fresh(), ociFiles([{ layers: [layer], layerMediaType: "application/vnd.oci.image.layer.v1.tar" }]));
    expect((await read(dir)).entries.map((e) => e.content)).toEqual([TOKEN_LINE]);
  });

  it("reads each platform of a nested multi-platform index, and skips attestations", async () => {
    const layer = gzipSync(await tarOf([{ name: "root/.npmrc", content: TOKEN_LINE }]));
    const files = ociFiles(
      [
        { layers: [layer], platform: { os: "linux", architecture: "amd64" } },
        { layers: [layer], platform: { os: "linux", architecture: "arm64", variant: "v8" } },
        { layers: [gzipSync(await tarOf([{ name: "attestation.json", content: "{}" }]))], platform: { os: "unknown", architecture: "unknown" } },
        { layers: [layer], annotations: { "vnd.docker.reference.type": "attestation-manifest" } },
      ],
      2,
    );
    const seen = await read(writeFolder(fresh(), files));
    expect(seen.images.map((i) => i.platform)).toEqual(["linux/amd64", "linux/arm64/v8"]);
    expect(seen.entries.map((e) => e.image)).toEqual([0, 1]);
  });

  it("hands content only up to the cap, and never for a larger file", async () => {
    const layer = gzipSync(await tarOf([{ name: "root/.npmrc", content: "x".repeat(100) }]));
    const seen = await read(writeFolder(fresh(), ociFiles([{ layers: [layer] }])), 50);
    expect(seen.entries[0]).toMatchObject({ entry: { path: "root/.npmrc", size: 100 } });
    expect(seen.entries[0].content).toBeUndefined();
  });
});

function gunzipped(b: Buffer): Buffer {
  return gunzipSync(b);
}

describe("readImage: hostile inputs", () => {
  async function layout(mutate: (files: Map<string, Buffer>) => void): Promise<string> {
    const files = ociFiles([await leakySpec()]);
    mutate(files);
    return writeFolder(fresh(), files);
  }

  it("refuses a descriptor whose digest is not a sha256 (no path built from it)", async () => {
    const dir = await layout((f) => {
      const index = JSON.parse(f.get("index.json")!.toString());
      index.manifests[0].digest = "sha256:../../../../etc/passwd";
      f.set("index.json", Buffer.from(JSON.stringify(index)));
    });
    expect(await failure(dir)).toMatch(/no valid sha256 digest/);
  });

  it("refuses a blob that is a symlink to a file outside the folder", async () => {
    const outside = join(fresh(), "outside.json");
    writeFileSync(outside, '{"canary":"outside-canary"}');
    const files = ociFiles([await leakySpec()]);
    const dir = writeFolder(fresh(), files);
    const index = JSON.parse(files.get("index.json")!.toString());
    const manifest = join(dir, "blobs/sha256", index.manifests[0].digest.slice(7));
    rmSync(manifest);
    symlinkSync(outside, manifest);
    const message = await failure(dir);
    expect(message).toMatch(/not a regular file/);
    expect(message).not.toContain("outside-canary");
  });

  it("refuses a docker-archive whose manifest names a path outside the archive", async () => {
    const spec = await leakySpec();
    spec.layers = spec.layers.map((l) => gunzipped(l));
    const files = dockerArchiveFiles(spec);
    const list = JSON.parse(files.get("manifest.json")!.toString());
    list[0].Layers[0] = "../../etc/shadow";
    files.set("manifest.json", Buffer.from(JSON.stringify(list)));
    expect(await failure(writeFolder(fresh(), files))).toMatch(/not a path inside/);
  });

  it("refuses a missing blob, a blob that does not match its digest, and a manifest that is not JSON", async () => {
    const spec = await leakySpec();
    const files = ociFiles([spec]);
    const layerName = `blobs/sha256/${sha256(spec.layers[0]).slice(7)}`;
    const missing = new Map(files);
    missing.delete(layerName);
    expect(await failure(writeFolder(fresh(), missing))).toMatch(/is missing/);
    const altered = new Map(files);
    altered.set(layerName, gzipSync(await tarOf([{ name: "other", content: "x" }])));
    expect(await failure(writeFolder(fresh(), altered))).toMatch(/does not match its digest/);
    const index = JSON.parse(files.get("index.json")!.toString());
    const notJson = new Map(files);
    notJson.set(`blobs/sha256/${index.manifests[0].digest.slice(7)}`, Buffer.from("not json"));
    expect(await failure(writeFolder(fresh(), notJson))).toMatch(/does not match its digest|not valid JSON/);
  });

  it("refuses indexes nested without end", async () => {
    const dir = writeFolder(fresh(), ociFiles([await leakySpec()], 6));
    expect(await failure(dir)).toMatch(/nested deeper/);
  });

  it("refuses a truncated archive and a file that is no image", async () => {
    const whole = await archiveOf(ociFiles([await leakySpec()]));
    const cut = join(fresh(), "cut.tar");
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2) + 100));
    await failure(cut);
    const text = join(fresh(), "notes.txt");
    writeFileSync(text, "just some text\n");
    await failure(text);
    expect(await failure(join(tmp, "does-not-exist"))).toMatch(/no such file/);
  });

  it("streams a large layer without buffering it", async () => {
    // 64 MiB of file data in one layer: read in bounded memory (the content is never asked for).
    const big = Buffer.alloc(64 * 1024 * 1024, 0x61);
    const layer = gzipSync(await tarOf([{ name: "data.bin", content: big }]));
    const dir = writeFolder(fresh(), ociFiles([{ layers: [layer] }]));
    const before = process.memoryUsage().arrayBuffers;
    const seen = await read(dir);
    expect(seen.entries[0]).toMatchObject({ entry: { path: "data.bin", size: big.length } });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(48 * 1024 * 1024);
  }, 60_000);
});
