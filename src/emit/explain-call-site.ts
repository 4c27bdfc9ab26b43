/**
 * `unbake explain build-arg-secret`: the one rule about a build file rather than a Dockerfile.
 * Its example is a Dockerfile and a script that builds it; the "after" of both is computed (by
 * `fix` and by the call-site rewrite), never typed in.
 */
import { fix } from "../index.js";
import { rewriteCallSites } from "../callsites/index.js";
import { buildArgSecretFindings } from "../analyse/build-arg-secret.js";

export const BUILD_ARG_SECRET_DOC = {
  finds:
    "A build that still passes a secret as a build argument: `--build-arg NPM_TOKEN=…` in a script,\n" +
    "Makefile, GitLab CI or Jenkinsfile, `build.args` in a compose file, `build-args` of\n" +
    "docker/build-push-action, `args` of a bake target. `unbake check` reports it in the build file,\n" +
    "at the argument, for every secret the rewrite of the Dockerfile it builds moves into a mount.",
  why:
    "A build argument is recorded in the image history (`docker history --no-trunc` shows it in the\n" +
    "command of every RUN that uses it) and in BuildKit's provenance attestations. Once the\n" +
    "Dockerfile reads the secret from a mount, a build that still passes --build-arg either leaks it\n" +
    "again (an ARG that comes back) or no longer gives the build its secret at all.",
  fix:
    "`unbake --write` migrates the call site together with the Dockerfile: `--build-arg NAME` becomes\n" +
    "`--secret id=<id>,env=NAME`, compose `build.args` become `build.secrets` and a top-level\n" +
    "`secrets:`, build-push-action `build-args` become `secret-envs`, bake `args` become `secret`.\n" +
    "A call site it cannot match to its Dockerfile for sure is reported for a person (manual).",
  example: "FROM node:22-slim\nARG NPM_TOKEN\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n",
};

const SCRIPT = "#!/bin/sh\nset -e\ndocker build --build-arg NPM_TOKEN=\"$NPM_TOKEN\" -t web:latest .\n";
const ROOT = "/repo";

export function explainBuildArgSecret(description: string, fixKind: string): string {
  const doc = BUILD_ARG_SECRET_DOC;
  const dockerfile = fix(doc.example);
  const secret = dockerfile.secrets.find((s) => s.buildArgs?.length);
  const migration = {
    dockerfile: `${ROOT}/Dockerfile`,
    context: ROOT,
    args: secret ? (secret.buildArgs ?? []).map((name) => ({ name, id: secret.id })) : [],
    files: [],
  };
  const edit = rewriteCallSites(`${ROOT}/build.sh`, SCRIPT, [migration], ROOT);
  const findings = buildArgSecretFindings(`${ROOT}/build.sh`, SCRIPT, [migration], ROOT, () => "Dockerfile");
  const out: string[] = [];
  out.push(`build-arg-secret: ${description}`);
  out.push(`fix: ${fixKind}`);
  out.push("", "What it finds", indent(doc.finds));
  out.push("", "Why it matters", indent(doc.why));
  out.push("", "What the fix does", indent(doc.fix));
  out.push("", "Example", "");
  out.push("Dockerfile:", fence(doc.example, "dockerfile"));
  out.push("build.sh before:", fence(SCRIPT, "sh"));
  out.push("Findings (unbake check):");
  for (const f of findings) out.push(`  build.sh:${f.line}:${f.column}  ${f.rule}  ${f.status}  ${f.message}`);
  out.push("build.sh after `unbake --write`:", fence(edit?.after ?? SCRIPT, "sh"));
  return out.join("\n") + "\n";
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}

function fence(text: string, lang: string): string {
  return "```" + lang + "\n" + text + (text.endsWith("\n") ? "" : "\n") + "```";
}
