/**
 * What a build of a rewritten Dockerfile is given: for each build secret its JSON report lists,
 * a fresh canary (a variable for env secrets, a file for file secrets), as `--secret` values and
 * the environment that carries the variables.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const canary = (): string => `canary${randomBytes(12).toString("hex")}`;

interface ReportedSecret {
  id: string;
  usage: string;
  source: { type: "env"; name: string } | { type: "file"; path: string };
}

export function secretsToSupply(reported: ReportedSecret[], work: string): { secrets: string[]; env: Record<string, string> } {
  const secrets: string[] = [];
  const env: Record<string, string> = {};
  for (const s of reported.filter((x) => x.usage === "build")) {
    if (s.source.type === "env") {
      env[s.source.name] = canary();
      secrets.push(`id=${s.id},env=${s.source.name}`);
    } else {
      const src = join(work, `secret-${s.id}`);
      writeFileSync(src, `//registry.example.com/:_authToken=${canary()}\n`);
      secrets.push(`id=${s.id},src=${src}`);
    }
  }
  return { secrets, env };
}

/**
 * The leaky image the audit proofs build: a build argument recorded in the history, an ENV
 * secret, and a credential file a later layer deletes, each holding a canary of its own.
 */
export function leakyDockerfile(base: string): { values: { arg: string; env: string; npmrc: string }; text: string } {
  const values = { arg: canary(), env: canary(), npmrc: canary() };
  const text = `FROM ${base}
ARG NPM_TOKEN
ENV API_TOKEN=${values.env}
COPY .npmrc /root/.npmrc
RUN npm ci
RUN rm -f /root/.npmrc
`;
  return { values, text };
}
