/**
 * Streams that turn a blob into tar entries: the compression is told by the first bytes (gzip,
 * zstd, or a plain tar), never by a name a stranger wrote; the tar is read entry by entry and an
 * entry's data is skipped unless it is asked for (and then only up to a cap), so a layer of any
 * size takes the memory of one chunk.
 */
import { createGunzip } from "node:zlib";
import { PassThrough, Readable, Transform, type TransformCallback } from "node:stream";
import { Decompress } from "fzstd";
import tar, { type Extract } from "tar-stream";

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(head: Buffer, magic: number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

export type Compression = "gzip" | "zstd" | "none";

export function compressionOf(head: Buffer): Compression {
  if (startsWith(head, GZIP)) return "gzip";
  if (startsWith(head, ZSTD)) return "zstd";
  return "none";
}

/** fzstd's push interface as a Node transform. */
class ZstdDecompress extends Transform {
  private readonly zstd = new Decompress((data) => {
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.zstd.push(chunk);
      done();
    } catch (e) {
      done(new Error(`zstd: ${(e as Error).message}`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.zstd.push(new Uint8Array(0), true);
      done();
    } catch (e) {
      done(new Error(`zstd: ${(e as Error).message}`));
    }
  }
}

/**
 * The decompressed bytes of `src`, whatever its compression: the first chunk decides. Errors of
 * either side reach the returned stream.
 */
export function decompressed(src: Readable): Readable {
  const out = new PassThrough();
  let decided = false;
  let head = Buffer.alloc(0);
  const start = (): void => {
    decided = true;
    const kind = compressionOf(head);
    const decoder: Transform | PassThrough = kind === "gzip" ? createGunzip() : kind === "zstd" ? new ZstdDecompress() : new PassThrough();
    decoder.on("error", (e) => out.destroy(e));
    decoder.pipe(out);
    decoder.write(head);
    src.pipe(decoder);
  };
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    if (head.length < ZSTD.length) return;
    src.off("data", onData);
    src.off("end", onEnd);
    src.pause();
    start();
  };
  const onEnd = (): void => {
    if (!decided) {
      // Shorter than any magic: a tiny (or empty) plain blob.
      const pass = new PassThrough();
      pass.pipe(out);
      pass.end(head);
    }
  };
  src.on("data", onData);
  src.on("end", onEnd);
  src.on("error", (e) => out.destroy(e));
  return out;
}

/** A tar entry as tar-stream gives it: a header and a readable body. */
export type TarEntry = Extract extends AsyncIterable<infer S> ? S : never;

/**
 * The entries of the tar in `src`, one at a time: the caller reads or skips each body (skip() or
 * readUpTo()) before asking for the next. A tar that ends early is an error.
 */
export async function* tarEntries(src: Readable): AsyncGenerator<TarEntry> {
  const extract = tar.extract();
  src.on("error", (e) => extract.destroy(e));
  src.pipe(extract as unknown as NodeJS.WritableStream);
  let finished = false;
  try {
    for await (const entry of extract) yield entry;
    finished = true;
  } finally {
    // A caller that stops early leaves the rest unread: stop reading it too.
    if (!finished) src.destroy();
  }
}

/** Reads the body through without keeping it. */
export async function skip(entry: TarEntry): Promise<void> {
  for await (const _ of entry) void _;
}

/**
 * The body when it is at most `cap` bytes (the header's size, checked again as it is read), else
 * undefined with the body skipped.
 */
export async function readUpTo(entry: TarEntry, cap: number): Promise<Buffer | undefined> {
  if ((entry.header.size ?? 0) > cap) {
    await skip(entry);
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= cap) chunks.push(chunk);
  }
  return size <= cap ? Buffer.concat(chunks) : undefined;
}
