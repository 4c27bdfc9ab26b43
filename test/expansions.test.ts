/**
 * Which `$NAME` references the shell expands and which it passes on as text (REFERENCE §9, "Shell
 * quoting"): single quotes, `$'…'` and `\$` keep the reference as text.
 */
import { describe, expect, it } from "vitest";
import { variableReferences } from "../src/parse/expansions.js";

const refs = (text: string, escape = "\\") =>
  variableReferences(text, 0, text.length, escape).map((r) => `${r.name}${r.literal ? ":text" : ""}`);

describe("variableReferences", () => {
  it("expands unquoted and double-quoted references, in every spelling", () => {
    expect(refs('echo $A "${B}" "x${C:-d}y" ${D%%/*}')).toEqual(["A", "B", "C", "D"]);
  });

  it("keeps single-quoted, $'…' and backslashed references as text", () => {
    expect(refs(`git config credential.helper '!f() { echo "password=\${GIT_PASSWORD}"; }; f'`)).toEqual(["GIT_PASSWORD:text"]);
    expect(refs("echo $'$A\\'' \\$B \"\\$C\"")).toEqual(["A:text", "B:text", "C:text"]);
  });

  it("expands inside $( ) within double quotes, where single quotes mean quotes again", () => {
    expect(refs(`echo "$(printf '%s' '$A') $B"`)).toEqual(["A:text", "B"]);
  });

  it("takes a single quote that does not close on its line as an apostrophe: a reference after it is expanded", () => {
    expect(refs("cat <<EOF > /notes\ndon't forget\nEOF\ncurl -u x:$TOKEN https://x")).toEqual(["TOKEN"]);
  });

  it("joins Dockerfile line continuations with the file's escape character before reading quotes", () => {
    expect(refs("echo 'a \\\n $A' $B")).toEqual(["A:text", "B"]);
    expect(refs("echo 'a `\r\n $A' $B", "`")).toEqual(["A:text", "B"]);
  });

  it("reads neither $$ (the process id) nor comments as references", () => {
    expect(refs("echo $$A # $B\necho $C")).toEqual(["C"]);
  });
});
