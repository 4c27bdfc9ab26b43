/**
 * Hard-coded values in call-site files. A removed build argument is a secret; a value written
 * into the file for it (`--build-arg NPM_TOKEN=abc123`, `NPM_TOKEN: abc123`, a `${X:-abc123}`
 * default) must never be printed, in a diff line or anywhere else. The rewriters report where each
 * one is spelled; the printer masks those spellings.
 */
import type { Literal } from "./types.js";

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
