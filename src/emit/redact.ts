/**
 * Secret values never reach the output: every printed text goes through a redactor built
 * from the values the analysis saw. Very short values (under 3 characters) are left: hiding
 * every "ab" in a diff would garble it and protect nothing.
 */
export type Redactor = (text: string) => string;

export const MASK = "***";

export function createRedactor(values: string[]): Redactor {
  const targets = [...new Set(values)].filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
  if (targets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of targets) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  };
}

export const noRedaction: Redactor = (text) => text;
