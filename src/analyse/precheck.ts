/**
 * A cheap, exact pre-check: most Dockerfiles cannot carry a secret, and proving that from the
 * text alone costs a fraction of parsing. It never guesses: it lets a file through unparsed only
 * when no rule could report anything, because every finding needs one of
 *  - a name the name classifier calls secret: an ARG/ENV property (every word of ARG/ENV lines
 *    and their continuations is classified) or a `$VAR` a RUN writes (every variable reference
 *    is); such a name contains a SECRET_NAME_FRAGMENT, which skips most words unclassified;
 *  - a COPY/ADD word the path classifier calls a credential file: every word on COPY/ADD lines
 *    (and their continuation lines) is classified;
 *  - a hard-coded value of a known format: the same value finder runs on the whole text;
 *  - a password piped into chpasswd, or into passwd --stdin;
 *  - a secret mount already written (`type=secret`), whose value a RUN may print (secret-printed).
 * Anything else has nothing to remove, mount or report. test/precheck.test.ts checks the claim
 * on the whole corpus, the fixtures and generated files.
 */
import { isSecretName, SECRET_NAME_FRAGMENTS } from "./secret-names.js";
import { classifySecretPath } from "./secret-files.js";
import { findSecretValues } from "./secret-values.js";
import { CREDENTIAL_SLOTS, CREDENTIAL_VARIABLES, mayFillSlot, slotWordsIn } from "../knowledge/credential-slots.js";

const FRAGMENT_TEST = new RegExp(SECRET_NAME_FRAGMENTS.join("|"), "i");
// A BOM may start the first line.
const ARG_ENV_LINE = /^\uFEFF?[ \t]*(?:onbuild[ \t]+)?(?:arg|env)[ \t]/gim;
const COPY_LINE = /^\uFEFF?[ \t]*(?:onbuild[ \t]+)?(?:copy|add)[ \t]/gim;
const VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
const BLANKS = /\s+/;
const QUOTES = /["']/g;
const WORD_SEPARATORS = /[\s,[\]]+/;

export function mayHaveFindings(text: string): boolean {
  return (
    namesASecret(text) ||
    copiesACredentialFile(text) ||
    setsAPassword(text) ||
    findSecretValues(text).length > 0 ||
    fillsACredentialSlot(text) ||
    copiesOutOfTheContext(text) ||
    /type=secret/i.test(text)
  );
}

const ALIAS_LINE = /^[^\n]*\b(?:cp|mv|install|ln|cat)\b/gim;

/**
 * A folder of the context copied in (`COPY . /src`) and a file of it copied out on a line where
 * a word is a credential file's path (context-copies.ts): every word of every line (and its
 * continuation lines) that names cp, mv, install, ln or cat is classified.
 */
function copiesOutOfTheContext(text: string): boolean {
  let folder = false;
  forEachInstructionLine(text, COPY_LINE, (line) => {
    for (const word of line.split(WORD_SEPARATORS)) {
      const w = word.replace(QUOTES, "");
      if (w === "." || w.endsWith("/")) folder = true;
    }
    return folder;
  });
  if (!folder) return false;
  return namesACredentialFile(text, ALIAS_LINE);
}

/**
 * A credential slot (src/knowledge/credential-slots.ts) holds a literal or a variable: a RUN that
 * fills one names one of the row's programs and holds its hints and `needs` pattern (the scan
 * asks the same of the RUN's text); or a tool's own index variable is named.
 */
function fillsACredentialSlot(text: string): boolean {
  const lower = text.toLowerCase();
  const words = slotWordsIn(lower);
  return CREDENTIAL_VARIABLES.some((v) => words.hints.has(v.hint)) || CREDENTIAL_SLOTS.some((row) => mayFillSlot(row, text, lower, words));
}

/** findLiteralPasswords needs chpasswd, or passwd with --stdin (/etc/passwd alone is not it). */
function setsAPassword(text: string): boolean {
  return /chpasswd/i.test(text) || (/\bpasswd\b/.test(text) && text.includes("--stdin"));
}

/**
 * Names the analysis classifies: the words of ARG/ENV lines (and their continuation lines),
 * up to any `=`; and every `$NAME` / `${NAME}` a RUN may write into a file.
 */
function namesASecret(text: string): boolean {
  if (!FRAGMENT_TEST.test(text)) return false;
  let found = false;
  forEachInstructionLine(text, ARG_ENV_LINE, (line) => {
    for (const word of line.split(BLANKS)) {
      const name = word.split("=", 1)[0];
      if (name && FRAGMENT_TEST.test(name) && (isSecretName(name) || isSecretName(name.replace(QUOTES, "")))) found = true;
    }
    return found;
  });
  if (found) return true;
  // run-writes-secret reads undeclared variables only when upper case (a `$key` loop variable is not a secret).
  VARIABLE.lastIndex = 0;
  for (let m = VARIABLE.exec(text); m; m = VARIABLE.exec(text)) {
    if (m[1] === m[1].toUpperCase() && FRAGMENT_TEST.test(m[1]) && isSecretName(m[1])) return true;
  }
  return false;
}

/**
 * Calls visit(line) for each line that starts an instruction matching `start` and for every
 * line it continues onto (either escape character; comment and blank lines inside a
 * continuation do not end it); `first` marks an instruction's first line. Stops when visit returns true.
 */
function forEachInstructionLine(text: string, start: RegExp, visit: (line: string, first: boolean) => boolean): void {
  start.lastIndex = 0;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    let lineStart = m.index;
    let first = true;
    for (;;) {
      const nl = text.indexOf("\n", lineStart);
      const line = text.slice(lineStart, nl === -1 ? text.length : nl);
      if (visit(line, first)) return;
      const trimmed = line.replace(/[ \t\r]+$/, "");
      const skipped = !first && (trimmed === "" || /^\s*#/.test(trimmed));
      first = false;
      if (nl === -1 || (!skipped && !trimmed.endsWith("\\") && !trimmed.endsWith("`"))) break;
      lineStart = nl + 1;
    }
    start.lastIndex = Math.max(start.lastIndex, lineStart + 1);
  }
}

function copiesACredentialFile(text: string): boolean {
  return namesACredentialFile(text, COPY_LINE);
}

const CONTINUATION = /[\\`]\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*/g;
const ESCAPED = /[\\`]([\s\S])/g;

/**
 * Does a word of the instructions `start` finds (and their continuation lines) name a credential
 * file? Each word of a blank split is classified, and so are the spellings the parser gives a word
 * that split cuts or keeps escaped, looked at only for an instruction with a quote or an escape
 * character inside a line: each quoted string holding a blank, separator or backslash, as written,
 * JSON-decoded and without its line continuations (`COPY ["my creds/.npmrc", "/root/"]`), and each
 * word with its escape characters removed (`COPY .np\mrc` is `.npmrc`).
 */
function namesACredentialFile(text: string, start: RegExp): boolean {
  let found = false;
  let spelled: string[] | null = null;
  forEachInstructionLine(text, start, (line, first) => {
    if (first) {
      if (spelled && spellsACredentialFile(spelled.join("\n"))) return (found = true);
      spelled = null;
    }
    for (const word of line.split(WORD_SEPARATORS)) if (word && classifySecretPath(word)) return (found = true);
    if (spelled) spelled.push(line);
    else if (NEEDS_SPELLING.test(line)) spelled = [line];
    return false;
  });
  return found || (spelled !== null && spellsACredentialFile((spelled as string[]).join("\n")));
}

/** A quote, or an escape character that is not a line continuation. */
const NEEDS_SPELLING = /["']|[\\`](?![ \t\r]*$)/;
const SPLIT_BY_BLANKS = /[\s,[\]\\]/;

function spellsACredentialFile(instruction: string): boolean {
  for (const quoted of quotedStrings(instruction)) {
    const inner = quoted.slice(1, -1);
    if (!SPLIT_BY_BLANKS.test(inner)) continue; // the blank split saw it whole
    if (classifySecretPath(inner) || classifySecretPath(inner.replace(CONTINUATION, ""))) return true;
    if (quoted[0] === '"') {
      try {
        if (classifySecretPath(JSON.parse(quoted) as string)) return true;
      } catch {
        // not JSON: the raw forms above are what the parser keeps
      }
    }
  }
  for (const word of instruction.split(WORD_SEPARATORS)) if (/[\\`]/.test(word) && classifySecretPath(word.replace(ESCAPED, "$1"))) return true;
  return false;
}

/**
 * The quoted strings of a text, quotes included, across lines; `\` escapes inside double quotes.
 * One pass: once a quote has no closing one, no later quote of that kind has either.
 */
function quotedStrings(text: string): string[] {
  const out: string[] = [];
  const open: Record<string, boolean> = { '"': true, "'": true };
  for (let i = 0; i < text.length; i++) {
    const q = text[i];
    if ((q !== '"' && q !== "'") || !open[q]) continue;
    let j = i + 1;
    while (j < text.length && text[j] !== q) j += q === '"' && text[j] === "\\" ? 2 : 1;
    if (j >= text.length) {
      open[q] = false;
      continue;
    }
    out.push(text.slice(i, j + 1));
    i = j;
  }
  return out;
}
