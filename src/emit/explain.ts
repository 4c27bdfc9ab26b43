/**
 * `unbake rules` and `unbake explain <rule>`: the rule list, and per rule what it finds, why it
 * matters, what the fix does and a before/after example. The "after" of every example is not
 * typed in here: it is what the pipeline (`fix`) makes of the "before", computed when the
 * explanation is shown, so an example cannot drift from what `unbake --write` really does.
 */
import { fix } from "../index.js";
import { RULES } from "../analyse/rules.js";
import { dockerBuildCommand } from "./build-commands.js";
import { BUILD_ARG_SECRET_DOC, explainBuildArgSecret } from "./explain-call-site.js";
import type { RuleId } from "../types.js";

interface RuleDoc {
  finds: string;
  why: string;
  fix: string;
  /** A Dockerfile with at least one finding of the rule; its "after" is computed by `fix`. */
  example: string;
}

/** Meaning of each fix kind, as `unbake rules` and `unbake explain` print it. */
const FIX_KIND: Record<"safe" | "unsafe" | "none", string> = {
  safe: "safe: the rewrite keeps what the build does",
  unsafe: "unsafe: the rewrite changes what the build or the container does",
  none: "none: unbake reports it; a person fixes it",
};

// An obviously made-up password, assembled so that secret scanners do not flag this file.
const EXAMPLE_PASSWORD = "hunter2" + "hunter2";

const DOCS: Record<RuleId, RuleDoc> = {
  "secret-file-copy": {
    finds:
      "COPY or ADD of a credential file: .npmrc, .yarnrc(.yml), .pypirc, pip.conf, .netrc, .git-credentials,\n" +
      "ssh keys, .aws/credentials, service-account and *credentials*.json files, kubeconfig,\n" +
      ".docker/config.json, maven settings.xml, gradle.properties, composer auth.json, private keys\n" +
      "(*.key, key-like *.pem, *.p12), .env …",
    why:
      "Every COPY/ADD makes a layer, and the file is stored in that layer's tar archive for good.\n" +
      "A later `RUN rm` only adds a whiteout in a new layer: the earlier layer still holds the file,\n" +
      "and anyone who can pull the image gets it back with `docker save` or by reading the layer\n" +
      "from the registry. `docker history` shows the COPY that put it there. The build cache, and\n" +
      "any cache exported with --cache-to, hold it too.",
    fix:
      "The file leaves that COPY/ADD (only that one; the instruction goes when nothing is left in\n" +
      "it). Every RUN that reads the file gets `--mount=type=secret,id=<id>,target=<where it was>,\n" +
      "required=true` (the build failed without the file, and still does without its --secret),\n" +
      "so the file is there, read-only, for that RUN alone and is never stored. `rm`/`chmod` of it\n" +
      "go (a mount is read-only and disappears after the RUN). The path joins the .dockerignore so a\n" +
      "`COPY . .` cannot bring it back, and `# syntax=docker/dockerfile:1` is added when missing.\n" +
      "The build then supplies the file: `docker build --secret id=<id>,src=<file>`. An ssh key in\n" +
      "~/.ssh for git or ssh needs no file at all: the RUNs that talk ssh get `--mount=type=ssh` and\n" +
      "the build forwards the caller's ssh agent (`--ssh default`, after `ssh-add <key>`), unless a\n" +
      "RUN reads the key by its path (`ssh -i`, an ssh config naming it).",
    example:
      "FROM node:22-slim\n" +
      "WORKDIR /app\n" +
      "COPY package.json package-lock.json .npmrc ./\n" +
      "RUN npm ci && rm -f .npmrc\n" +
      "COPY . .\n" +
      'CMD ["node", "server.js"]\n',
  },
  "secret-arg-env": {
    finds:
      "ARG and ENV whose name says secret (BuildKit's, trivy's and hadolint's lists, without their\n" +
      "false positives such as GPG_KEY, PUBLIC_KEY, *_FILE, *_VERSION), copies of them\n" +
      "(`ENV NODE_AUTH_TOKEN=${NPM_TOKEN}`), and ARG/ENV with a hard-coded token value.",
    why:
      "A build argument that a RUN uses is recorded in the image history: `docker history --no-trunc`\n" +
      "shows it in the command of every such RUN (`|1 NPM_TOKEN=… /bin/sh -c npm ci`), and BuildKit's\n" +
      "provenance attestations list build arguments too. An ENV is stored in the image config:\n" +
      "`docker inspect` shows it under Config.Env, and every container started from the image, and\n" +
      "every image built FROM it, has it in its environment.",
    fix:
      "The ARG/ENV goes. Every RUN that reads the variable (by name, or through a tool that reads it,\n" +
      "e.g. npm reads NPM_TOKEN) gets `--mount=type=secret,id=<id>,env=NAME`, which sets the variable\n" +
      "for that RUN alone; an ARG or ENV no RUN names is mounted on every later RUN that has it in\n" +
      "its environment (its stage, and for an ENV the stages built FROM it), except RUNs made only\n" +
      "of commands that never read such a variable (mkdir, apt-get install …). A placeholder value\n" +
      "(`changeme`, `dummy`, a URL on localhost) is no hard-coded secret: an ENV that sets one stays. With\n" +
      "--mount-style file, the mount is a file and the RUN reads `$(cat /run/secrets/<id>)`. The\n" +
      "build then passes `--secret id=<id>,env=NAME` instead of `--build-arg NAME`. An ARG's default\n" +
      "that is no hard-coded value (`ARG TOKEN=unset`) is what those RUNs still see without the\n" +
      "secret: `export TOKEN=\"${TOKEN:-unset}\" && ` opens their command. The call sites\n" +
      "(compose files, workflows, scripts, bake files) in the same batch are migrated. A hard-coded\n" +
      "value leaves the file but stays in the repository's history: rotate it. A secret the running\n" +
      "container needs becomes a run-time secret (status needs-review).",
    example:
      "FROM node:22-slim\n" +
      "ARG NPM_TOKEN\n" +
      "ENV NPM_TOKEN=$NPM_TOKEN\n" +
      "WORKDIR /app\n" +
      "COPY package.json package-lock.json ./\n" +
      "RUN npm ci\n" +
      'CMD ["node", "server.js"]\n',
  },
  "hardcoded-secret": {
    finds:
      "Known token formats (AWS, GitHub, GitLab, Slack, Stripe, npm, Google, OpenAI, private keys)\n" +
      "and `scheme://user:password@host` URLs anywhere in the Dockerfile that secret-arg-env does\n" +
      "not already cover: RUN commands, LABELs, URLs of ADD …",
    why:
      "The value is written in the Dockerfile, so it is in the repository and its history for good.\n" +
      "In a RUN it is also part of the image: `docker history` shows the full command of every RUN,\n" +
      "and the build cache keys on it. Anyone who can read the repository or pull the image has it.",
    fix:
      "None: unbake cannot know where the value should come from, and removing it would not undo\n" +
      "the leak. Rotate it (revoke it and issue a new one), then pass the new value with a secret\n" +
      "mount: `RUN --mount=type=secret,id=<id>,env=NAME …` and `docker build --secret id=<id>,env=NAME`.\n" +
      "The rest of the file is still rewritten. unbake never prints the value (diffs and reports\n" +
      "show ***) unless --show-secrets is given.",
    example:
      "FROM node:22-slim\n" +
      "ARG NPM_TOKEN\n" +
      "WORKDIR /app\n" +
      "COPY package.json package-lock.json ./\n" +
      "RUN npm ci\n" +
      `RUN curl -fsSL https://deploy:${EXAMPLE_PASSWORD}@artifacts.example.com/agent.tgz | tar -xz -C /opt\n`,
  },
  "run-writes-secret": {
    finds:
      "A RUN that writes a secret into a file that stays in the layer: `echo … > .npmrc` without\n" +
      "deleting it in the same RUN, `git config … $TOKEN`, `git clone` of a URL with a token,\n" +
      "`npm config set`, `docker login -p …`, `aws configure` …",
    why:
      "A secret mount keeps the value out of the image only as long as nothing copies it: a file a\n" +
      "RUN writes is part of that RUN's layer, even when the value came from a secret mount, and\n" +
      "deleting it in a later RUN does not take it out of the earlier layer.",
    fix:
      "None, and it is reported even after the rewrite: the rewrite changes where the value comes\n" +
      "from, not where the RUN puts it. By hand: delete the file in the same RUN\n" +
      "(`… > .npmrc && npm ci && rm .npmrc`), write it to a tmpfs mount (`--mount=type=tmpfs,target=…`),\n" +
      "or mount the finished file itself as a secret (`--mount=type=secret,id=npmrc,target=/app/.npmrc`).",
    example:
      "FROM node:22-slim\n" +
      "ARG NPM_TOKEN\n" +
      "WORKDIR /app\n" +
      'RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc\n' +
      "COPY package.json .\n" +
      "RUN npm ci\n",
  },
  "secret-used-outside-run": {
    finds:
      "A secret variable used by an instruction that cannot mount it: LABEL, COPY/ADD, FROM,\n" +
      "WORKDIR, a derived ENV (`ENV AUTH=\"Bearer $API_TOKEN\"`) …",
    why:
      "Only RUN can mount a secret. The other instructions are evaluated by the builder itself, and\n" +
      "what they make of the value is kept: a LABEL or ENV in the image config (`docker inspect`), a\n" +
      "path in a layer, an instruction in `docker history`.",
    fix:
      "None: unbake leaves that secret as it is (its ARG/ENV stays, reported as manual) so that the\n" +
      "build keeps working; the other secrets of the file are still rewritten. Move the use into a\n" +
      "RUN with a secret mount, supply the value when the container starts, or drop it (a label\n" +
      "should not hold a credential).",
    example:
      "FROM node:22-slim\n" +
      "ARG NPM_TOKEN\n" +
      "ARG DEPLOY_TOKEN\n" +
      'LABEL org.example.deploy-token="$DEPLOY_TOKEN"\n' +
      "WORKDIR /app\n" +
      "COPY package.json package-lock.json ./\n" +
      "RUN npm ci\n" +
      'RUN wget --header "Authorization: Bearer $DEPLOY_TOKEN" -O /tmp/assets.tgz https://assets.example.com/latest.tgz\n',
  },
  "secret-printed": {
    finds:
      "A RUN that prints a secret it receives: `echo $TOKEN`, `printf`, `cat` of the secret file to the\n" +
      "output, bare `env`/`printenv`/`export -p`, or any command that expands it after `set -x`. Output\n" +
      "that is redirected to a file, piped into another program or captured by `$( )` is not printed.",
    why:
      "Build output is shown by `docker build`, kept by CI in its job logs and by BuildKit in its build\n" +
      "history. A secret mount keeps the value out of the image, not out of the log: anyone who can\n" +
      "read the job log reads the secret.",
    fix:
      "None, and it is reported after the rewrite too (status needs-review): unbake does not know\n" +
      "whether the output is needed. Remove the command that prints the value, print something else\n" +
      "(its length, a digest), or send the output to /dev/null.",
    example:
      "FROM alpine:3.20\n" +
      "ARG API_TOKEN\n" +
      'RUN echo "token: $API_TOKEN" && wget --header "Authorization: Bearer $API_TOKEN" -O /tmp/a.tgz https://example.com/a.tgz\n',
  },
  "build-arg-secret": BUILD_ARG_SECRET_DOC,
};

const RULE_IDS = Object.keys(RULES) as RuleId[];

/** `unbake rules`: one line per rule — id, fix kind, description — in aligned columns. */
export function rulesTable(): string {
  const idWidth = Math.max(...RULE_IDS.map((id) => id.length));
  const fixWidth = Math.max(...RULE_IDS.map((id) => RULES[id].fix.length));
  return RULE_IDS.map((id) => `${id.padEnd(idWidth)}  ${RULES[id].fix.padEnd(fixWidth)}  ${RULES[id].description}\n`).join("");
}

/** The example Dockerfile of a rule (its "before"); undefined for an unknown id. */
export function ruleExample(id: string): string | undefined {
  return isRuleId(id) ? DOCS[id].example : undefined;
}

/** `unbake explain <rule>`: null for an unknown rule id. */
export function explainRule(id: string): string | null {
  if (!isRuleId(id)) return null;
  const meta = RULES[id];
  if (id === "build-arg-secret") return explainBuildArgSecret(meta.description, FIX_KIND[meta.fix]);
  const doc = DOCS[id];
  const before = doc.example;
  const result = fix(before);

  const out: string[] = [];
  out.push(`${id}: ${meta.description}`);
  out.push(`fix: ${FIX_KIND[meta.fix]}`);
  out.push("", "What it finds", indent(doc.finds));
  out.push("", "Why it matters", indent(doc.why));
  out.push("", "What the fix does", indent(doc.fix));
  out.push("", "Example", "");
  out.push("Before:", fence(before));
  out.push(result.changed ? "After `unbake --write`:" : "After `unbake --write` (unchanged):", fence(result.text));
  out.push("Findings:");
  for (const f of result.findings) out.push(`  line ${f.line}  ${f.rule}  ${f.status}  ${f.message}`);
  // Only the secrets the rewrite moved into mounts: one it left as is (manual) still comes from --build-arg.
  const moved = new Set(result.findings.filter((f) => f.secretId !== undefined && f.status !== "manual").map((f) => f.secretId));
  const buildSecrets = result.secrets.filter((s) => s.usage === "build" && moved.has(s.id));
  if (result.changed && buildSecrets.length > 0) {
    out.push("Build with:", `  ${dockerBuildCommand({ dockerfile: "Dockerfile", secrets: buildSecrets })}`);
  }
  if (result.ignorePaths.length > 0) out.push(`Added to .dockerignore: ${result.ignorePaths.join(", ")}`);
  return out.join("\n") + "\n";
}

function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}

/** A fenced block holding the text exactly (it always ends with a newline). */
function fence(text: string): string {
  return "```dockerfile\n" + text + (text.endsWith("\n") ? "" : "\n") + "```";
}
