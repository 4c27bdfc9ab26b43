/**
 * Regular expressions from a repository's configuration (`secretNames`, `allow.names`) run on
 * RE2 through re2js, a pure-JavaScript port: matching time is linear in the name's length
 * whatever the pattern, so `/^(a+)+$/` against a long ARG name cannot hang a run as it hangs a
 * backtracking engine. The price is RE2's syntax: no lookaround, no backreferences. The engine
 * is loaded only when a configuration has such an entry.
 */
import { createRequire } from "node:module";

type Re2 = (typeof import("re2js"))["RE2JS"];

let engine: Re2 | null = null;

function re2(): Re2 {
  engine ??= (createRequire(import.meta.url)("re2js") as typeof import("re2js")).RE2JS;
  return engine;
}

export interface NamePattern {
  /** Does the pattern match anywhere in the name (as RegExp.test does)? */
  test(name: string): boolean;
}

/** Compiles a pattern with JavaScript flags; throws an Error saying why RE2 cannot run it. */
export function compileLinear(source: string, flags: string): NamePattern {
  const RE2JS = re2();
  let bits = 0;
  for (const flag of flags) {
    if (flag === "i") bits |= RE2JS.CASE_INSENSITIVE;
    else if (flag === "s") bits |= RE2JS.DOTALL;
    else if (flag === "m") bits |= RE2JS.MULTILINE;
    // RE2 reads Unicode anyway; match indices change nothing for a yes/no test.
    else if (flag !== "u" && flag !== "d") throw new Error(`flag "${flag}" is not supported`);
  }
  let re: ReturnType<Re2["compile"]>;
  try {
    re = RE2JS.compile(source, bits);
  } catch (e) {
    throw new Error((e as Error).message.replace(/^error parsing regexp: /, ""));
  }
  return { test: (name) => re.matcher(name).find() };
}
