/**
 * Bytes outside the edited spans stay exactly as they were in every build file unbake edits,
 * whatever they are: random bytes (not UTF-8, C1 controls, lone continuation bytes, CR) on
 * comment lines around the edited line of a Makefile, a shell script, a compose file, a bake
 * file. The edit is the one made to the same file with ASCII in their place.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rewriteCallSites } from "../src/callsites/index.js";
import type { Migration } from "../src/callsites/types.js";
import { decodeExact, encodeExact } from "../src/cli/exact-text.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

const MIGRATION: Migration = { dockerfile: "/repo/api/Dockerfile", context: "/repo/api", args: [{ name: "NPM_TOKEN", id: "npm_token" }], files: [] };

/** Each template holds comment lines {0}, {1}, {2} around a build that passes --build-arg NPM_TOKEN. */
const TEMPLATES: Record<string, string> = {
  "/repo/Makefile": "# {0}\nbuild:\n\t# {1}\n\tdocker build --build-arg NPM_TOKEN=$(NPM_TOKEN) -t api api\n# {2}\n",
  "/repo/build.sh": "#!/bin/sh\n# {0}\nset -e\n# {1}\ndocker build --build-arg NPM_TOKEN -t api api\n# {2}\n",
  "/repo/compose.yaml": "# {0}\nservices:\n  api:\n    # {1}\n    build:\n      context: api\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n# {2}\n",
  "/repo/docker-bake.hcl": '# {0}\ntarget "api" {\n  # {1}\n  context = "api"\n  args = {\n    NPM_TOKEN = "${NPM_TOKEN}"\n  }\n}\n# {2}\n',
};

/**
 * A comment's bytes: anything but a line break (LF; CR, a line break in YAML) or a final
 * backslash (a continuation in make and sh, which makes the next line part of the comment).
 */
const commentBytes = fc
  .uint8Array({ maxLength: 24 })
  .map((a) => Buffer.from(a.filter((b) => b !== 0x0a && b !== 0x0d)))
  .filter((b) => b.at(-1) !== 0x5c);

function fill(template: string, parts: Buffer[], crlf: boolean): Buffer {
  const pieces = (crlf ? template.replace(/\n/g, "\r\n") : template).split(/\{(\d)\}/);
  return Buffer.concat(pieces.map((p, i) => (i % 2 === 1 ? parts[Number(p)]! : Buffer.from(p, "utf8"))));
}

describe("exact bytes in call-site files", () => {
  for (const [path, template] of Object.entries(TEMPLATES)) {
    it(`${path}: bytes outside the edit are kept, whatever they are`, () => {
      const placeholders = [0, 1, 2].map((i) => Buffer.from(`QQ${i}QQ`));
      const asciiEdits = [false, true].map((crlf) => rewriteCallSites(path, fill(template, placeholders, crlf).toString("utf8"), [MIGRATION], "/repo"));
      for (const e of asciiEdits) expect(e?.after.includes("npm_token"), "the template is a call site the rewrite changes").toBe(true);
      fc.assert(
        fc.property(fc.tuple(commentBytes, commentBytes, commentBytes), fc.boolean(), (parts, crlf) => {
          const asciiEdit = asciiEdits[crlf ? 1 : 0];
          const input = fill(template, parts, crlf);
          const file = decodeExact(input);
          const edit = rewriteCallSites(path, file.text, [MIGRATION], "/repo");
          expect(edit).not.toBeNull();
          const output = encodeExact(edit!.after, file.latin1);
          // The ASCII file's output with each placeholder put back as the random bytes.
          let expected = Buffer.from(asciiEdit!.after, "utf8");
          placeholders.forEach((ph, i) => {
            const at = expected.indexOf(ph);
            expected = Buffer.concat([expected.subarray(0, at), parts[i]!, expected.subarray(at + ph.length)]);
          });
          expect(output.equals(expected)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
