/**
 * `-o, --output <file>`: what would go to stdout goes to a file instead (as ESLint's and
 * hadolint's), written once the run is over, atomically, where it was asked for: like
 * --report, a link the repository put at that path may not lead to another folder.
 */
import { dirname, resolve } from "node:path";
import { escapeText } from "../emit/escape.js";
import { displayPath } from "./display-path.js";
import { describeFileError, withDirs, writeInside } from "./safe-file.js";

export interface OutputStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface FileOutput {
  /** Stands for stdout: never a terminal. */
  stream: OutputStream;
  /** Writes what was collected; false (and a message on stderr) when it cannot. */
  finish(stderr: { write(s: string): unknown }): Promise<boolean>;
}

export function fileOutput(file: string, cwd: string): FileOutput {
  const parts: string[] = [];
  const target = resolve(cwd, file);
  return {
    stream: { write: (s: string) => parts.push(s), isTTY: false },
    async finish(stderr) {
      try {
        await writeInside(target, parts.join(""), withDirs(undefined, [dirname(target)]));
        return true;
      } catch (e) {
        stderr.write(`${escapeText(displayPath(target, cwd))}: error: cannot write the output: ${escapeText(describeFileError(e))}\n`);
        return false;
      }
    },
  };
}
