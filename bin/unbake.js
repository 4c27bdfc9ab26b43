#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { main } from "../dist/cli/main.js";

// A signal lets the file being written finish (writes are atomic anyway) and stops the batch.
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => stop.abort());

// A reader that goes away (`unbake . | head`) must not stop the batch halfway through --write:
// output is dropped from then on, and the exit status says it was cut (141, as for SIGPIPE).
let outputLost = false;
const guarded = (stream, onLost) => {
  stream.on("error", () => onLost());
  return {
    write: (s) => {
      if (stream.destroyed || stream.writableEnded) {
        onLost();
        return true;
      }
      return stream.write(s);
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
};
const stdout = guarded(process.stdout, () => (outputLost = true));
const stderr = guarded(process.stderr, () => {});

// `unbake -`: stdin, read to one byte past the bound a file has (1 MiB), then no further.
const STDIN_LIMIT = 1024 * 1024 + 1;
const readStdin = () =>
  new Promise((resolve, reject) => {
    const parts = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(parts).subarray(0, STDIN_LIMIT));
    process.stdin.on("data", (chunk) => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= STDIN_LIMIT) {
        process.stdin.pause();
        process.stdin.removeAllListeners("data");
        done();
      }
    });
    process.stdin.once("end", done);
    process.stdin.once("error", reject);
  });

const code = await main(process.argv.slice(2), {
  stdout,
  stderr,
  cwd: process.cwd(),
  env: process.env,
  readStdin,
  signal: stop.signal,
});
process.exitCode = code;
// The last writes may fail after main returns: their errors arrive before the process exits.
process.on("exit", () => {
  if (outputLost && code !== 130) process.exitCode = 141;
});
