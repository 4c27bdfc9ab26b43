/**
 * Small images written by hand for the audit tests: tar layers (tar-stream's packer), gzip or
 * not, laid out as an OCI layout folder, an OCI archive or a docker-archive (old and new forms).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import tar from "tar-stream";

export interface TarItem {
  name: string;
  content?: string | Buffer;
  type?: "file" | "directory" | "symlink" | "link";
  linkname?: string;
}

export async function tarOf(items: TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on("data", (c: unknown) => chunks.push(c as Buffer));
    pack.on("end", () => resolve());
    pack.on("error", reject);
  });
  for (const item of items) {
    const type = item.type ?? "file";
    const body = type === "file" ? Buffer.from(item.content ?? "") : undefined;
    await new Promise<void>((resolve, reject) =>
      body
        ? pack.entry({ name: item.name, type, size: body.length }, body, (e) => (e ? reject(e) : resolve()))
        : pack.entry({ name: item.name, type, linkname: item.linkname }, (e) => (e ? reject(e) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function sha256(b: Buffer): string {
  return "sha256:" + createHash("sha256").update(b).digest("hex");
}

export interface ImageSpec {
  /** Layer blobs as stored (already compressed or not), bottom first. */
  layers: Buffer[];
  layerMediaType?: string;
  env?: string[];
  labels?: Record<string, string>;
  history?: { created_by?: string; empty_layer?: boolean }[];
  platform?: { os: string; architecture: string; variant?: string };
  /** Extra index annotations for this image's descriptor. */
  annotations?: Record<string, string>;
}

export function configOf(spec: ImageSpec, diffIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: spec.platform?.architecture ?? "amd64",
      os: spec.platform?.os ?? "linux",
      config: { Env: spec.env ?? [], Labels: spec.labels ?? {} },
      rootfs: { type: "layers", diff_ids: diffIds },
      history: spec.history ?? spec.layers.map((_, i) => ({ created_by: `step ${i}` })),
    }),
  );
}

/** Files of an OCI layout: path → bytes. `index` may wrap the manifests (nested indexes). */
export function ociFiles(specs: ImageSpec[], wrap = 0): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const blob = (b: Buffer): string => {
    const d = sha256(b);
    files.set(`blobs/sha256/${d.slice(7)}`, b);
    return d;
  };
  const descriptors = specs.map((spec) => {
    const diffIds = spec.layers.map((l) => sha256(l[0] === 0x1f ? gunzipOrSelf(l) : l));
    const config = configOf(spec, diffIds);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: blob(config), size: config.length },
        layers: spec.layers.map((l) => ({ mediaType: spec.layerMediaType ?? "application/vnd.oci.image.layer.v1.tar+gzip", digest: blob(l), size: l.length })),
      }),
    );
    return {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: blob(manifest),
      size: manifest.length,
      ...(spec.platform ? { platform: spec.platform } : {}),
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    };
  });
  let manifests: object[] = descriptors;
  for (let i = 0; i < wrap; i++) {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests }));
    manifests = [{ mediaType: "application/vnd.oci.image.index.v1+json", digest: blob(index), size: index.length }];
  }
  files.set("oci-layout", Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" })));
  files.set("index.json", Buffer.from(JSON.stringify({ schemaVersion: 2, manifests })));
  return files;
}

function gunzipOrSelf(b: Buffer): Buffer {
  return gunzipSync(b);
}

/** The old docker-archive form: manifest.json, <id>.json config, <n>/layer.tar (plain tars). */
export function dockerArchiveFiles(spec: ImageSpec, tags = ["example/app:latest"]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const diffIds = spec.layers.map((l) => sha256(l));
  const config = configOf(spec, diffIds);
  const configName = `${sha256(config).slice(7)}.json`;
  files.set(configName, config);
  const layerNames = spec.layers.map((l, i) => {
    const name = `${String(i).padStart(2, "0")}${sha256(l).slice(7, 20)}/layer.tar`;
    files.set(name, l);
    return name;
  });
  files.set("manifest.json", Buffer.from(JSON.stringify([{ Config: configName, RepoTags: tags, Layers: layerNames }])));
  return files;
}

export function writeFolder(dir: string, files: Map<string, Buffer>): string {
  for (const [name, bytes] of files) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

export async function archiveOf(files: Map<string, Buffer>, gzip = false): Promise<Buffer> {
  const t = await tarOf([...files].map(([name, content]) => ({ name, content })));
  return gzip ? gzipSync(t) : t;
}
