/**
 * ssh: a private key written into ~/.ssh (`echo "$SSH_KEY" > ~/.ssh/id_rsa`, or `COPY id_rsa
 * /root/.ssh/id_rsa`) for `git clone git@…` stays in that layer. BuildKit forwards the builder's
 * ssh agent instead: `RUN --mount=type=ssh` on the RUNs that run git or ssh, and `docker build
 * --ssh default`; the key never enters the build (REFERENCE §2, §9). The ssh client asks the agent
 * (SSH_AUTH_SOCK, which the mount sets) when the default identity files are missing.
 */
import { RUNS_GIT } from "./git.js";

/** Paths of ssh private keys (the client's default identity files). */
export const SSH_PRIVATE_KEY = /(?:^|\/)\.ssh\/id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk)$/;

export const SSH_INSTEAD =
  "use RUN --mount=type=ssh on the RUNs that run git or ssh and build with --ssh default (the key stays with the builder's ssh agent and never enters the build)";

/** The agent forward the build commands pass: `--ssh default` uses the caller's $SSH_AUTH_SOCK. */
export const SSH_FORWARD = "default";

/** Commands that write the key with a redirect (`echo "$KEY" > ~/.ssh/id_rsa`): the rewrite removes them. */
export const KEY_WRITERS: readonly string[] = ["echo", "printf"];

/** Commands that only prepare or clean up the key file itself (`chmod 600`, `rm`): they go with it. */
export const KEY_HANDLERS: readonly string[] = ["chmod", "chown", "rm", "shred", "unlink"];

/** Programs that talk ssh with the key (a RUN calling one gets the agent): ssh itself and git, and everything that runs git. */
export const SSH_READERS: readonly string[] = ["ssh", "scp", "sftp", "rsync", ...RUNS_GIT];

/**
 * What makes a RUN read the key file by its path, which an agent cannot stand in for: then the
 * key is mounted as a file at its old path instead (`ssh -i …`, GIT_SSH_COMMAND with -i, an ssh
 * config that names the file or allows only named files, tools that load the file).
 */
export const READS_KEY_FILE: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\b(?:ssh|scp|sftp)\b[^;&|\n]*?\s-i\s*\S/, why: "ssh -i names the key file" },
  { pattern: /\bIdentityFile\b/i, why: "an ssh config names the key file (IdentityFile)" },
  { pattern: /\bIdentitiesOnly\b/i, why: "an ssh config allows only named key files (IdentitiesOnly)" },
  { pattern: /\bGIT_SSH_COMMAND\b|\bcore\.sshCommand\b/, why: "git is given its own ssh command" },
  { pattern: /\bssh-(?:add|keygen)\b/, why: "ssh-add or ssh-keygen reads the key file" },
];

/** Wrappers that reset the environment (sudo's env_reset): SSH_AUTH_SOCK does not reach the command, the key file does. */
export const RESETS_AGENT = /(?:^|[\s;&|(])(?:sudo|doas|su|runuser)\s/;

/** Where each builder takes the forward (checked against each tool's documentation). */
export const SSH_DOCS =
  "Dockerfile reference RUN --mount=type=ssh; docker buildx build --ssh; bake target ssh; compose build.ssh; docker/build-push-action ssh; buildah-build(1) --ssh";
