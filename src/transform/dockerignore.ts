/**
 * Keep removed secret files out of the build context, so a later `COPY . .` cannot bring
 * them back. Appends only; existing lines, order and line endings stay.
 */
export function updateDockerignore(existing: string | null, paths: string[]): string | null {
  const normalise = (line: string) => line.trim().replace(/^\.?\//, "").replace(/\/+$/, "");
  const present = new Set((existing ?? "").split("\n").map(normalise));
  const missing = [...new Set(paths)].filter((p) => !present.has(normalise(p)));
  if (missing.length === 0) return null;
  const eol = existing?.includes("\r\n") ? "\r\n" : "\n";
  let out = existing ?? "";
  if (out !== "" && !out.endsWith("\n")) out += eol;
  // A leading "#" or "!" would make the path a comment or an exception.
  return out + missing.map((p) => (/^[#!]/.test(p) ? `\\${p}` : p) + eol).join("");
}
