/**
 * SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers: one run, every rule of
 * RULES in `tool.driver.rules`, one result per finding, and a tool execution notification per
 * file that failed.
 *
 * Fixes: with `fixes` (per report path, the Dockerfile's text before and after the rewrite),
 * each finding the rewrite removes (fixed, needs-review) gets one SARIF fix: the rewrite of the
 * whole file, as line-based replacements. unbake's edits for one secret span several
 * instructions (the ARG goes, the RUNs that read it get a mount), so a part of the file cannot
 * fix one finding alone; every fixable finding of a file carries the same whole-file fix.
 * The texts are printed as they are given: pass them redacted, as the diffs are.
 *
 * Fingerprints (`partialFingerprints["unbake/v1"]`): a hash of the rule, the path, the secret id
 * and the finding's rank among the file's findings with that rule and secret. No line number
 * (a line added above would make every alert new) and no line text (it can hold a secret value).
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { diffLines } from "diff";
import type * as Sarif from "sarif";
import { RULES } from "../../analyse/rules.js";
import type { Finding, RuleId } from "../../types.js";
import type { FileReport } from "../file-report.js";
import { escapeText, safeJson } from "../escape.js";
import { relativeToCwd, severityOf, type FormatOptions } from "./index.js";

export type SarifOptions = FormatOptions & { fixes?: Map<string, { before: string; after: string }> };

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT = "%SRCROOT%";
const TAGS = ["security", "secrets", "docker"];

/** build-arg-secret: about the build files that call a Dockerfile. */
const CALL_SITE_HELP = {
  text:
    "A build argument is recorded in the image history and in provenance attestations, where anyone with the image can read it. " +
    "unbake --write migrates the call site: --build-arg NAME becomes --secret id=…,env=NAME, compose build.args become build.secrets, " +
    "build-push-action build-args become secret-envs, bake args become secret.",
  markdown:
    "A build argument is recorded in the image history and in provenance attestations, where anyone with the image can read it.\n\n" +
    "`unbake --write` migrates the call site: `--build-arg NAME` becomes `--secret id=…,env=NAME`, compose `build.args` become " +
    "`build.secrets`, build-push-action `build-args` become `secret-envs`, bake `args` become `secret`.",
};

/** How each rule is fixed: the help a code-scanning alert shows. Plain text, then Markdown. */
const HELP: Record<RuleId, { text: string; markdown: string }> = {
  "secret-file-copy": {
    text:
      "A credential file copied into an image stays in its layer, even if a later instruction deletes it. " +
      "unbake --write removes the file from the COPY/ADD, mounts it with --mount=type=secret on the RUN instructions that read it, " +
      "drops their rm/chmod of it and adds it to .dockerignore; the build then needs --secret id=…,src=<file>.",
    markdown:
      "A credential file copied into an image stays in its layer, even if a later instruction deletes it.\n\n" +
      "`unbake --write` removes the file from the `COPY`/`ADD`, mounts it with `--mount=type=secret,id=…,target=…,required=true` on the " +
      "`RUN` instructions that read it, drops their `rm`/`chmod` of it and adds it to `.dockerignore`; the build then needs " +
      "`--secret id=…,src=<file>`.",
  },
  "secret-arg-env": {
    text:
      "ARG and ENV values are recorded in the image's history or configuration, where anyone with the image can read them. " +
      "unbake --write removes the ARG/ENV and mounts the secret with --mount=type=secret,id=…,env=NAME on every RUN that reads it; " +
      "the build then needs --secret id=…,env=NAME instead of --build-arg.",
    markdown:
      "`ARG` and `ENV` values are recorded in the image's history or configuration, where anyone with the image can read them.\n\n" +
      "`unbake --write` removes the `ARG`/`ENV` and mounts the secret with `--mount=type=secret,id=…,env=NAME` on every `RUN` " +
      "that reads it; the build then needs `--secret id=…,env=NAME` instead of `--build-arg`.",
  },
  "hardcoded-secret": {
    text:
      "The value is in the Dockerfile, so it is in the repository's history: rotate it, then pass the new value with a " +
      "BuildKit secret mount (RUN --mount=type=secret) or at run time. unbake does not change it.",
    markdown:
      "The value is in the Dockerfile, so it is in the repository's history: **rotate it**, then pass the new value with a " +
      "BuildKit secret mount (`RUN --mount=type=secret,…`) or at run time. unbake does not change it.",
  },
  "run-writes-secret": {
    text:
      "A file written by RUN stays in the layer, even when the value came from a secret mount. Delete it in the same RUN, " +
      "write it to a tmpfs mount, or mount the whole file as a secret. unbake does not change it.",
    markdown:
      "A file written by `RUN` stays in the layer, even when the value came from a secret mount. Delete it in the same `RUN`, " +
      "write it to a `--mount=type=tmpfs` mount, or mount the whole file as a secret. unbake does not change it.",
  },
  "secret-used-outside-run": {
    text:
      "Only RUN can mount a secret; LABEL, COPY, FROM or a derived ENV that uses it keeps it in the image. " +
      "Move that use into a RUN, or supply the value when the container starts. unbake leaves this secret as it is.",
    markdown:
      "Only `RUN` can mount a secret; `LABEL`, `COPY`, `FROM` or a derived `ENV` that uses it keeps it in the image. " +
      "Move that use into a `RUN`, or supply the value when the container starts. unbake leaves this secret as it is.",
  },
  "secret-printed": {
    text:
      "What a RUN prints goes to the build output, which build and CI logs keep, even when the value came from a secret " +
      "mount. Remove the command that prints it, or send its output to /dev/null. unbake does not change it.",
    markdown:
      "What a `RUN` prints goes to the build output, which build and CI logs keep, even when the value came from a secret " +
      "mount. Remove the command that prints it, or send its output to `/dev/null`. unbake does not change it.",
  },
  "build-arg-secret": CALL_SITE_HELP,
};

/**
 * GitHub code scanning's 0–10 score (≥9 critical, ≥7 high, ≥4 medium), per rule and scope: a
 * secret in the shipped image reaches everyone who pulls it; one only build stages held stays in
 * the builder's cache and intermediate images. A hard-coded value is in the repository's history
 * either way. GitHub reads the rule's figure (the image one); each result carries its own.
 */
const SECURITY_SEVERITY: Record<RuleId, { image: string; "build-stages": string }> = {
  "hardcoded-secret": { image: "9.0", "build-stages": "7.0" },
  "secret-file-copy": { image: "8.0", "build-stages": "5.5" },
  "run-writes-secret": { image: "8.0", "build-stages": "5.5" },
  "secret-arg-env": { image: "8.0", "build-stages": "5.0" },
  "secret-used-outside-run": { image: "8.0", "build-stages": "5.0" },
  "secret-printed": { image: "6.5", "build-stages": "5.0" },
  "build-arg-secret": { image: "7.5", "build-stages": "7.5" },
};

const RULE_IDS = Object.keys(RULES) as RuleId[];

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase());
}

function ruleDescriptor(id: RuleId): Sarif.ReportingDescriptor {
  const meta = RULES[id];
  const fixText =
    meta.fix === "none" ? "unbake reports it; a person must fix it." : `unbake --write fixes it (${meta.fix} fix).`;
  return {
    id,
    name: pascal(id),
    shortDescription: { text: meta.description },
    fullDescription: { text: `${meta.description}. ${fixText}` },
    help: HELP[id],
    defaultConfiguration: { level: meta.fix === "none" ? "error" : "warning" },
    properties: { tags: TAGS, precision: "high", "security-severity": SECURITY_SEVERITY[id].image, fix: meta.fix },
  };
}

/** Where a report path points: relative to %SRCROOT% (cwd) when inside it, else an absolute file URL. */
function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  const rel = relativeToCwd(file, cwd);
  if (rel === undefined) return { uri: pathToFileURL(path.resolve(cwd, file)).href };
  return { uri: rel.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function region(f: Finding): Sarif.Region {
  const endLine = Math.max(f.endLine, f.line);
  const endColumn = endLine === f.line ? Math.max(f.endColumn, f.column) : Math.max(f.endColumn, 1);
  return { startLine: f.line, startColumn: f.column, endLine, endColumn };
}

/**
 * The rewrite as replacements of the original text, one per changed run of lines, in character
 * offsets (UTF-16 code units, the run's columnKind) so that insertions at the end of the file
 * and CRLF line ends need no special case.
 */
export function replacements(before: string, after: string): Sarif.Replacement[] {
  const out: Sarif.Replacement[] = [];
  let offset = 0;
  let pending: { offset: number; length: number; text: string } | undefined;
  const flush = () => {
    if (!pending) return;
    out.push({
      deletedRegion: { charOffset: pending.offset, charLength: pending.length },
      ...(pending.text !== "" ? { insertedContent: { text: pending.text } } : {}),
    });
    pending = undefined;
  };
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      flush();
      offset += part.value.length;
      continue;
    }
    pending ??= { offset, length: 0, text: "" };
    if (part.removed) {
      pending.length += part.value.length;
      offset += part.value.length;
    } else pending.text += part.value;
  }
  flush();
  return out;
}

function fingerprint(f: Finding, uri: string, rank: number): string {
  return createHash("sha256")
    .update([f.rule, uri, f.secretId ?? "", String(rank)].join("\0"))
    .digest("hex")
    .slice(0, 32);
}

export function sarif(files: FileReport[], o: SarifOptions): string {
  const severityOfFinding = severityOf(o);
  const results: Sarif.Result[] = [];
  const notifications: Sarif.Notification[] = [];

  for (const file of files) {
    const location = artifactLocation(file.path, o.cwd);
    if (file.error !== undefined) {
      notifications.push({
        level: "error",
        message: { text: escapeText(file.error) },
        locations: [{ physicalLocation: { artifactLocation: location } }],
      });
      continue;
    }

    const change = o.fixes?.get(file.path);
    let fix: Sarif.Fix | undefined;
    if (change && change.before !== change.after) {
      const fixable = file.findings.filter((f) => f.status !== "manual").length;
      fix = {
        description: {
          text: `Rewrite ${escapeText(file.path)} to BuildKit secret mounts (unbake --write): the whole file's change, which removes ${fixable} finding${fixable === 1 ? "" : "s"}`,
        },
        artifactChanges: [{ artifactLocation: location, replacements: replacements(change.before, change.after) }],
      };
    }

    const ranks = new Map<string, number>();
    for (const f of file.findings) {
      const key = `${f.rule}\0${f.secretId ?? ""}`;
      const rank = ranks.get(key) ?? 0;
      ranks.set(key, rank + 1);
      results.push({
        ruleId: f.rule,
        ruleIndex: RULE_IDS.indexOf(f.rule),
        level: severityOfFinding(f),
        message: { text: escapeText(f.message) },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(f) } }],
        partialFingerprints: { "unbake/v1": fingerprint(f, location.uri!, rank) },
        ...(fix && f.status !== "manual" ? { fixes: [fix] } : {}),
        properties: {
          status: f.status,
          ...(f.secretId !== undefined ? { secretId: f.secretId } : {}),
          ...(f.scope ? { scope: f.scope, "security-severity": SECURITY_SEVERITY[f.rule][f.scope] } : {}),
        },
      });
    }
  }

  const cwdUri = pathToFileURL(path.resolve(o.cwd)).href;
  const log: Sarif.Log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "unbake", version: o.toolVersion, rules: RULE_IDS.map(ruleDescriptor) } },
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: cwdUri.endsWith("/") ? cwdUri : cwdUri + "/" } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  // Messages are escaped for the people who read them; safeJson keeps raw separators and bidi
  // controls (in the rewritten text of a fix) out of the printed JSON without changing a value.
  return safeJson(JSON.stringify(log, null, 2)) + "\n";
}
