/**
 * A one-line progress display on stderr for batches that take more than a second: files done
 * of total, rate, current file. Only on a terminal, never in CI or with --quiet. The file's path
 * is shown escaped: a control character in it would act on the terminal.
 */
import { escapeText } from "../emit/escape.js";

export interface Progress {
  update(done: number, current: string): void;
  finish(): void;
}

const QUIET: Progress = { update() {}, finish() {} };

export function createProgress(
  stream: { write(s: string): unknown; isTTY?: boolean; columns?: number },
  total: number,
  options: { enabled: boolean; now?: () => number },
): Progress {
  if (!options.enabled || stream.isTTY !== true) return QUIET;
  const now = options.now ?? Date.now;
  const started = now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, current) {
      const t = now();
      if (t - started < 1000 || t - lastDraw < 100) return;
      lastDraw = t;
      const rate = Math.round(done / ((t - started) / 1000));
      const line = `unbake: ${done}/${total} files, ${rate} files/s, ${escapeText(current)}`;
      const width = (stream.columns ?? 80) - 1;
      stream.write(`\r\x1b[K${line.length > width ? "…" + line.slice(line.length - width + 1) : line}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write("\r\x1b[K");
    },
  };
}
