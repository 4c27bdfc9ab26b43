import { describe, expect, it } from "vitest";
import { removalRange, splitShell, type ShellCommand } from "../src/parse/shell.js";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** End of the instruction starting at `from` (BuildKit rules: continuations, comment/blank lines inside them). */
function instructionEnd(text: string, from: number, escape: string): number {
  let i = from;
  let continued = false;
  for (;;) {
    const nl = text.indexOf("\n", i);
    let e = nl < 0 ? text.length : nl;
    if (e > i && text[e - 1] === "\r") e--;
    const line = text.slice(i, e);
    const trimmed = line.trimStart();
    if (continued && (trimmed === "" || trimmed.startsWith("#"))) {
      if (nl < 0) return e;
      i = nl + 1;
      continue;
    }
    if (line.replace(/[ \t]+$/, "").endsWith(escape) && nl >= 0) {
      continued = true;
      i = nl + 1;
      continue;
    }
    return e;
  }
}

interface Split {
  text: string;
  start: number;
  end: number;
  cmds: ShellCommand[];
}

/** Split the script of the first RUN instruction of a Dockerfile text. */
function run(text: string, escape = "\\"): Split {
  const at = text.indexOf("RUN ");
  if (at < 0) throw new Error("no RUN in test input");
  const start = at + 4;
  const end = instructionEnd(text, start, escape);
  return { text, start, end, cmds: splitShell(text, start, end, escape) };
}

/** Split a whole text as a heredoc body. */
function body(text: string): Split {
  return { text, start: 0, end: text.length, cmds: splitShell(text, 0, text.length, "\\", true) };
}

const words = (c: ShellCommand): string[] => c.words.map((w) => w.value);
const src = (x: Split, c: ShellCommand): string => x.text.slice(c.start, c.end);
/** Compact form: "<depth>[c]:<words>" ("c" when compound). */
const brief = (c: ShellCommand): string => `${c.depth}${c.compound ? "c" : ""}:${words(c).join(" ")}`;
const top = (x: Split): ShellCommand[] => x.cmds.filter((c) => c.depth === 0);

/** Apply removalRange for command i; null when the range is null. */
function remove(x: Split, i: number): string | null {
  const r = removalRange(x.cmds, i);
  if (r === null) return null;
  expect(r.start).toBeGreaterThanOrEqual(x.start);
  expect(r.end).toBeLessThanOrEqual(x.end);
  expect(r.start).toBeLessThan(r.end);
  return x.text.slice(0, r.start) + x.text.slice(r.end);
}

/** Index of the command whose first word is `name` (and depth 0). */
function indexOf(x: Split, name: string): number {
  const i = x.cmds.findIndex((c) => c.depth === 0 && c.words[0]?.value === name);
  if (i < 0) throw new Error(`no command ${name}`);
  return i;
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------
// Splitting
// ---------------------------------------------------------------------------

describe("splitShell: commands and operators", () => {
  it.each<[string, string, string[][], (string | null)[]]>([
    ["and-list", "RUN npm ci && rm -f .npmrc", [["npm", "ci"], ["rm", "-f", ".npmrc"]], [null, "&&"]],
    ["rm first", "RUN rm -f .npmrc && npm ci", [["rm", "-f", ".npmrc"], ["npm", "ci"]], [null, "&&"]],
    ["no spaces around operators", "RUN a&&b||c;d|e&f", [["a"], ["b"], ["c"], ["d"], ["e"], ["f"]], [null, "&&", "||", ";", "|", "&"]],
    [
      "operators inside double quotes",
      'RUN echo "a && b; c | d" && rm x',
      [["echo", "a && b; c | d"], ["rm", "x"]],
      [null, "&&"],
    ],
    ["operators inside single quotes", "RUN sh -c 'a && b' ; rm x", [["sh", "-c", "a && b"], ["rm", "x"]], [null, ";"]],
    ["escaped operators", "RUN echo a \\&\\& b \\; c && rm x", [["echo", "a", "&&", "b", ";", "c"], ["rm", "x"]], [null, "&&"]],
    [
      "pipe into ssh-add",
      "RUN eval $(ssh-agent) && cat /run/secrets/key | ssh-add - && git clone git@github.com:o/r.git",
      [["eval", "$(ssh-agent)"], ["ssh-agent"], ["cat", "/run/secrets/key"], ["ssh-add", "-"], ["git", "clone", "git@github.com:o/r.git"]],
      [null, null, "&&", "|", "&&"],
    ],
    [
      "pip with redirections",
      "RUN pip install --no-cache-dir -r requirements.txt >/dev/null 2>&1 && rm -rf ~/.cache/pip",
      [["pip", "install", "--no-cache-dir", "-r", "requirements.txt"], ["rm", "-rf", "~/.cache/pip"]],
      [null, "&&"],
    ],
    [
      "shell comment ends the script",
      "RUN npm ci # && rm -f .npmrc",
      [["npm", "ci"]],
      [null],
    ],
    ["hash inside a word is not a comment", "RUN echo a#b && curl http://x/#frag", [["echo", "a#b"], ["curl", "http://x/#frag"]], [null, "&&"]],
    [
      "continuation lines",
      "RUN apt-get update \\\n    && apt-get install -y git \\\n    && rm -rf /var/lib/apt/lists/*",
      [["apt-get", "update"], ["apt-get", "install", "-y", "git"], ["rm", "-rf", "/var/lib/apt/lists/*"]],
      [null, "&&", "&&"],
    ],
    [
      "continuation with trailing blanks after the escape",
      "RUN npm ci \\   \n && rm -f .npmrc",
      [["npm", "ci"], ["rm", "-f", ".npmrc"]],
      [null, "&&"],
    ],
    ["continuation joins a word", "RUN np\\\nm ci", [["npm", "ci"]], [null]],
    ["the next line's indentation is kept (BuildKit)", "RUN np\\\n    m ci", [["np", "m", "ci"]], [null]],
    [
      "comment lines inside a continuation",
      "RUN npm ci \\\n  # drop the token again\n  # second comment && not a command\n  && rm -f .npmrc",
      [["npm", "ci"], ["rm", "-f", ".npmrc"]],
      [null, "&&"],
    ],
    [
      "empty lines inside a continuation",
      "RUN npm ci \\\n\n   \n  && rm -f .npmrc",
      [["npm", "ci"], ["rm", "-f", ".npmrc"]],
      [null, "&&"],
    ],
    [
      "command substitution words",
      "RUN NPM_TOKEN=$(cat /run/secrets/npm) npm ci && export X=\"$(cat /run/secrets/x | tr -d '\\n')\"",
      [["NPM_TOKEN=$(cat /run/secrets/npm)", "npm", "ci"], ["cat", "/run/secrets/npm"], ["export", "X=$(cat /run/secrets/x | tr -d '\\n')"], ["cat", "/run/secrets/x"], ["tr", "-d", "\\n"]],
      [null, null, "&&", null, "|"],
    ],
    [
      "operators inside ${...} and $(...) are not separators",
      "RUN echo ${A:-a;b} $(a && b; c) && rm x",
      [["echo", "${A:-a;b}", "$(a && b; c)"], ["a"], ["b"], ["c"], ["rm", "x"]],
      [null, null, "&&", ";", "&&"],
    ],
    [
      "nested command substitutions",
      "RUN echo $(dirname $(which node)) && rm x",
      [["echo", "$(dirname $(which node))"], ["dirname", "$(which node)"], ["which", "node"], ["rm", "x"]],
      [null, null, null, "&&"],
    ],
    ["backticks", "RUN echo `id -u; id -g` && rm x", [["echo", "`id -u; id -g`"], ["id", "-u"], ["id", "-g"], ["rm", "x"]], [null, null, ";", "&&"]],
    ["arithmetic is opaque", "RUN echo $(( (1 + 2) * 3 )) && rm x", [["echo", "$(( (1 + 2) * 3 ))"], ["rm", "x"]], [null, "&&"]],
    [
      "process substitution",
      "RUN diff <(sort a) <(sort b) || true",
      [["diff", "<(sort a)", "<(sort b)"], ["sort", "a"], ["sort", "b"], ["true"]],
      [null, null, null, "||"],
    ],
    ["here-string", "RUN cat <<<\"$TOKEN\" > /root/.npmrc && npm ci", [["cat"], ["npm", "ci"]], [null, "&&"]],
    ["trailing semicolon", "RUN npm ci;", [["npm", "ci"]], [null]],
    ["background", "RUN dockerd & sleep 5", [["dockerd"], ["sleep", "5"]], [null, "&"]],
    ["bash |& pipe", "RUN make |& tee log", [["make"], ["tee", "log"]], [null, "|"]],
    ["array assignment", "RUN arr=(a 'b c') && echo ${arr[@]}", [["arr=(a 'b c')"], ["echo", "${arr[@]}"]], [null, "&&"]],
  ])("%s", (_name, text, expWords, expOps) => {
    const x = run(text);
    expect(x.cmds.map(words)).toEqual(expWords);
    expect(x.cmds.map((c) => c.opBefore)).toEqual(expOps);
  });

  it("opAfter mirrors opBefore of the next command in the same list", () => {
    const x = run("RUN a && b || c; d | e & f");
    expect(x.cmds.map((c) => c.opAfter)).toEqual(["&&", "||", ";", "|", "&", null]);
  });

  it("records a trailing operator as opAfter", () => {
    expect(run("RUN a &").cmds[0]!.opAfter).toBe("&");
    expect(run("RUN a ;").cmds[0]!.opAfter).toBe(";");
    expect(run("RUN a").cmds[0]!.opAfter).toBeNull();
  });

  it("handles an empty or blank script", () => {
    expect(run("RUN ").cmds).toEqual([]);
    expect(splitShell("RUN    ", 4, 7, "\\")).toEqual([]);
    expect(run("RUN # only a comment").cmds).toEqual([]);
  });
});

describe("splitShell: offsets", () => {
  it.each<[string, string, string[]]>([
    ["simple", "RUN npm ci && rm -f .npmrc", ["npm ci", "rm -f .npmrc"]],
    ["quotes kept in source", "RUN echo \"a && b\" && rm 'x y'", ['echo "a && b"', "rm 'x y'"]],
    ["continuations", "RUN npm ci \\\n    && rm -rf /root/.ssh", ["npm ci", "rm -rf /root/.ssh"]],
    ["continuation inside a command", "RUN npm \\\n  ci \\\n  && rm x", ["npm \\\n  ci", "rm x"]],
    ["redirects belong to the command", "RUN >/tmp/log echo hi 2>&1; rm x", [">/tmp/log echo hi 2>&1", "rm x"]],
    ["CRLF", "RUN npm ci \\\r\n    && rm -f .npmrc\r\n", ["npm ci", "rm -f .npmrc"]],
    ["prefix lines before the RUN", "FROM node:20\r\nWORKDIR /app\r\nRUN npm ci && rm x\r\nUSER node\r\n", ["npm ci", "rm x"]],
  ])("%s", (_name, text, sources) => {
    const x = run(text);
    expect(top(x).map((c) => src(x, c))).toEqual(sources);
  });

  it("gives word and redirect offsets into the original text", () => {
    const text = "FROM x\nRUN  cp \"/run/secrets/a b\" /app/.npmrc \\\n   && npm ci 2>/dev/null";
    const x = run(text);
    const [cp, npm] = x.cmds;
    expect(cp!.words.map((w) => text.slice(w.start, w.end))).toEqual(["cp", '"/run/secrets/a b"', "/app/.npmrc"]);
    expect(cp!.words[1]!.quoted).toBe(true);
    expect(cp!.words[2]!.quoted).toBe(false);
    const r = npm!.redirects[0]!;
    expect(text.slice(r.start, r.end)).toBe("2>/dev/null");
    expect(text.slice(r.target.start, r.target.end)).toBe("/dev/null");
  });

  it("word offsets span a continuation inside the word", () => {
    const text = "RUN echo ab\\\ncd 'x\\\ny'";
    const [, w, q] = run(text).cmds[0]!.words;
    expect(w!.value).toBe("abcd");
    expect(text.slice(w!.start, w!.end)).toBe("ab\\\ncd");
    // BuildKit joins lines before the shell runs, even inside quotes
    expect(q!.value).toBe("xy");
    expect(text.slice(q!.start, q!.end)).toBe("'x\\\ny'");
  });

  it("CRLF offsets do not include the carriage return", () => {
    const text = "RUN a \\\r\n && b\r\n";
    const x = run(text);
    for (const c of x.cmds) {
      expect(src(x, c)).not.toMatch(/[\r\n]/);
      for (const w of c.words) expect(w.value).not.toContain("\r");
    }
  });
});

describe("splitShell: words", () => {
  it.each<[string, string, boolean]>([
    ["'a b'", "a b", true],
    ['"$X"', "$X", true],
    ['"a \\"b\\" \\$c \\\\d \\e"', 'a "b" $c \\d \\e', true],
    ["a\\ b", "a b", true],
    ["$(cat /run/secrets/x)", "$(cat /run/secrets/x)", false],
    ['"$(echo "a b" && echo c)"', '$(echo "a b" && echo c)', true],
    ["${X:-a && b}", "${X:-a && b}", false],
    ["pre\"mid\"'post'", "premidpost", true],
    ["$'a\\tb\\'c'", "a\tb'c", true],
    ['$"hello"', "hello", true],
    ["`echo a;b`", "`echo a;b`", false],
    ["a#b", "a#b", false],
    ["--build-arg=UID=$(id -u)", "--build-arg=UID=$(id -u)", false],
    ["{a,b}", "{a,b}", false],
    ["$((1+2))", "$((1+2))", false],
    ['"${A:-"x y"}"', '${A:-"x y"}', true],
    ["''", "", true],
  ])("%s -> %j", (word, value, quoted) => {
    const x = run(`RUN echo ${word}`);
    const w = x.cmds[0]!.words[1]!;
    expect(w.value).toBe(value);
    expect(w.quoted).toBe(quoted);
    expect(x.text.slice(w.start, w.end)).toBe(word);
  });
});

describe("splitShell: redirections", () => {
  it.each<[string, string[], [string, string][]]>([
    ["echo x >/dev/null 2>&1", ["echo", "x"], [[">", "/dev/null"], ["2>&", "1"]]],
    ["echo x > out.txt", ["echo", "x"], [[">", "out.txt"]]],
    ['echo x >> "/etc/my file"', ["echo", "x"], [[">>", "/etc/my file"]]],
    ["make &> log", ["make"], [["&>", "log"]]],
    ["make &>> log", ["make"], [["&>>", "log"]]],
    ["echo x >| f", ["echo", "x"], [[">|", "f"]]],
    ['cat <<<"$SECRET"', ["cat"], [["<<<", "$SECRET"]]],
    ["sort < in > out 2>> err", ["sort"], [["<", "in"], [">", "out"], ["2>>", "err"]]],
    ["cmd 3<&0 4<>f", ["cmd"], [["3<&", "0"], ["4<>", "f"]]],
    ["printf '%s' \"$T\" >~/.npmrc", ["printf", "%s", "$T"], [[">", "~/.npmrc"]]],
    ["tee >(sha256sum) < f", ["tee", ">(sha256sum)"], [["<", "f"]]],
    ["echo a>b", ["echo", "a"], [[">", "b"]]],
    ["echo 2>x 12 x2>y", ["echo", "12", "x2"], [["2>", "x"], [">", "y"]]],
    ["> /tmp/empty", [], [[">", "/tmp/empty"]]],
  ])("%s", (script, expWords, expRedirects) => {
    const c = run(`RUN ${script}`).cmds[0]!;
    expect(words(c)).toEqual(expWords);
    expect(c.redirects.map((r) => [r.op, r.target.value])).toEqual(expRedirects);
  });
});

describe("splitShell: escape=` (backtick)", () => {
  it.each<[string, string, string[][]]>([
    ["backtick continuation", "# escape=`\nRUN npm ci `\n    && rm -f .npmrc", [["npm", "ci"], ["rm", "-f", ".npmrc"]]],
    [
      "backslash stays the shell escape",
      "# escape=`\nRUN echo a\\ b \\&\\& c `\n && rm x",
      [["echo", "a b", "&&", "c"], ["rm", "x"]],
    ],
    ["backslash at the end of a line is not a continuation", "# escape=`\nRUN echo C:\\\nUSER x", [["echo", "C:\\"]]],
    ["backslash-space is a shell escape", "# escape=`\nRUN echo C:\\ && rm x", [["echo", "C: "], ["rm", "x"]]],
    [
      "backticks mid-line are shell command substitution",
      "# escape=`\nRUN echo `id -u` > /tmp/uid `\n && rm x",
      [["echo", "`id -u`"], ["id", "-u"], ["rm", "x"]],
    ],
    [
      "comment lines inside a backtick continuation",
      "# escape=`\r\nRUN npm ci `\r\n  # note\r\n  && rm -f .npmrc\r\n",
      [["npm", "ci"], ["rm", "-f", ".npmrc"]],
    ],
  ])("%s", (_name, text, expWords) => {
    expect(run(text, "`").cmds.map(words)).toEqual(expWords);
  });
});

describe("splitShell: compound commands", () => {
  it.each<[string, string, string[]]>([
    ["if/then/fi", "RUN if [ -f x ]; then rm x; fi", ["1c:[ -f x ]", "1c:rm x"]],
    [
      "if/elif/else",
      "RUN if a; then b; elif c; then d; else e; fi && f",
      ["1c:a", "1c:b", "1c:c", "1c:d", "1c:e", "0:f"],
    ],
    ["for loop", "RUN for f in a b; do rm $f; done", ["1c:for f in a b", "1c:rm $f"]],
    ["arithmetic for", "RUN for ((i=0; i<3; i++)); do echo $i; done", ["1c:for ((i=0; i<3; i++))", "1c:echo $i"]],
    ["while loop with redirect", "RUN while read l; do echo $l; done < list && rm list", ["1c:read l", "1c:echo $l", "0:rm list"]],
    ["until loop", "RUN until curl -f x; do sleep 1; done", ["1c:curl -f x", "1c:sleep 1"]],
    [
      "case",
      "RUN case \"$(uname -m)\" in x86_64|amd64) A=x64;; aarch64) A=arm64;; *) exit 1;; esac && echo $A",
      ["1c:case $(uname -m) in", "2c:uname -m", "1c:A=x64", "1c:A=arm64", "1c:exit 1", "0:echo $A"],
    ],
    ["case with (pattern)", "RUN case $x in (a) echo a;; esac", ["1c:case $x in", "1c:echo a"]],
    ["subshell", "RUN (cd /app && npm ci) && rm x", ["1c:cd /app", "1c:npm ci", "0:rm x"]],
    ["nested subshell", "RUN ( (a) ; b )", ["2c:a", "1c:b"]],
    ["brace group", "RUN { echo a; echo b; } > log 2>&1 && rm x", ["1c:echo a", "1c:echo b", "0:rm x"]],
    ["function definition", "RUN f() { rm -f .npmrc; }; f && npm ci", ["1c:rm -f .npmrc", "0:f", "0:npm ci"]],
    ["function keyword", "RUN function g { rm x; } && g", ["1c:rm x", "0:g"]],
    ["negation", "RUN ! grep -q secret f && rm f", ["0c:grep -q secret f", "0:rm f"]],
    ["[[ ]] keeps && and < as words", "RUN [[ -f a && $b < c ]] && rm a", ["0c:[[ -f a && $b < c ]]", "0:rm a"]],
    ["keywords are plain words in argument position", "RUN echo if then fi done", ["0:echo if then fi done"]],
    ["$( ) inside if", "RUN if [ \"$(id -u)\" = 0 ]; then rm x; fi", ["1c:[ $(id -u) = 0 ]", "2c:id -u", "1c:rm x"]],
    ["case inside $( )", "RUN echo $(case a in a) echo y;; esac) && rm x", ["0:echo $(case a in a) echo y;; esac)", "2c:case a in", "2c:echo y", "0:rm x"]],
  ])("%s", (_name, text, exp) => {
    expect(run(text).cmds.map(brief)).toEqual(exp);
  });
});

describe("splitShell: heredoc bodies", () => {
  it.each<[string, string, string[][], (string | null)[]]>([
    ["newline separated", "apt-get update\napt-get install -y git\nrm -rf /var/lib/apt/lists/*\n", [["apt-get", "update"], ["apt-get", "install", "-y", "git"], ["rm", "-rf", "/var/lib/apt/lists/*"]], [null, "\n", "\n"]],
    ["comments and blank lines", "#!/bin/sh\nset -eux\n\n# install\nnpm ci # deps\n\nrm -f .npmrc\n", [["set", "-eux"], ["npm", "ci"], ["rm", "-f", ".npmrc"]], [null, "\n", "\n"]],
    ["backslash-newline continues", "npm ci \\\n  --omit=dev\nrm x\n", [["npm", "ci", "--omit=dev"], ["rm", "x"]], [null, "\n"]],
    ["operator then newline", "npm ci &&\n  rm x\n", [["npm", "ci"], ["rm", "x"]], [null, "&&"]],
    ["semicolon then newline", "a;\nb\n", [["a"], ["b"]], [null, ";"]],
    ["CRLF", "npm ci\r\nrm -f .npmrc\r\n", [["npm", "ci"], ["rm", "-f", ".npmrc"]], [null, "\n"]],
    ["multi-line quotes", "echo 'a\nb' && rm x\n", [["echo", "a\nb"], ["rm", "x"]], [null, "&&"]],
    [
      "nested here-document is skipped",
      "cat > /etc/conf <<EOF\nrm -rf / && evil\nEOF\nrm x\n",
      [["cat"], ["rm", "x"]],
      [null, "\n"],
    ],
    ["nested <<- here-document", "cat <<-'END'\n\trm y\n\tEND\nrm x\n", [["cat"], ["rm", "x"]], [null, "\n"]],
    ["if spanning lines", "if [ -f x ]; then\n  rm x\nfi\necho done\n", [["[", "-f", "x", "]"], ["rm", "x"], ["echo", "done"]], [null, "\n", "\n"]],
  ])("%s", (_name, text, expWords, expOps) => {
    const x = body(text);
    expect(x.cmds.map(words)).toEqual(expWords);
    expect(x.cmds.map((c) => c.opBefore)).toEqual(expOps);
  });

  it("a `#` line inside quotes is kept in a heredoc body but dropped in the Dockerfile part", () => {
    expect(body("echo 'a\n# b' \\\n  c # comment\n").cmds.map(words)).toEqual([["echo", "a\n# b", "c"]]);
    expect(run("RUN echo 'a \\\n# b\n c'").cmds.map(words)).toEqual([["echo", "a  c"]]);
  });

  it("maps heredoc offsets into the whole Dockerfile", () => {
    const text = "FROM x\nRUN <<EOT\nnpm ci\nrm -f .npmrc\nEOT\n";
    const start = text.indexOf("npm");
    const end = text.indexOf("EOT\n", start);
    const cmds = splitShell(text, start, end, "\\", true);
    expect(cmds.map((c) => text.slice(c.start, c.end))).toEqual(["npm ci", "rm -f .npmrc"]);
  });
});

// ---------------------------------------------------------------------------
// Removal
// ---------------------------------------------------------------------------

describe("removalRange", () => {
  it.each<[string, string, string, string | null]>([
    ["last of two", "RUN npm ci && rm -f .npmrc", "rm", "RUN npm ci"],
    ["first of two", "RUN rm -f .npmrc && npm ci", "rm", "RUN npm ci"],
    ["middle", "RUN npm ci && rm -f .npmrc && npm run build", "rm", "RUN npm ci && npm run build"],
    ["semicolons", "RUN npm ci; rm -f .npmrc; npm test", "rm", "RUN npm ci; npm test"],
    ["no spaces", "RUN npm ci&&rm -f .npmrc&&npm test", "rm", "RUN npm ci&&npm test"],
    ["keeps ; when joined by ; before and && after", "RUN a; rm x && b", "rm", "RUN a; b"],
    ["keeps ; when joined by && before and ; after", "RUN a && rm x; b", "rm", "RUN a; b"],
    ["|| before the previous command is fine", "RUN a || b && rm x", "rm", "RUN a || b"],
    [
      "continuation layout (operator first)",
      "RUN npm ci \\\n    && rm -rf /root/.ssh",
      "rm",
      "RUN npm ci",
    ],
    [
      "continuation layout, middle",
      "RUN git clone x \\\n    && rm -rf /root/.ssh \\\n    && make",
      "rm",
      "RUN git clone x \\\n    && make",
    ],
    [
      "continuation layout (operator last)",
      "RUN npm ci && \\\n    rm -rf /root/.ssh && \\\n    make",
      "rm",
      "RUN npm ci && \\\n    make",
    ],
    ["continuation layout, first", "RUN rm -f .npmrc \\\n && npm ci", "rm", "RUN npm ci"],
    ["continuation layout, first (operator last)", "RUN rm -f .npmrc && \\\n    npm ci", "rm", "RUN npm ci"],
    [
      "comment line before the removed command goes with it",
      "RUN npm ci \\\n    # clean up\n    && rm -f .npmrc",
      "rm",
      "RUN npm ci",
    ],
    [
      "rest of the Dockerfile untouched",
      "FROM node:20\nCOPY .npmrc /app/.npmrc\nRUN npm ci \\\n && rm -f /app/.npmrc\nUSER node\n",
      "rm",
      "FROM node:20\nCOPY .npmrc /app/.npmrc\nRUN npm ci\nUSER node\n",
    ],
    [
      "CRLF, last",
      "FROM x\r\nRUN npm ci \\\r\n    && rm -f .npmrc\r\nUSER node\r\n",
      "rm",
      "FROM x\r\nRUN npm ci\r\nUSER node\r\n",
    ],
    [
      "CRLF, middle",
      "RUN a \\\r\n    && rm -f .npmrc \\\r\n    && b\r\n",
      "rm",
      "RUN a \\\r\n    && b\r\n",
    ],
    ["CRLF, first", "RUN rm -f .npmrc \\\r\n    && b\r\nUSER x\r\n", "rm", "RUN b\r\nUSER x\r\n"],
    ["backtick escape, last", "# escape=`\nRUN npm ci `\n    && rm -f .npmrc\n", "rm", "# escape=`\nRUN npm ci\n"],
    [
      "backtick escape, middle, backslash path",
      "# escape=`\r\nRUN a `\r\n && del C:\\x `\r\n && b\r\n",
      "del",
      "# escape=`\r\nRUN a `\r\n && b\r\n",
    ],
    ["quotes with operators", 'RUN echo "a && b" && rm x', "rm", 'RUN echo "a && b"'],
    ["quoted command before", "RUN sh -c 'npm ci; npm test' && rm -f .npmrc", "rm", "RUN sh -c 'npm ci; npm test'"],
    [
      "command substitution before",
      "RUN NPM_TOKEN=$(cat /run/secrets/npm) npm ci && rm -f .npmrc",
      "rm",
      "RUN NPM_TOKEN=$(cat /run/secrets/npm) npm ci",
    ],
    ["command substitution after", "RUN rm -f .npmrc && export A=$(cat x)", "rm", "RUN export A=$(cat x)"],
    ["trailing comment stays", "RUN npm ci && rm -f .npmrc # cleanup", "rm", "RUN npm ci # cleanup"],
    ["trailing semicolon", "RUN npm ci && rm -f .npmrc;", "rm", "RUN npm ci;"],
    ["after a [[ ]] test", "RUN [[ -f .npmrc ]] && rm .npmrc", "rm", "RUN [[ -f .npmrc ]]"],
    ["after a negated command", "RUN ! grep -q x f && rm f", "rm", "RUN ! grep -q x f"],
    ["after a here-string", "RUN cat <<<\"$T\" >/x && rm y", "rm", "RUN cat <<<\"$T\" >/x"],
    // refused
    ["only command", "RUN rm -f .npmrc", "rm", null],
    ["only command with trailing ;", "RUN rm -f .npmrc;", "rm", null],
    ["right side of a pipe", "RUN cat key | ssh-add -", "ssh-add", null],
    ["left side of a pipe", "RUN cat key | ssh-add - && rm key", "cat", null],
    ["joined by || after", "RUN rm x || true", "rm", null],
    ["joined by || before", "RUN a || rm x", "rm", null],
    ["background", "RUN rm x & wait", "rm", null],
    ["after a subshell", "RUN (cd a && make) && rm x", "rm", null],
    ["after a compound", "RUN if a; then b; fi && rm x", "rm", null],
    ["before a compound", "RUN rm x && if a; then b; fi", "rm", null],
    ["before a negated command", "RUN rm x && ! grep a b", "rm", null],
    ["before a subshell with ; && join", "RUN a; rm x && (b)", "rm", null],
    ["unbalanced quote", "RUN npm ci && rm -f '.npmrc", "rm", null],
    ["reads a here-document", "RUN cat <<EOF > /x && rm y", "cat", null],
    [
      "would leave a trailing backtick (escape=`) that BuildKit reads as a continuation",
      "# escape=`\nRUN echo `id -u` && rm x\nUSER a\n",
      "rm",
      null,
    ],
    ["would leave a trailing backslash that BuildKit reads as a continuation", "RUN echo C:\\\\ && rm x\nUSER a\n", "rm", null],
    [
      "trailing backtick is fine when the line still continues",
      "# escape=`\nRUN echo `id -u` && rm x `\n && b\n",
      "rm",
      "# escape=`\nRUN echo `id -u` `\n && b\n",
    ],
    ["trailing backtick is fine with the default escape", "RUN echo `id -u` && rm x\nUSER a\n", "rm", "RUN echo `id -u`\nUSER a\n"],
  ])("%s", (_name, text, name, expected) => {
    const escape = text.startsWith("# escape=`") ? "`" : "\\";
    const x = run(text, escape);
    expect(remove(x, indexOf(x, name))).toBe(expected);
  });

  it.each<[string, string, number]>([
    ["inside if", "RUN if [ -f x ]; then rm x; fi", 1],
    ["inside a subshell", "RUN (rm x; b) && c", 0],
    ["inside $( )", "RUN echo $(rm x; b)", 1],
    ["inside a brace group", "RUN { rm x; b; }", 0],
    ["inside a loop", "RUN for f in a; do rm $f; done", 1],
    ["negated", "RUN a && ! rm x", 1],
    ["[[ ]]", "RUN a && [[ -f x ]]", 1],
    ["for header", "RUN a; for f in a; do b; done", 1],
  ])("refuses compound / nested: %s", (_name, text, i) => {
    const x = run(text);
    expect(x.cmds[i]!.compound || x.cmds[i]!.depth > 0).toBe(true);
    expect(removalRange(x.cmds, i)).toBeNull();
  });

  it.each<[string, string, string, string | null]>([
    ["middle line", "apt-get update\nrm -f .npmrc\nnpm ci\n", "rm", "apt-get update\nnpm ci\n"],
    ["first line", "rm -f .npmrc\nnpm ci\n", "rm", "npm ci\n"],
    ["last line", "npm ci\nrm -f .npmrc\n", "rm", "npm ci\n"],
    ["last line without line break", "npm ci\nrm -f .npmrc", "rm", "npm ci"],
    ["trailing comment goes with the line", "a\nrm -f /x # c\n\nb\n", "rm", "a\n\nb\n"],
    ["comment lines around stay", "# one\na\n# two\nrm x\n# three\nb\n", "rm", "# one\na\n# two\n# three\nb\n"],
    ["indented", "  a\n  rm x\n  b\n", "rm", "  a\n  b\n"],
    ["CRLF", "a\r\nrm x\r\nb\r\n", "rm", "a\r\nb\r\n"],
    ["CRLF last without line break", "a\r\nrm x", "rm", "a"],
    ["continued command", "a\nrm -f \\\n  x\nb\n", "rm", "a\nb\n"],
    ["&& on the same line", "npm ci && rm -f .npmrc\nb\n", "rm", "npm ci\nb\n"],
    ["&& then newline", "npm ci &&\n  rm -f .npmrc\n", "rm", "npm ci\n"],
    ["after a compound on an earlier line", "if a; then b; fi\nrm x\nc\n", "rm", "if a; then b; fi\nc\n"],
    ["only command", "rm x\n", "rm", null],
    ["after a nested heredoc", "cat > f <<EOF\nbody\nEOF\nrm x\n", "rm", "cat > f <<EOF\nbody\nEOF\n"],
    ["command with a nested heredoc", "cat > f <<EOF\nbody\nEOF\nrm x\n", "cat", null],
    ["shares its line", "a; rm x\nb\n", "rm", "a\nb\n"],
  ])("heredoc body: %s", (_name, text, name, expected) => {
    const x = body(text);
    expect(remove(x, indexOf(x, name))).toBe(expected);
  });

  it("returns null for out-of-range indexes and foreign arrays", () => {
    const x = run("RUN a && b");
    expect(removalRange(x.cmds, -1)).toBeNull();
    expect(removalRange(x.cmds, 2)).toBeNull();
    expect(removalRange(x.cmds, 0.5)).toBeNull();
    expect(removalRange([], 0)).toBeNull();
  });

  it("still works conservatively on cloned commands", () => {
    const text = "RUN a && rm x && b";
    const x = run(text);
    const clones = x.cmds.map((c) => structuredClone(c));
    const r = removalRange(clones, 1)!;
    expect(text.slice(0, r.start) + text.slice(r.end)).toBe("RUN a && b");
    const y = run("RUN (a) && rm x");
    expect(removalRange(y.cmds.map((c) => ({ ...c })), 1)).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// Property-style checks
// ---------------------------------------------------------------------------

/** Single depth-0 simple commands (possibly with nested substitutions). */
const POOL = [
  "npm ci",
  "rm -f /app/.npmrc",
  'echo "a && b; c | d"',
  "echo 'x || y & z'",
  "export TOKEN=$(cat /run/secrets/npm_token)",
  "pip install -r requirements.txt >/dev/null 2>&1",
  "git clone https://github.com/o/r.git /src",
  "echo ${HOME:-/root;x} `id -u`",
  'cat <<<"$SECRET" >/tmp/s',
  "FOO=1 make -j$(nproc) install",
  "echo \\&\\& escaped\\;",
  'test -n "$(ls /x | wc -l)"',
  "cp /run/secrets/key ~/.ssh/id_rsa",
  "echo a#b",
  "chmod 600 \"$HOME/.ssh/id_rsa\"",
  "echo C:\\\\",
];

/**
 * A random separator: blanks, optional Dockerfile continuations (with trailing blanks, CRLF,
 * comment lines and empty lines) around a "&&" or ";" operator.
 */
function separator(rand: () => number, escape: string): { text: string; op: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ws = (): string => pick(["", "", " ", " ", "  ", "\t"]);
  const continuation = (): string => {
    const nl = pick(["\n", "\n", "\r\n"]);
    let s = ws() + escape + pick(["", "", " ", "\t "]) + nl;
    while (rand() < 0.3) s += pick(["", "  ", "    "]) + pick(["# comment", "#", "# && not a command \\", "# `x`"]) + nl;
    if (rand() < 0.15) s += pick(["", "   "]) + nl;
    return s + pick(["", "  ", "    ", "\t"]);
  };
  const op = pick(["&&", "&&", "&&", ";"]);
  const text = (rand() < 0.4 ? continuation() : ws()) + op + (rand() < 0.3 ? continuation() : ws());
  return { text, op };
}

describe("property: removing any one command keeps the others byte-identical", () => {
  for (const escape of ["\\", "`"]) {
    it(`escape ${escape}`, () => {
      const rand = prng(escape === "\\" ? 1 : 2);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      let checked = 0;
      let refused = 0;
      for (let round = 0; round < 600; round++) {
        const n = 2 + Math.floor(rand() * 5);
        const items = Array.from({ length: n }, () => pick(POOL));
        // an instruction cannot end with the escape character (it would continue onto the next line)
        while (items[n - 1]!.endsWith(escape)) items[n - 1] = pick(POOL);
        const seps = Array.from({ length: n - 1 }, () => separator(rand, escape));
        const head = (escape === "`" ? "# escape=`\n" : "") + "FROM alpine\nRUN ";
        const tail = pick(["", "\n", "\r\n", "\nUSER app\n"]);
        let script = items[0]!;
        for (let k = 1; k < n; k++) script += seps[k - 1]!.text + items[k]!;
        const text = head + script + tail;
        const x = run(text, escape);
        const tops = x.cmds.filter((c) => c.depth === 0);
        expect(tops.map((c) => src(x, c))).toEqual(items);
        expect(tops.every((c) => !c.compound)).toBe(true);

        for (let k = 0; k < n; k++) {
          // Expected: drop the command with the separator before it (or after it for the first,
          // or when ";" before and "&&" after must keep the ";").
          const before = k > 0 ? seps[k - 1]! : null;
          const after = k < n - 1 ? seps[k]! : null;
          const forward = before === null || (before.op === ";" && after?.op === "&&");
          const parts: string[] = [];
          for (let j = 0; j < n; j++) {
            parts.push(items[j]!);
            if (j < n - 1) parts.push(seps[j]!.text);
          }
          // item k is parts[2k]; its separators are parts[2k-1] and parts[2k+1]
          if (forward) parts.splice(2 * k, 2);
          else parts.splice(2 * k - 1, 2);
          const expectedScript = parts.join("");
          const i = x.cmds.indexOf(tops[k]!);
          if (!forward && k === n - 1 && items[k - 1]!.endsWith(escape)) {
            // the previous command would end the line with the escape character: refused
            expect(remove(x, i)).toBeNull();
            refused++;
            continue;
          }
          expect(remove(x, i)).toBe(head + expectedScript + tail);

          // and the result still splits into the other commands, in order, byte-identical
          const y = run(head + expectedScript + tail, escape);
          expect(y.cmds.filter((c) => c.depth === 0).map((c) => src(y, c))).toEqual(items.filter((_, j) => j !== k));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(1000);
      expect(refused).toBeGreaterThan(0);
    });
  }

  it("heredoc bodies: removing a command line removes exactly that line", () => {
    const rand = prng(3);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let round = 0; round < 300; round++) {
      const nl = pick(["\n", "\r\n"]);
      const n = 2 + Math.floor(rand() * 5);
      const lines: { text: string; cmd: string | null }[] = [];
      for (let k = 0; k < n; k++) {
        if (rand() < 0.3) lines.push({ text: pick(["", "# comment", "   ", "#!/bin/sh"]), cmd: null });
        const cmd = pick(POOL);
        const indent = pick(["", "  ", "\t"]);
        const comment = pick(["", "", " # why"]);
        lines.push({ text: indent + cmd + comment, cmd });
      }
      const trailing = rand() < 0.7;
      const text = lines.map((l) => l.text).join(nl) + (trailing ? nl : "");
      const x = body(text);
      const tops = x.cmds.filter((c) => c.depth === 0);
      const cmdLines = lines.filter((l) => l.cmd !== null);
      expect(tops.map((c) => src(x, c))).toEqual(cmdLines.map((l) => l.cmd));
      tops.forEach((c, k) => {
        const li = lines.indexOf(cmdLines[k]!);
        // Every line keeps its own line break; a removed last line without one takes the previous break.
        let expected = lines
          .map((l, j) => (j === li ? null : l.text + (j < lines.length - 1 || trailing ? nl : "")))
          .filter((s): s is string => s !== null)
          .join("");
        if (li === lines.length - 1 && !trailing) expected = expected.slice(0, expected.length - nl.length);
        const got = remove(x, x.cmds.indexOf(c));
        if (cmdLines.length === 1) expect(got).toBeNull();
        else expect(got).toBe(expected);
      });
    }
  });
});

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

describe("robustness", () => {
  it.each<[string, string]>([
    ["unterminated single quote", "RUN npm ci && echo 'oops && rm x"],
    ["unterminated double quote", 'RUN npm ci && echo "oops && rm x'],
    ["unterminated $(", "RUN npm ci && echo $(oops && rm x"],
    ["unterminated ${", "RUN npm ci && echo ${oops && rm x"],
    ["unterminated backtick", "RUN npm ci && echo `oops && rm x"],
    ["unterminated $'", "RUN npm ci && echo $'oops && rm x"],
  ])("%s: the rest is one word of a compound command", (_name, text) => {
    const x = run(text);
    expect(x.cmds[0]!.compound).toBe(false);
    expect(words(x.cmds[0]!)).toEqual(["npm", "ci"]);
    const last = x.cmds.find((c) => c.depth === 0 && c.words[0]?.value === "echo")!;
    expect(last.compound).toBe(true);
    expect(last.end).toBe(text.length);
    expect(x.cmds.filter((c) => c.depth === 0)).toHaveLength(2);
  });

  it("never throws on random input", () => {
    const rand = prng(42);
    const alphabet = ["a", " ", "\n", "\r\n", "\\", "`", "'", '"', "$", "(", ")", "{", "}", "&", "|", ";", "<", ">", "#", "!", "[[", "]]", "if ", "then ", "fi", "case ", " in ", "esac", "do ", "done", "<<EOF\n", "EOF", "=", "2", "\t", "é", "😀"];
    for (let k = 0; k < 3000; k++) {
      const len = Math.floor(rand() * 40);
      let t = "";
      for (let j = 0; j < len; j++) t += alphabet[Math.floor(rand() * alphabet.length)]!;
      const a = Math.floor(rand() * (t.length + 1));
      const b = a + Math.floor(rand() * (t.length - a + 1));
      for (const heredoc of [false, true]) {
        for (const esc of ["\\", "`"]) {
          const cmds = splitShell(t, a, b, esc, heredoc);
          cmds.forEach((c, i) => {
            expect(c.start).toBeGreaterThanOrEqual(a);
            expect(c.end).toBeLessThanOrEqual(b);
            expect(c.start).toBeLessThanOrEqual(c.end);
            const r = removalRange(cmds, i);
            if (r !== null) {
              expect(r.start).toBeGreaterThanOrEqual(a);
              expect(r.end).toBeLessThanOrEqual(b);
              expect(r.start).toBeLessThan(r.end);
            }
          });
        }
      }
    }
  });

  it("clamps odd ranges", () => {
    expect(splitShell("RUN a", 10, 2, "\\")).toEqual([]);
    expect(splitShell("RUN a", -5, 99, "\\").map(words)).toEqual([["RUN", "a"]]);
    expect(splitShell("RUN a", Number.NaN, Number.NaN, "\\")).toEqual([]);
    expect(splitShell("RUN a && b", 4, 10, "").map(words)).toEqual([["a"], ["b"]]);
  });

  it("survives deep nesting", () => {
    const deep = "RUN echo " + "$(".repeat(500) + "x" + ")".repeat(500) + " && rm y";
    const x = run(deep);
    expect(x.cmds.length).toBeGreaterThan(0);
    const parens = "RUN " + "(".repeat(2000) + "a" + ")".repeat(2000);
    expect(() => run(parens)).not.toThrow();
  });

  it.each<[string, string]>([
    ["nested ${", "echo " + "${a:-".repeat(20000) + "x" + "}".repeat(20000)],
    ["nested ${ in double quotes", 'echo "' + '${a:-"'.repeat(20000)],
    ["nested $(", "echo " + "$(".repeat(20000)],
    ["nested $((", "echo " + "$((".repeat(20000)],
    ["backticks", "echo " + "`".repeat(20001)],
    ["quotes inside backticks", "`" + "'a ".repeat(20000)],
    ["comments inside backticks", "`" + "# x\n".repeat(20000)],
    ["subshells", "(".repeat(50000)],
    ["if without fi", "if a; then ".repeat(20000)],
    ["here-documents", "cat <<EOF\n".repeat(20000)],
    ["operators", "&|;<>".repeat(20000)],
    ["ANSI-C quotes", "$'\\".repeat(20000)],
    ["case items", "case x in " + "a) b;; ".repeat(20000) + "esac"],
  ])("pathological input does not throw or hang: %s", (_name, script) => {
    for (const heredoc of [false, true]) {
      const t0 = performance.now();
      const cmds = splitShell(script, 0, script.length, "\\", heredoc);
      for (let i = 0; i < Math.min(cmds.length, 500); i++) removalRange(cmds, i);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  it("is linear enough for large scripts", () => {
    const line = "    && apt-get install -y --no-install-recommends \"pkg-$(uname -m)\" 'a b' >/dev/null 2>&1 \\\n";
    const text = "RUN true \\\n" + line.repeat(20000) + "    && rm -rf /var/lib/apt/lists/*";
    const t0 = performance.now();
    const x = run(text);
    const ms = performance.now() - t0;
    expect(x.cmds.filter((c) => c.depth === 0)).toHaveLength(20002);
    expect(ms).toBeLessThan(2000);
    const r = removalRange(x.cmds, x.cmds.length - 1)!;
    expect(text.slice(0, r.start) + text.slice(r.end)).toBe("RUN true \\\n" + line.repeat(20000).slice(0, -3));
  });
});
