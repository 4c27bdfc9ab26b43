/**
 * GitHub Actions reads every log line that starts with `::` (after spaces) as a workflow command,
 * and one that holds `##[` anywhere as a legacy one — on stdout and stderr alike. Diffs and
 * reports print the repository's own text (a Dockerfile line, a folder named `::error …`), so
 * under GITHUB_ACTIONS human and diff output is wrapped in `::stop-commands::<token>` …
 * `::<token>::`, which the runner honours until the token comes back (git apply and patch skip
 * both lines). Machine formats stay as they are: redirected to a file they must stay valid
 * JSON/SARIF, and their strings cannot start a line (safeJson hides `##[`). The `github` format
 * is made of commands on purpose.
 */
import { randomBytes } from "node:crypto";

const GUARDED_FORMATS = new Set(["text", "diff", "stylish", "markdown"]);

export interface OutputStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface GuardedOutput {
  stream: OutputStream;
  /** Lets the runner read commands again, if anything was printed. */
  end(): void;
}

export function guardWorkflowCommands(stdout: OutputStream, env: NodeJS.ProcessEnv, format: string): GuardedOutput {
  if (env.GITHUB_ACTIONS !== "true" || !GUARDED_FORMATS.has(format)) return { stream: stdout, end: () => {} };
  // Unguessable: a line of the repository's text must not be able to resume command processing.
  const token = randomBytes(16).toString("hex");
  let started = false;
  return {
    stream: {
      isTTY: stdout.isTTY,
      write(s: string) {
        if (!started && s !== "") {
          started = true;
          stdout.write(`::stop-commands::${token}\n`);
        }
        return stdout.write(s);
      },
    },
    end() {
      if (started) stdout.write(`::${token}::\n`);
    },
  };
}
