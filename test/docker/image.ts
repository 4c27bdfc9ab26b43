/**
 * What Docker keeps of an image, read back for a canary search: `docker save` (Docker 25+ writes
 * an OCI layout — index.json, blobs — plus the docker-archive manifest.json in the same tar, every
 * layer uncompressed), `docker history --no-trunc` and `docker image inspect` (the config with Env,
 * Labels, Cmd, and the history's created_by lines).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { exec } from "../real-builder/buildah.js";
import { findInImage, readOciImage, type OciImage } from "../real-builder/oci.js";
import type { DockerDaemon } from "./daemon.js";

export interface SavedImage {
  ref: string;
  oci: OciImage;
  /** `docker history --no-trunc` and `docker image inspect` output. */
  history: string;
  inspect: string;
}

/** Saves `ref` into `dir` and reads it: layers, config, manifests, history, inspect. */
export async function saveImage(docker: DockerDaemon, ref: string, dir: string): Promise<SavedImage> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = `${dir}.tar`;
  await docker.must(["save", "-o", tar, ref]);
  const x = await exec("tar", ["-xf", tar, "-C", dir]);
  if (x.code !== 0) throw new Error(`tar -xf ${tar}: ${x.stderr}`);
  rmSync(tar, { force: true });
  const oci = readOciImage(dir);
  const history = (await docker.must(["history", "--no-trunc", ref])).stdout;
  const inspect = (await docker.must(["image", "inspect", ref])).stdout;
  return { ref, oci, history, inspect };
}

/** Everywhere the canary occurs in the saved image (layers, config, manifests), its history or its inspect output. */
export function findInSaved(image: SavedImage, needle: string): string[] {
  const found = findInImage(image.oci, needle);
  if (image.history.includes(needle)) found.push("docker history --no-trunc");
  if (image.inspect.includes(needle)) found.push("docker image inspect");
  return found;
}

/** The image id a `docker build` without `-t` printed ("writing image sha256:… done"). */
export function builtImageId(output: string): string {
  const ids = [...output.matchAll(/writing image (sha256:[0-9a-f]{64})/g)].map((m) => m[1]);
  if (ids.length === 0) throw new Error(`no "writing image sha256:…" in the build output:\n${output.slice(-3000)}`);
  return ids[ids.length - 1];
}

export function savedDir(work: string, name: string): string {
  return join(work, `saved-${name.replace(/[^A-Za-z0-9._-]/g, "_")}`);
}
