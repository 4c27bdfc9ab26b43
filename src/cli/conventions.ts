/**
 * The start both commands share: a --context that is no folder is a usage error before
 * anything is read; --print-config prints and exits; -o collects stdout for a file; `-` reads
 * stdin.
 */
import { configChoice, contextProblem, type ConventionOptions } from "./options.js";
import { fileOutput } from "./output.js";
import { guardWorkflowCommands } from "./workflow-commands.js";
import { printConfig } from "./print-config.js";
import type { Io } from "./main.js";

export async function withConventions(
  paths: string[],
  opts: ConventionOptions & { context?: string; format: string; write?: boolean },
  io: Io,
  run: (io: Io, choice: ReturnType<typeof configChoice>) => Promise<number>,
  stdin: (io: Io, choice: ReturnType<typeof configChoice>) => Promise<number>,
): Promise<number> {
  const problem = contextProblem(opts.context, io.cwd);
  if (problem !== null) {
    io.stderr.write(problem);
    return 2;
  }
  const choice = configChoice(opts, io.cwd);
  if (opts.printConfig !== undefined) return printConfig(opts.printConfig, choice, io);
  if (paths.includes("-") && paths.length > 1) {
    io.stderr.write("unbake: - (stdin) cannot be combined with other paths\n");
    return 2;
  }
  const out = opts.output !== undefined ? fileOutput(opts.output, io.cwd) : null;
  // `--write -` prints the rewritten file itself: nothing may be added to it.
  const printsFile = paths[0] === "-" && opts.write === true;
  const guard = out || printsFile ? null : guardWorkflowCommands(io.stdout, io.env, opts.format);
  const runIo = out ? { ...io, stdout: out.stream } : guard ? { ...io, stdout: guard.stream } : io;
  let code: number;
  try {
    code = paths[0] === "-" ? await stdin(runIo, choice) : await run(runIo, choice);
  } finally {
    guard?.end();
  }
  if (out && !(await out.finish(io.stderr))) return Math.max(code, 2);
  return code;
}

