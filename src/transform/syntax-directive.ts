/**
 * The `# syntax=` directive a rewritten file needs: secret mounts are stable from Dockerfile
 * frontend 1.2, `env=` from 1.10, and a pinned frontend is always used even on a newer
 * engine (REFERENCE §1). Only one syntax directive may exist, so an old pin is raised in
 * place, never duplicated, to the lowest version that has what the rewrite uses, written as
 * precisely as the pin was (`1.4` → `1.10`, `1.4-labs` → `1.10-labs`, `1.1.0` → `1.2.0`).
 */
import type { DockerfileModel } from "../parse/dockerfile.js";
import type { TextEdit } from "../types.js";

export const SYNTAX = "docker/dockerfile:1";

export interface SyntaxChange {
  edit: TextEdit | null;
  /** Set when the directive names something unbake cannot judge (another frontend, a digest). */
  problem: string | null;
}

const OFFICIAL = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:([^@\s]+)$/i;

export function syntaxChange(model: DockerfileModel, usesEnvForm: boolean): SyntaxChange {
  const directive = model.directives.directives.find((d) => d.name === "syntax");
  if (!directive) {
    const at = model.directives.insertAt;
    return { edit: { start: at, end: at, text: `# syntax=${SYNTAX}${model.layout.eol}` }, problem: null };
  }
  const value = directive.value;
  const tag = OFFICIAL.exec(value)?.[1];
  if (!tag) {
    return {
      edit: null,
      problem: `the syntax directive names ${value.includes("@") ? "a frontend pinned by digest" : `the frontend ${value}`}; check it supports secret mounts${usesEnvForm ? " with env= (Dockerfile 1.10+)" : ""}`,
    };
  }
  const labs = /-labs$/.test(tag) ? "-labs" : "";
  const version = /^(\d+)(?:\.(\d+))?(\.\d+)?(?:-labs)?$/.exec(tag);
  const needed = usesEnvForm ? 10 : 2;
  let tooOld: boolean;
  // The pin keeps its granularity: 1.4 becomes 1.10, 1.4.3 becomes 1.10.0, 0 becomes 1.
  let raised = SYNTAX;
  if (version) {
    const major = Number(version[1]);
    const minor = version[2] === undefined ? Infinity : Number(version[2]);
    tooOld = major < 1 || (major === 1 && minor < needed);
    if (version[2] !== undefined) raised = `${SYNTAX}.${needed}${version[3] !== undefined ? ".0" : ""}`;
  } else {
    // latest, labs, master: current; experimental and other channels are old.
    tooOld = !/^(latest|labs|master|master-labs)$/.test(tag);
  }
  if (!tooOld) return { edit: null, problem: null };
  return { edit: { start: directive.valueStart, end: directive.valueEnd, text: `${raised}${labs}` }, problem: null };
}
