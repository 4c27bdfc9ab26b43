/**
 * Text that turns back into exactly the bytes it came from, for the files unbake edits but does
 * not own (.dockerignore, compose files, workflows, Makefiles, scripts, bake files). Valid UTF-8
 * is decoded as UTF-8 (a BOM kept in the text); anything else as one character per byte
 * (latin1), so that the rewriters can still work on it and every byte they did not edit is
 * written back as it was — never U+FFFD in place of a byte that was not UTF-8.
 */
import { FileProblem } from "./safe-file.js";

export interface ExactText {
  text: string;
  /** The bytes were not UTF-8: one character per byte. */
  latin1: boolean;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decodeExact(bytes: Uint8Array): ExactText {
  try {
    return { text: UTF8.decode(bytes), latin1: false };
  } catch {
    return { text: Buffer.from(bytes).toString("latin1"), latin1: true };
  }
}

/**
 * The bytes of an edited text. In a latin1 text every character stands for one byte; the
 * rewriters only copy characters of the file or insert ASCII (ids, flags, names), so a character
 * above U+00FF means an insertion that has no single byte: refused rather than written wrongly.
 */
export function encodeExact(text: string, latin1: boolean): Buffer {
  if (!latin1) return Buffer.from(text, "utf8");
  if (/[^\u0000-\u00ff]/.test(text)) throw new FileProblem("the file is not UTF-8 and the change would add characters that are not ASCII");
  return Buffer.from(text, "latin1");
}

/** A UTF-8 string as characters of a text decoded by decodeExact (in latin1: one per UTF-8 byte). */
export function inFileCharacters(s: string, latin1: boolean): string {
  return latin1 ? Buffer.from(s, "utf8").toString("latin1") : s;
}

/**
 * The text to show in a diff: as it always was (bytes that are not UTF-8 become U+FFFD), never
 * the latin1 characters themselves (bytes 0x80–0x9F would reach the terminal as C1 controls).
 */
export function shownText(t: ExactText): string {
  return t.latin1 ? Buffer.from(t.text, "latin1").toString("utf8") : t.text;
}
