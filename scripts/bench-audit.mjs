#!/usr/bin/env node
/**
 * The audit's cost against the floor: a generated image of about 1 GB (an OCI layout of a few
 * gzip layers of many files of random data, in a temporary folder deleted afterwards), listed by
 * `tar -tzf` layer by layer, then audited by `unbake audit` (dist/, built first). Prints both
 * times, their ratio (target: at most 2) and the audit's peak RSS.
 *
 *   node scripts/bench-audit.mjs            # ~1 GB
 *   BENCH_AUDIT_MB=256 node scripts/bench-audit.mjs
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import { createGzip } from "node:zlib";
import tar from "tar-stream";

const REPO = join(import.meta.dirname, "..");
const TOTAL = Number(process.env.BENCH_AUDIT_MB ?? 1024) * 1024 * 1024;
const LAYERS = 4;

/** Sizes like a real image's: mostly small files (config, code: read for tokens), some large ones. */
function nextSize(i) {
  if (i % 50 === 0) return 4 * 1024 * 1024 + (i % 7) * 65536;
  if (i % 5 === 0) return 200 * 1024;
  return 512 + ((i * 7919) % (48 * 1024));
}

async function writeLayer(dir, n, bytes) {
  const pack = tar.pack();
  const hashC = createHash("sha256");
  const hashU = createHash("sha256");
  const tmp = join(dir, `layer-${n}.tmp`);
  let size = 0;
  const count = new PassThrough();
  count.on("data", (c) => {
    hashC.update(c);
    size += c.length;
  });
  const raw = new PassThrough();
  raw.on("data", (c) => hashU.update(c));
  const done = pipeline(pack, raw, createGzip({ level: 1 }), count, createWriteStream(tmp));
  let written = 0;
  let files = 0;
  for (let i = 0; written < bytes; i++) {
    const s = nextSize(i);
    // Text for small files (what the audit reads), random bytes for the rest.
    const body = s <= 64 * 1024 ? Buffer.from(randomBytes(Math.ceil(s * 0.75)).toString("base64").slice(0, s)) : randomBytes(s);
    await new Promise((res, rej) => pack.entry({ name: `app/l${n}/d${i % 97}/f${i}.${s <= 64 * 1024 ? "txt" : "bin"}`, size: body.length }, body, (e) => (e ? rej(e) : res())));
    written += body.length;
    files++;
  }
  pack.finalize();
  await done;
  const digest = hashC.digest("hex");
  renameSync(tmp, join(dir, "blobs", "sha256", digest));
  return { digest: `sha256:${digest}`, size, diffId: `sha256:${hashU.digest("hex")}`, files };
}

function blob(dir, bytes) {
  const d = createHash("sha256").update(bytes).digest("hex");
  writeFileSync(join(dir, "blobs", "sha256", d), bytes);
  return { digest: `sha256:${d}`, size: bytes.length };
}

function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, r };
}

const work = mkdtempSync(join(tmpdir(), "unbake-bench-audit-"));
try {
  spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: REPO, stdio: "inherit" });
  const dir = join(work, "image");
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  const t0 = performance.now();
  const layers = [];
  for (let n = 0; n < LAYERS; n++) layers.push(await writeLayer(dir, n, TOTAL / LAYERS));
  const config = blob(
    dir,
    Buffer.from(
      JSON.stringify({
        architecture: "amd64",
        os: "linux",
        config: { Env: ["PATH=/usr/bin:/bin"] },
        rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
        history: layers.map((_, i) => ({ created_by: `COPY l${i} /app/l${i} # buildkit` })),
      }),
    ),
  );
  const manifest = blob(
    dir,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
        layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: l.digest, size: l.size })),
      }),
    ),
  );
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", ...manifest }] }));
  const stored = layers.reduce((s, l) => s + l.size, 0);
  console.log(`image: ${LAYERS} gzip layers, ${layers.reduce((s, l) => s + l.files, 0)} files, ${(stored / 2 ** 20).toFixed(0)} MiB stored, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Warm the page cache so both read from memory alike.
  for (const f of readdirSync(join(dir, "blobs", "sha256"))) spawnSync("cat", [join(dir, "blobs", "sha256", f)], { stdio: ["ignore", "ignore", "ignore"] });

  let tarMs = 0;
  for (const l of layers) tarMs += timed("tar", ["-tzf", join(dir, "blobs", "sha256", l.digest.slice(7))]).ms;
  const script = `import { main } from ${JSON.stringify(join(REPO, "dist", "cli", "main.js"))};
const code = await main(["audit", ${JSON.stringify(dir)}], { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: {} });
console.error("RSS " + process.resourceUsage().maxRSS + " EXIT " + code);`;
  const audit = timed(process.execPath, ["--input-type=module", "-e", script]);
  const m = /RSS (\d+) EXIT (\d+)/.exec(audit.r.stderr);
  if (!m || m[2] !== "0") throw new Error(`unbake audit did not finish clean: ${audit.r.stdout}${audit.r.stderr}`);
  console.log(`tar -tzf (all layers): ${(tarMs / 1000).toFixed(2)} s`);
  console.log(`unbake audit:          ${(audit.ms / 1000).toFixed(2)} s (peak RSS ${(Number(m[1]) / 1024).toFixed(0)} MiB)`);
  console.log(`ratio: ${(audit.ms / tarMs).toFixed(2)}x (target ≤ 2x)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
