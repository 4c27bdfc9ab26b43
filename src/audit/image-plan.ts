/**
 * From an input's index to the images in it: an OCI layout's index.json (nested indexes, one
 * image per platform; attestation manifests skipped) or a docker-archive's manifest.json. Every
 * JSON blob named by digest is checked against its digest; every count and depth is bounded.
 */
import { createHash } from "node:crypto";
import type { HistoryStep, ImageMeta, LayerMeta } from "./image.js";
import { normaliseName, SourceError, type ImageSource } from "./image-source.js";

/** An image and the blob name each of its layers is read from. */
export interface ImagePlan {
  meta: ImageMeta;
  layerBlobs: string[];
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MAX_INDEX_DEPTH = 4;
const MAX_IMAGES = 64;
const MAX_LAYERS = 1024;

const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function parse(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new SourceError(`${what} is not valid JSON`);
  }
}

export function blobName(digest: unknown, what: string): string {
  if (typeof digest !== "string" || !DIGEST.test(digest)) throw new SourceError(`${what} has no valid sha256 digest`);
  return `blobs/sha256/${digest.slice("sha256:".length)}`;
}

async function jsonBlob(src: ImageSource, digest: unknown, what: string): Promise<unknown> {
  const name = blobName(digest, what);
  const bytes = await src.small(name);
  if (!bytes) throw new SourceError(`${what} (${name}) is not a JSON file`);
  const actual = "sha256:" + createHash("sha256").update(bytes).digest("hex");
  if (actual !== digest) throw new SourceError(`${what} (${name}) does not match its digest`);
  return parse(bytes, what);
}

function platformOf(p: unknown): string | undefined {
  if (!isObject(p)) return undefined;
  const os = str(p.os);
  const arch = str(p.architecture);
  if (!os || !arch) return undefined;
  const variant = str(p.variant);
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}

function history(config: Json): HistoryStep[] {
  const h = Array.isArray(config.history) ? config.history : [];
  return h.filter(isObject).map((step) => ({
    createdBy: str(step.created_by),
    comment: str(step.comment),
    emptyLayer: step.empty_layer === true,
  }));
}

/** The n-th layer was made by the n-th history step that is not `empty_layer`. */
function historyIndexes(steps: HistoryStep[]): number[] {
  const out: number[] = [];
  steps.forEach((s, i) => {
    if (!s.emptyLayer) out.push(i);
  });
  return out;
}

function imageMeta(input: string, names: string[], platform: string | undefined, configDigest: string, config: unknown, layers: Omit<LayerMeta, "historyIndex" | "index">[]): ImageMeta {
  const cfg = isObject(config) ? config : {};
  const inner = isObject(cfg.config) ? cfg.config : {};
  const env = Array.isArray(inner.Env) ? inner.Env.filter((e): e is string => typeof e === "string") : [];
  const labels: Record<string, string> = {};
  if (isObject(inner.Labels)) for (const [k, v] of Object.entries(inner.Labels)) if (typeof v === "string") labels[k] = v;
  const steps = history(cfg);
  const made = historyIndexes(steps);
  const rootfs = isObject(cfg.rootfs) && Array.isArray(cfg.rootfs.diff_ids) ? cfg.rootfs.diff_ids : [];
  return {
    input,
    names,
    platform: platform ?? platformOf(cfg),
    configDigest,
    env,
    labels,
    history: steps,
    layers: layers.map((l, index) => ({
      ...l,
      index,
      diffId: l.diffId ?? str(rootfs[index]),
      historyIndex: made.length === layers.length ? made[index] : undefined,
    })),
  };
}

function refNames(annotations: unknown): string[] {
  if (!isObject(annotations)) return [];
  return ["io.containerd.image.name", "org.opencontainers.image.ref.name"].map((k) => str(annotations[k])).filter((v): v is string => !!v);
}

async function ociPlans(src: ImageSource, input: string): Promise<ImagePlan[]> {
  const top = await src.small("index.json");
  if (!top) throw new SourceError("index.json is not a JSON file");
  const plans: ImagePlan[] = [];
  const walk = async (index: unknown, depth: number, names: string[], platform?: string): Promise<void> => {
    if (depth > MAX_INDEX_DEPTH) throw new SourceError(`indexes nested deeper than ${MAX_INDEX_DEPTH}`);
    if (!isObject(index) || !Array.isArray(index.manifests)) throw new SourceError("an index has no manifests list");
    for (const d of index.manifests) {
      if (!isObject(d)) continue;
      const annotations = isObject(d.annotations) ? d.annotations : {};
      if (annotations["vnd.docker.reference.type"] === "attestation-manifest") continue;
      const p = platformOf(d.platform) ?? platform;
      if (p?.startsWith("unknown/")) continue;
      const here = [...names, ...refNames(annotations)];
      const doc = await jsonBlob(src, d.digest, "a manifest");
      if (INDEX_TYPES.has(str(d.mediaType) ?? "") || (isObject(doc) && Array.isArray(doc.manifests))) {
        await walk(doc, depth + 1, here, p);
        continue;
      }
      if (plans.length >= MAX_IMAGES) throw new SourceError(`more than ${MAX_IMAGES} images`);
      plans.push(await manifestPlan(src, input, doc, here, p));
    }
  };
  await walk(parse(top, "index.json"), 0, []);
  return plans;
}

async function manifestPlan(src: ImageSource, input: string, manifest: unknown, names: string[], platform?: string): Promise<ImagePlan> {
  if (!isObject(manifest) || !isObject(manifest.config) || !Array.isArray(manifest.layers)) throw new SourceError("a manifest has no config or layers");
  if (manifest.layers.length > MAX_LAYERS) throw new SourceError(`a manifest has more than ${MAX_LAYERS} layers`);
  const configDigest = str(manifest.config.digest) ?? "";
  const config = await jsonBlob(src, configDigest, "an image config");
  const layers = manifest.layers.map((l) => {
    if (!isObject(l)) throw new SourceError("a layer descriptor is not an object");
    blobName(l.digest, "a layer");
    return { digest: l.digest as string, mediaType: str(l.mediaType) };
  });
  return {
    meta: imageMeta(input, names, platform, configDigest, config, layers),
    layerBlobs: layers.map((l) => blobName(l.digest, "a layer")),
  };
}

/** docker save: manifest.json lists each image's config file and layer files by path. */
async function dockerArchivePlans(src: ImageSource, input: string): Promise<ImagePlan[]> {
  const bytes = await src.small("manifest.json");
  if (!bytes) throw new SourceError("manifest.json is not a JSON file");
  const list = parse(bytes, "manifest.json");
  if (!Array.isArray(list)) throw new SourceError("manifest.json is not a list");
  if (list.length > MAX_IMAGES) throw new SourceError(`more than ${MAX_IMAGES} images`);
  const plans: ImagePlan[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.Config !== "string" || !Array.isArray(item.Layers)) throw new SourceError("a manifest.json entry has no Config or Layers");
    if (item.Layers.length > MAX_LAYERS) throw new SourceError(`an image has more than ${MAX_LAYERS} layers`);
    const configName = normaliseName(item.Config);
    if (!configName) throw new SourceError(`${JSON.stringify(item.Config)} is not a path inside the archive`);
    const configBytes = await src.small(configName);
    if (!configBytes) throw new SourceError(`${configName} is not a JSON file`);
    const configDigest = "sha256:" + createHash("sha256").update(configBytes).digest("hex");
    const config = parse(configBytes, configName);
    const diffIds = isObject(config) && isObject(config.rootfs) && Array.isArray(config.rootfs.diff_ids) ? config.rootfs.diff_ids : [];
    const layerBlobs = item.Layers.map((l) => {
      const name = typeof l === "string" ? normaliseName(l) : undefined;
      if (!name) throw new SourceError(`${JSON.stringify(l)} is not a path inside the archive`);
      return name;
    });
    // A layer file is named by its digest in the newer layout; otherwise it is the plain tar
    // whose digest is the config's diff id.
    const layers = layerBlobs.map((name, i) => {
      const m = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
      const diffId = str(diffIds[i]);
      return { digest: m ? `sha256:${m[1]}` : (diffId ?? ""), diffId };
    });
    const tags = Array.isArray(item.RepoTags) ? item.RepoTags.filter((t): t is string => typeof t === "string") : [];
    plans.push({ meta: imageMeta(input, tags, undefined, configDigest, config, layers), layerBlobs });
  }
  return plans;
}

export async function imagePlans(src: ImageSource, input: string): Promise<ImagePlan[]> {
  if (src.has("index.json")) {
    const plans = await ociPlans(src, input);
    if (plans.length > 0 || !src.has("manifest.json")) return plans;
  }
  if (src.has("manifest.json")) return dockerArchivePlans(src, input);
  throw new SourceError("neither an OCI layout nor a docker-archive (no index.json or manifest.json)");
}
