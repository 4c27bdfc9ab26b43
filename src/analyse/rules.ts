/**
 * Rule metadata, in the spirit of ESLint's `meta`: what each rule finds and whether its
 * fix is safe (keeps the build's behaviour) or unsafe (changes it: e.g. a runtime secret
 * must then be supplied when the container starts).
 */
import type { RuleId } from "../types.js";

export interface RuleMeta {
  id: RuleId;
  description: string;
  fix: "safe" | "unsafe" | "none";
  /** What it reads: a Dockerfile (the default), or a build file that calls one (`unbake check` only). */
  scope?: "call-site";
}

export const RULES: Record<RuleId, RuleMeta> = {
  "secret-file-copy": {
    id: "secret-file-copy",
    description: "COPY/ADD puts a credential file (.npmrc, ssh key, cloud credentials …) into an image layer",
    fix: "safe",
  },
  "secret-arg-env": {
    id: "secret-arg-env",
    description: "ARG/ENV carries a secret, recorded in the image history or config",
    fix: "safe",
  },
  "hardcoded-secret": {
    id: "hardcoded-secret",
    description: "A secret value is written in the Dockerfile itself; it must be rotated",
    fix: "none",
  },
  "run-writes-secret": {
    id: "run-writes-secret",
    description: "RUN writes a secret into a file that stays in the layer",
    fix: "none",
  },
  "secret-used-outside-run": {
    id: "secret-used-outside-run",
    description: "A secret is used by an instruction that cannot mount it (LABEL, COPY, FROM, a derived ENV …)",
    fix: "none",
  },
  "secret-printed": {
    id: "secret-printed",
    description: "RUN prints a secret (echo, printf, cat of the secret file, env, set -x) into the build log",
    fix: "none",
  },
  "build-arg-secret": {
    id: "build-arg-secret",
    description: "A build passes a secret through --build-arg, compose build.args, build-push-action build-args or bake args",
    fix: "safe",
    scope: "call-site",
  },
};
