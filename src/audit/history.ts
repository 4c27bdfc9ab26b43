/**
 * What a config's history entry says about the step that made it. Builders record a step in
 * `created_by` in three forms:
 * - BuildKit: the instruction as written (`COPY .npmrc /root/ # buildkit`), a RUN as
 *   `RUN |2 A=1 B=2 /bin/sh -c cmd # buildkit` when build arguments were in scope;
 * - the classic builder and buildah: `/bin/sh -c #(nop) ENV A=b`, `/bin/sh -c #(nop) COPY
 *   file:<hash> in /root/.npmrc `, a RUN as `|1 NPM_TOKEN=value /bin/sh -c cmd` or `/bin/sh -c cmd`.
 * The `|N` prefix is where build arguments' values land in the image for anyone to read.
 *
 * Pure.
 */

export interface RecordedArg {
  name: string;
  value: string;
}

export interface StepText {
  /** The Dockerfile instruction it most likely was (`COPY … /root/.npmrc`, `RUN cmd`), if it can be told. */
  instruction?: string;
  /** The instruction's keyword in upper case (`RUN`, `COPY`, `ADD`, `ENV` …). */
  keyword?: string;
  /** Build arguments recorded with a RUN (`|N NAME=value …`). */
  args: RecordedArg[];
  /** A RUN's command, without the `|N …` prefix and the shell. */
  command?: string;
}

const BUILDKIT_SUFFIX = / # buildkit$/;
const NOP = /^\/bin\/sh -c #\(nop\)\s+/;
const SHELL = /^\/bin\/sh -c /;
const ARGS_PREFIX = /^(?:RUN )?\|(\d{1,4}) /;
const ARG_START = /^[A-Za-z_][A-Za-z0-9_]*=/;
const KEYWORD = /^([A-Z]{2,11})(?:\s|$)/;

export function parseStep(createdBy: string | undefined): StepText {
  if (createdBy === undefined) return { args: [] };
  let text = createdBy.replace(BUILDKIT_SUFFIX, "");
  const nop = NOP.exec(text);
  if (nop) return withKeyword(text.slice(nop[0].length).trim(), []);
  const prefix = ARGS_PREFIX.exec(text);
  let args: RecordedArg[] = [];
  if (prefix) {
    const split = splitArgs(text.slice(prefix[0].length), Number(prefix[1]));
    args = split.args;
    text = split.rest;
    const command = text.replace(SHELL, "");
    return { instruction: `RUN ${command}`, keyword: "RUN", args, command };
  }
  if (SHELL.test(text)) {
    const command = text.replace(SHELL, "");
    return { instruction: `RUN ${command}`, keyword: "RUN", args, command };
  }
  return withKeyword(text.trim(), args);
}

function withKeyword(instruction: string, args: RecordedArg[]): StepText {
  const k = KEYWORD.exec(instruction);
  if (!k) return { args };
  const keyword = k[1]!;
  if (keyword !== "RUN") return { instruction, keyword, args };
  const command = instruction.slice(4).replace(SHELL, "");
  return { instruction: `RUN ${command}`, keyword, args, command };
}

/**
 * `n` pairs `NAME=value` separated by blanks, then the command. Builders join them unquoted, so a
 * value holding a blank runs on to the next word that starts a pair (the last value: to its first
 * blank).
 */
function splitArgs(text: string, n: number): { args: RecordedArg[]; rest: string } {
  const words = text.split(" ");
  const args: RecordedArg[] = [];
  let i = 0;
  while (args.length < n && i < words.length) {
    const w = words[i]!;
    const eq = w.indexOf("=");
    if (!ARG_START.test(w)) break;
    let value = w.slice(eq + 1);
    i++;
    const last = args.length === n - 1;
    while (!last && i < words.length && !ARG_START.test(words[i]!)) value += ` ${words[i++]!}`;
    args.push({ name: w.slice(0, eq), value });
  }
  return { args, rest: words.slice(i).join(" ") };
}
