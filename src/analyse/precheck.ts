/**
 * A cheap, exact pre-check: most Dockerfiles cannot carry a secret, and proving that from the
 * text alone costs a fraction of parsing. It never guesses: it lets a file through unparsed only
 * when no rule could report anything, because every finding needs one of
 *  - a name the name classifier calls secret (an ARG/ENV secret, a secret variable a RUN writes
 *    or passes on): such a name contains a SECRET_NAME_FRAGMENT, so every token around a
 *    fragment is classified exactly as the analysis would;
 *  - a COPY/ADD word the path classifier calls a credential file: every word on COPY/ADD lines
 *    (and their continuation lines) is classified;
 *  - a hard-coded value of a known format: the same value finder runs on the whole text;
 *  - a password piped into chpasswd/passwd.
 * Anything else has nothing to remove, mount or report. test/precheck.test.ts checks the claim
 * on the whole corpus, the fixtures and generated files.
 */
import { isSecretName, SECRET_NAME_FRAGMENTS } from "./secret-names.js";
import { classifySecretPath } from "./secret-files.js";
import { findSecretValues } from "./secret-values.js";

const FRAGMENT = new RegExp(SECRET_NAME_FRAGMENTS.join("|"), "gi");
const COPY_LINE = /^[ \t]*(?:onbuild[ \t]+)?(?:copy|add)[ \t]/gim;
const WORD_SEPARATORS = /[\s,[\]]+/;
const NOT_NAME = /[\s=]/;
const NOT_IDENTIFIER = /[^A-Za-z0-9_]/;

export function mayHaveFindings(text: string): boolean {
  return namesASecret(text) || copiesACredentialFile(text) || /passwd/i.test(text) || findSecretValues(text).length > 0;
}

/** Around each fragment: the whole name-like run (no blank or `=`) and the identifier run. */
function namesASecret(text: string): boolean {
  FRAGMENT.lastIndex = 0;
  for (let m = FRAGMENT.exec(text); m; m = FRAGMENT.exec(text)) {
    if (isSecretName(runAround(text, m.index, NOT_NAME)) || isSecretName(runAround(text, m.index, NOT_IDENTIFIER))) return true;
  }
  return false;
}

function runAround(text: string, at: number, stop: RegExp): string {
  let start = at;
  while (start > 0 && !stop.test(text[start - 1])) start--;
  let end = at;
  while (end < text.length && !stop.test(text[end])) end++;
  return text.slice(start, end);
}

function copiesACredentialFile(text: string): boolean {
  COPY_LINE.lastIndex = 0;
  for (let m = COPY_LINE.exec(text); m; m = COPY_LINE.exec(text)) {
    // The instruction and every line it continues onto (either escape character; comment and
    // blank lines inside a continuation do not end it).
    let lineStart = m.index;
    let first = true;
    for (;;) {
      const nl = text.indexOf("\n", lineStart);
      const line = text.slice(lineStart, nl === -1 ? text.length : nl);
      for (const word of line.split(WORD_SEPARATORS)) if (word && classifySecretPath(word)) return true;
      const trimmed = line.replace(/[ \t\r]+$/, "");
      const skipped = !first && (trimmed === "" || /^\s*#/.test(trimmed));
      first = false;
      if (nl === -1 || (!skipped && !trimmed.endsWith("\\") && !trimmed.endsWith("`"))) break;
      lineStart = nl + 1;
    }
    COPY_LINE.lastIndex = Math.max(COPY_LINE.lastIndex, lineStart + 1);
  }
  return false;
}
