/**
 * Hard-coded values in call-site files. A removed build argument is a secret; a value written
 * into the file for it (`--build-arg NPM_TOKEN=abc123`, `NPM_TOKEN: abc123`, a `${X:-abc123}`
 * default) must never be printed, in a diff line or anywhere else. The rewriters report where each
 * one is spelled; the printer masks those spellings.
 */
import type { Literal, Migration } from "./types.js";
import { removedArgNames } from "./match.js";

/**
 * The hard-coded parts of a value spelled `raw` at offset `at`: the whole spelling when it expands
 * nothing, else the defaults and alternatives of `${X:-…}`, `${X-…}`, `${X:=…}`, `${X:+…}` that
 * expand nothing themselves. Quotes around the whole value stay out of the span.
 */
export function hardcodedParts(raw: string, at: number): Literal[] {
  if (raw === "") return [];
  if (!/[$`]/.test(raw)) {
    const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]!);
    const inner = quoted ? raw.slice(1, -1) : raw;
    return inner === "" ? [] : [{ start: at + (quoted ? 1 : 0), end: at + (quoted ? raw.length - 1 : raw.length), value: inner }];
  }
  const out: Literal[] = [];
  const re = /\$\{[A-Za-z_]\w*:?[-=+]([^{}$`"']*)\}/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    if (m[1] === "") continue;
    const start = at + m.index + m[0].length - 1 - m[1]!.length;
    out.push({ start, end: start + m[1]!.length, value: m[1]! });
  }
  return out;
}

/**
 * Hard-coded values shell text assigns to `names` (`T=abc123`, `export T='abc123'`), as words of
 * their own: one pass over the text.
 */
export function shellAssignedLiterals(t: string, names: ReadonlySet<string>, from = 0, to = t.length): Literal[] {
  const out: Literal[] = [];
  if (names.size === 0) return out;
  const word = /[^\s;&|()`]+/g;
  word.lastIndex = from;
  const text = t.slice(0, to);
  let previous = "";
  for (let m = word.exec(text); m; m = word.exec(text)) {
    const eq = m[0].indexOf("=");
    // An option's value (`--build-arg NPM_TOKEN=…`) is the build's to report, not an assignment.
    const option = previous.startsWith("-");
    previous = m[0];
    if (option || eq <= 0 || !names.has(m[0].slice(0, eq))) continue;
    out.push(...hardcodedParts(m[0].slice(eq + 1), m.index + eq + 1));
  }
  return out;
}

/** Hard-coded values a Makefile assigns to `names` outside recipes (`TOKEN ?= abc123`). */
export function makeAssignedLiterals(t: string, names: ReadonlySet<string>): Literal[] {
  const out: Literal[] = [];
  if (names.size === 0) return out;
  let start = 0;
  for (const line of t.split("\n")) {
    const at = start;
    start += line.length + 1;
    if (line.startsWith("\t")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const name = line.slice(0, eq).replace(/(?::{1,3}|[?+!])$/, "").trim().split(/[\s:;]+/).pop();
    if (name === undefined || !names.has(name)) continue;
    const hash = line.indexOf("#", eq);
    const rawValue = line.slice(eq + 1, hash < 0 ? line.length : hash).replace(/\r$/, "");
    const lead = rawValue.length - rawValue.trimStart().length;
    const value = rawValue.trim();
    out.push(...hardcodedParts(value, at + eq + 1 + lead));
  }
  return out;
}

/**
 * Names whose hard-coded value is a secret: the removed arguments themselves (`NPM_TOKEN=abc`,
 * also the command-scoped assignment a rewrite leaves), and the variables passed to them.
 */
export function secretNames(migrations: Migration[], feeders: string[]): Set<string> {
  return new Set([...removedArgNames(migrations), ...feeders]);
}
