/**
 * Which words of a RUN sit in a credential slot (src/knowledge/credential-slots.ts): the value of
 * `docker login -p`, the token of `npm config set //h/:_authToken`, an index URL, the userinfo
 * of a URL… For each: where the credential is written (its exact source range when the word's
 * spelling allows, else the whole word), whether it is a literal, and which variables it expands.
 * Pure: the rules decide what a hit means (credential-slot literals in hardcoded-secret.ts,
 * secrets by use in env-secrets.ts).
 */
import type { ShellCommand, ShellWord } from "../parse/shell.js";
import { CREDENTIAL_SLOTS, credentialVariable, type CredentialSlot } from "../knowledge/credential-slots.js";
import { storingCommand, type Piece } from "../knowledge/tools/index.js";
import { programOf, type RunScript } from "./run-script.js";
import { isPlaceholder } from "../knowledge/placeholders.js";

export interface SlotHit {
  /** The row's id, or `variable:<NAME>` for a tool's own variable set before a command. */
  slot: string;
  /** What the slot is, for messages. */
  what: string;
  holds: "credential" | "index";
  /** [start, end) of the credential as written in the file. */
  start: number;
  end: number;
  /** The variables the credential's text refers to (`$X`, `${X…}`); none: a literal. */
  references: string[];
  /** A literal that is no placeholder: a hard-coded credential. */
  literal: boolean;
}

const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
const ANY_EXPANSION = /\$[A-Za-z_{(0-9@*#?!$-]/;
/** Not a credential: `<password>`, `{token}`, `{{ .Pass }}`, `%s`, `***`, `xxx`, `...`, `-` (stdin). */
const PLACEHOLDER = /^(?:<[^>]*>|\{\{?[^{}]*\}?\}|%[sd]|\*+|x+|X+|\.{2,}|\?+|-|"|')$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const HEADER_SCHEME = /^(?:bearer|basic|token|digest|apikey|api-key|jwt|key|otp)\s+/i;
const URL_USERINFO = /[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/([^\s/?#@]{1,512})@/g;

/** Every slot the RUN's commands fill; `text` is the whole file (word offsets point into it). */
export function credentialSlotHits(text: string, script: RunScript): SlotHit[] {
  const lower = script.text.toLowerCase();
  const rows = CREDENTIAL_SLOTS.filter(
    (r) => r.hints.some((h) => lower.includes(h)) && (!r.needs || r.needs.test(lower)) && (r.programs.length === 0 || r.programs.some((p) => script.programs.has(p))),
  );
  const variables = lower.includes("=");
  if (rows.length === 0 && !variables) return [];
  const hits: SlotHit[] = [];
  const commands = [...script.editable, ...script.readOnly];
  commands.forEach((command, i) => {
    const program = programOf(command.words.map((w) => w.value));
    if (variables) assignments(text, command.words.slice(0, program?.index ?? command.words.length), hits);
    if (!program) return;
    let at = program.index;
    let name = program.name;
    // `python -m pip …`: pip is the program.
    if (/^python[0-9.]*$/.test(name) && command.words[at + 1]?.value === "-m" && command.words[at + 2]) {
      at += 2;
      name = command.words[at].value;
    }
    if (name === "export" && variables) assignments(text, command.words.slice(at + 1), hits);
    const words = command.words.slice(at);
    const argv = [name, ...words.slice(1).map((w) => w.value)];
    for (const row of rows) {
      if (row.programs.length > 0 && !row.programs.includes(name)) continue;
      const from = afterCommand(argv, row.command ?? []);
      if (from === -1) continue;
      for (const part of placeParts(row, argv, words, from, commands, i)) {
        hits.push(hitOf(text, row.id, row.what, row.holds, part));
      }
    }
  });
  return hits;
}

/** A part of a word's value that holds the credential: the word and the offset of the part in its value. */
interface Part {
  word: ShellWord;
  offset: number;
  value: string;
}

const whole = (word: ShellWord): Part => ({ word, offset: 0, value: word.value });

/** The index in argv just after the command words (flags between them skipped); -1 when they do not follow. */
function afterCommand(argv: string[], command: readonly string[]): number {
  let k = 0;
  let i = 1;
  for (; i < argv.length && k < command.length; i++) {
    if (argv[i].startsWith("-")) continue;
    if (argv[i] !== command[k]) return -1;
    k++;
  }
  return k === command.length ? i : -1;
}

function placeParts(row: CredentialSlot, argv: string[], words: ShellWord[], from: number, commands: ShellCommand[], index: number): Part[] {
  const place = row.place;
  const out: Part[] = [];
  switch (place.kind) {
    case "option":
    case "header": {
      const names = place.kind === "option" ? place.names : ["-H", "--header"];
      for (let i = from; i < argv.length; i++) {
        const a = argv[i];
        let part: Part | null = null;
        for (const n of names) {
          if (a === n) {
            if (place.kind === "option" && place.joinedOnly) break;
            if (i + 1 < argv.length) part = whole(words[i + 1]);
            i++;
          } else if (n.startsWith("--") && a.startsWith(n + "=")) {
            part = { word: words[i], offset: n.length + 1, value: a.slice(n.length + 1) };
          } else if (row.holds === "credential" && !n.startsWith("--") && n.length === 2 && a.startsWith(n) && a.length > 2 && !a.startsWith("--")) {
            part = { word: words[i], offset: 2, value: a.slice(2) };
          } else continue;
          break;
        }
        if (!part) continue;
        if (place.kind === "header") part = headerCredential(part, place.names);
        else if (place.afterColon) {
          const colon = part.value.indexOf(":");
          part = colon === -1 ? null : { word: part.word, offset: part.offset + colon + 1, value: part.value.slice(colon + 1) };
        }
        if (part && part.value !== "") out.push(part);
      }
      break;
    }
    case "key":
      for (let i = from; i < argv.length; i++) {
        const eq = argv[i].indexOf("=");
        if (place.key.test(argv[i]) && i + 1 < argv.length) {
          out.push(whole(words[i + 1]));
          i++;
        } else if (eq > 0 && place.key.test(argv[i].slice(0, eq))) {
          out.push({ word: words[i], offset: eq + 1, value: argv[i].slice(eq + 1) });
        }
      }
      break;
    case "last-operand": {
      if (!argv.slice(from).some((a) => place.when.test(a))) break;
      for (let i = argv.length - 1; i >= from; i--) {
        if (argv[i].startsWith("-")) continue;
        out.push(whole(words[i]));
        break;
      }
      break;
    }
    case "first-operand":
      for (let i = from; i < argv.length; i++) {
        if (argv[i].startsWith("-")) continue;
        if (!argv[i].includes("=")) out.push(whole(words[i]));
        break;
      }
      break;
    case "stdin": {
      if ((place.flag && !argv.some((a) => place.flag!.test(a))) || index === 0 || commands[index].opBefore !== "|") break;
      const feeder = commands[index - 1].words;
      const p = programOf(feeder.map((w) => w.value));
      if (!p || !/^(?:echo|printf)$/.test(p.name)) break;
      const operands = feeder.slice(p.index + 1).filter((w) => !/^-[neE]+$/.test(w.value));
      const word = p.name === "printf" && operands[0]?.value.includes("%") ? operands[1] : operands[0];
      const m = word && place.text ? place.text.exec(word.value) : null;
      if (word && !place.text) out.push(whole(word));
      // The row's text pattern ends the credential at the last non-blank character of its match.
      else if (m) out.push({ word, offset: m.index + m[0].trimEnd().length - m[1].length, value: m[1] });
      break;
    }
    case "written": {
      const command = commands[index];
      if (!command.redirects.some((r) => />/.test(r.op) && place.file.test(r.target.value))) break;
      for (const word of words.slice(1)) {
        for (const m of word.value.matchAll(new RegExp(place.text.source, "g"))) {
          const value = m[1].replace(/\\n.*$/s, "");
          out.push({ word, offset: m.index + m[0].length - m[1].length, value });
        }
      }
      break;
    }
    case "storing": {
      const found = storingCommand(argv);
      const pieces = found?.row.fileFree?.(argv);
      if (!pieces || typeof pieces === "string") break;
      for (const value of credentialValues(pieces)) {
        for (let i = argv.length - 1; i >= 1; i--) {
          if (argv[i] !== value) continue;
          out.push(whole(words[i]));
          break;
        }
      }
      break;
    }
    case "userinfo":
      for (const word of words) {
        if (!word.value.includes("://")) continue;
        for (const m of word.value.matchAll(URL_USERINFO)) {
          const info = m[1];
          const colon = info.indexOf(":");
          const start = m.index + m[0].length - 1 - info.length;
          const password = colon === -1 ? "" : info.slice(colon + 1);
          // The token is the user part when the password is empty or GitHub's fixed x-oauth-basic.
          const part = ANY_EXPANSION.test(password)
            ? { word, offset: start + colon + 1, value: password }
            : password === "" || password === "x-oauth-basic"
              ? { word, offset: start, value: colon === -1 ? info : info.slice(0, colon) }
              : null;
          // Literal passwords in URLs are the value finder's (secret-values.ts): only variables here.
          if (part && ANY_EXPANSION.test(part.value)) out.push(part);
        }
      }
      break;
  }
  return out;
}

/** The credential after the header's name and scheme word, when the header is one that carries one. */
function headerCredential(part: Part, names: readonly string[]): Part | null {
  const m = /^\s*([A-Za-z0-9_-]+)\s*:\s*/.exec(part.value);
  if (!m || !names.includes(m[1].toLowerCase())) return null;
  let offset = m[0].length;
  const scheme = HEADER_SCHEME.exec(part.value.slice(offset));
  if (scheme) offset += scheme[0].length;
  const value = part.value.slice(offset).trim();
  return value === "" ? null : { word: part.word, offset: part.offset + offset, value };
}

/** The credential values of a storing command's file-free form (not user names, not git's rewritten URLs). */
function credentialValues(pieces: Piece[]): string[] {
  const out: string[] = [];
  for (const p of pieces) {
    if (p.kind === "env") {
      if (/_USERNAME$/.test(p.name)) continue;
      const nuget = /;Password=(.*)$/s.exec(p.value);
      out.push(nuget ? nuget[1] : p.value);
    } else if (p.kind === "composer") out.push(typeof p.value === "string" ? p.value : p.value.password);
  }
  return out;
}

/** `PIP_INDEX_URL=$X pip install …`, `export UV_INDEX_URL=…`: a tool's own variable set before a command. */
function assignments(text: string, words: ShellWord[], hits: SlotHit[]): void {
  for (const word of words) {
    const m = ASSIGNMENT.exec(word.value);
    if (!m) continue;
    const convention = credentialVariable(m[1]);
    if (!convention) continue;
    hits.push(hitOf(text, `variable:${m[1]}`, `${m[1]} (read by ${convention.tool})`, convention.holds, { word, offset: m[1].length + 1, value: m[2] }));
  }
}

function hitOf(text: string, slot: string, what: string, holds: "credential" | "index", part: Part): SlotHit {
  // An index URL is the variable's when the URL starts with it (`-i "$MIRROR"`); a variable
  // later in it (`https://host/$PATH`) is a part of the address, and userinfo has its own row.
  const variableUrl = holds === "credential" || /^\s*\$/.test(part.value);
  const references = variableUrl ? [...new Set([...part.value.matchAll(REFERENCE)].map((m) => m[1] ?? m[2]))] : [];
  const literal = holds === "credential" && part.value.trim() !== "" && !ANY_EXPANSION.test(part.value) && !PLACEHOLDER.test(part.value.trim()) && !isPlaceholder(part.value);
  const { start, end } = spanOf(text, part);
  return { slot, what, holds, start, end, references, literal };
}

/**
 * Where a part of a word's value is written: exact when the word is spelled as its value (no
 * quotes or escapes) or the part's text appears once in the word's spelling; else the whole word
 * (a range that hides too much is safe, one that hides too little is not).
 */
function spanOf(text: string, part: Part): { start: number; end: number } {
  const { word, offset, value } = part;
  const raw = text.slice(word.start, word.end);
  if (raw === word.value) return { start: word.start + offset, end: word.start + offset + value.length };
  const at = value === "" ? -1 : raw.indexOf(value);
  if (at !== -1 && raw.indexOf(value, at + 1) === -1) return { start: word.start + at, end: word.start + at + value.length };
  return { start: word.start, end: word.end };
}
