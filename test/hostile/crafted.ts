/**
 * Dockerfiles crafted to make the analysis slow or hungry: each pattern repeated until the file
 * is just under the 1 MiB limit (or a fixed count, for the chains named in the issue). A secret
 * sits at the start of each, so the pre-check lets every one through to the full analysis.
 */
export const FILE_LIMIT = 1024 * 1024;
/** Room left for the canary line withCanary adds. */
const ROOM = 256;

/** Repeats unit(i) after head until one more would pass `limit` bytes (or `count` units). */
function fill(head: string, unit: (i: number) => string, tail = "", limit = FILE_LIMIT - ROOM, count = Infinity): string {
  const parts = [head];
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail);
  for (let i = 0; i < count; i++) {
    const u = unit(i);
    const n = Buffer.byteLength(u);
    if (size + n > limit) break;
    parts.push(u);
    size += n;
  }
  parts.push(tail);
  return parts.join("");
}

/** n stages, each built FROM the one before, a credential file copied in the first. */
export const stagesFrom = (n: number) => fill("FROM alpine AS s0\nCOPY .npmrc /root/.npmrc\n", (i) => `FROM s${i} AS s${i + 1}\nRUN npm ci\n`, "", FILE_LIMIT - ROOM, n);
/** n stages, each copying the credential file from the one before. */
export const copyFrom = (n: number) =>
  fill("FROM alpine AS s0\nCOPY .npmrc /root/.npmrc\n", (i) => `FROM alpine AS s${i + 1}\nCOPY --from=s${i} /root/.npmrc /root/.npmrc\nRUN npm ci\n`, "", FILE_LIMIT - ROOM, n);
/** ENV A0=$NPM_TOKEN, ENV A1=$A0, … n lines. */
export const envChain = (n: number) => fill("FROM alpine\nARG NPM_TOKEN\nENV A0=$NPM_TOKEN\n", (i) => `ENV A${i + 1}=$A${i}\n`, `RUN echo $A${n}\n`, FILE_LIMIT - ROOM, n);

/** The text with a hard-coded token after its first line: a value no output may show. */
export function withCanary(text: string, value: string): string {
  const nl = text.indexOf("\n") + 1;
  return `${text.slice(0, nl)}ENV API_TOKEN=${value}\n${text.slice(nl)}`;
}

export const CRAFTED: Record<string, () => string> = {
  "stages-from-1000": () => stagesFrom(1000),
  "stages-from-2000": () => stagesFrom(2000),
  "copy-from-1000": () => copyFrom(1000),
  "copy-from-2000": () => copyFrom(2000),
  "stages-1mib": () => fill("FROM alpine AS s0\nCOPY .npmrc /root/.npmrc\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\n", (i) => `FROM s${i} AS s${i + 1}\nCOPY --from=s${i} /root/.npmrc /root/.npmrc\nRUN npm ci\n`),
  "env-chain-40000": () => envChain(40_000),
  "env-chain-1mib": () => fill("FROM alpine\nARG NPM_TOKEN\nENV A0=$NPM_TOKEN\n", (i) => `ENV A${i + 1}=$A${i}\nRUN echo $A${i}\n`),
  /** Many secret ARGs, then many RUNs that each name one. */
  "args-x-runs-named": () => {
    const args = Array.from({ length: 2000 }, (_, i) => `ARG TOKEN_${i}\n`).join("");
    return fill(`FROM alpine\n${args}`, (i) => `RUN echo $TOKEN_${i % 2000}\n`);
  },
  /** Many secret ARGs no RUN names: each would be mounted on every later RUN. */
  "args-x-runs-unnamed": () => {
    const args = Array.from({ length: 2000 }, (_, i) => `ARG TOKEN_${i}\n`).join("");
    return fill(`FROM alpine\n${args}`, () => `RUN true\n`, "", FILE_LIMIT - ROOM, 2000);
  },
  /** ${a:-${b:-…}} nested as deep as the file allows. */
  "nested-default": () => {
    const depth = 80_000; // the parser's own recursion limit is not the subject here
    return `FROM alpine\nARG NPM_TOKEN\nRUN echo ${"${A:-".repeat(depth)}$NPM_TOKEN${"}".repeat(depth)}\n`;
  },
  /** One RUN continued over tens of thousands of lines. */
  "long-continuation": () => fill("FROM alpine\nARG NPM_TOKEN\nRUN echo $NPM_TOKEN \\\n", (i) => `  && echo line${i} \\\n`, "  && true\n"),
  /** One line of a megabyte. */
  "long-line": () => fill("FROM alpine\nARG NPM_TOKEN\nRUN npm ci", (i) => ` w${i % 10}`, "\n"),
  /** A RUN with 100,000 words, a variable among them. */
  "run-100k-words": () => fill("FROM alpine\nARG NPM_TOKEN\nRUN echo $NPM_TOKEN", (i) => ` a${i % 100}`, "\n", FILE_LIMIT - ROOM, 100_000),
  /** Many heredoc RUNs reading the secret. */
  "many-heredocs": () => fill("FROM alpine\nARG NPM_TOKEN\n", (i) => `RUN <<EOF${i}\necho $NPM_TOKEN\nEOF${i}\n`),
  /** Many COPY lines of credential files. */
  "many-secret-copies": () => fill("FROM alpine\n", (i) => `COPY d${i}/.npmrc /root/d${i}/.npmrc\nRUN cat /root/d${i}/.npmrc\n`),
  /** Many ENV lines with secret names and a RUN each. */
  "many-secret-envs": () => fill("FROM alpine\n", (i) => `ARG TOKEN_${i}\nRUN echo $TOKEN_${i}\n`),
  /** Whitespace runs that a backtracking `[ \t]+$` scans quadratically. */
  "blank-runs": () => `FROM alpine\nARG NPM_TOKEN ${" ".repeat(FILE_LIMIT - ROOM - 100)}x\nRUN echo $NPM_TOKEN\n`,
  /** An ARG name of a megabyte of underscores: `[A-Z0-9_]+__[A-Z0-9_]+$` backtracks on it. */
  "long-name": () => `FROM alpine\nARG NPM_TOKEN\nARG BUNDLE_${"_".repeat(FILE_LIMIT - ROOM - 100)}!\nRUN echo $NPM_TOKEN\n`,
};
