/**
 * A small, tolerant, dependency-free splitter for the shell scripts found in
 * Dockerfile RUN instructions (shell form) and RUN heredoc bodies.
 *
 * It is not a full POSIX shell parser. It finds the simple commands of a script,
 * their words (after quote removal), their redirections, the control operators
 * that join them and how deeply they are nested, and it maps every position back
 * to the original Dockerfile text so that callers can edit it byte-exactly.
 *
 * Design:
 *  1. In the Dockerfile part (not heredoc bodies), Dockerfile line continuations
 *     (escape char + spaces/tabs + line break) and the comment / blank lines inside
 *     a continued instruction are dropped first, exactly as BuildKit joins the lines
 *     before handing them to the shell. The result is a "logical" string plus an
 *     Int32Array mapping every logical index to its offset in the original text.
 *  2. A single left-to-right pass over the logical string splits it into commands.
 *     Command substitutions ($( ), backticks, <( ), >( )) are parsed recursively;
 *     their commands are reported too, with depth > 0.
 *
 * Never throws: unterminated quotes / substitutions make the rest of the range one
 * word and mark every command that is open at that point as compound.
 */

export interface ShellWord {
  /** The word after quote removal and escape processing, continuations removed ("'a b'" -> "a b", "\"$X\"" -> "$X"). */
  value: string;
  /** Offsets into the ORIGINAL Dockerfile text (base + index). */
  start: number;
  end: number;
  /** Any part of the word was quoted (single/double quotes, $'..', or a backslash escape). */
  quoted: boolean;
}

export interface ShellRedirect {
  /** ">", ">>", "<", "2>", "&>", ">|", "2>&", "<<", "<<-", "<<<" … (the IO number is part of op). */
  op: string;
  /** The file word (for "2>&1" the op is "2>&" and the target "1"). */
  target: ShellWord;
  start: number;
  end: number;
}

export interface ShellCommand {
  /** argv words, redirections excluded (leading assignments such as FOO=1 are words). */
  words: ShellWord[];
  redirects: ShellRedirect[];
  /** Offset of the first character of the command (first word or redirect). */
  start: number;
  /** Offset just after its last character. */
  end: number;
  /** The control operator that joins this command to the previous one: "&&", "||", ";", "|", "&", "\n" (an unescaped newline, only inside heredoc bodies) or null for the first. */
  opBefore: string | null;
  /** The operator after it (null for the last). */
  opAfter: string | null;
  /** Nesting depth: 0 for a plain top-level command; >0 inside ( ), { }, $( ), if/then/fi, for/while/do/done, case … esac. */
  depth: number;
  /** True when the first word is a shell keyword or the command sits in a compound (if/then/else/elif/fi, for/while/until/do/done, case/esac, function bodies, !). */
  compound: boolean;
}

// ---------------------------------------------------------------------------
// Internal bookkeeping used by removalRange: which command is really the
// previous / next one in the same command list, with nothing structural (a
// keyword, a parenthesis, a heredoc body …) in between.
// ---------------------------------------------------------------------------

interface Link {
  prev: ShellCommand | null;
  next: ShellCommand | null;
  /** The command can never be removed (it reads a here-document). */
  fixed: boolean;
  /**
   * Heredoc bodies only: the whole lines the command occupies (from the start of its first
   * line to just after the line break ending its last line, a trailing comment included),
   * or null when other code shares those lines.
   */
  line: { start: number; end: number } | null;
  /** Dockerfile part: the command's last character is the Dockerfile escape character. */
  escTail: boolean;
  /** Dockerfile part: only blanks follow the command before a line break or the end of the range. */
  lineTail: boolean;
}

const LINKS = new WeakMap<ShellCommand, Link>();

// Character codes.
const TAB = 9;
const LF = 10;
const CR = 13;
const SP = 32;
const DQ = 34;
const HASH = 35;
const DOLLAR = 36;
const AMP = 38;
const SQ = 39;
const LPAREN = 40;
const RPAREN = 41;
const DASH = 45;
const D0 = 48;
const D9 = 57;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const LBRACKET = 91;
const BS = 92;
const BQ = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;

/** Characters that end an unquoted word (CR only when it is part of a line break, handled separately). */
const DELIM = new Uint8Array(128);
for (const c of [SP, TAB, LF, SEMI, AMP, PIPE, LT, GT, LPAREN, RPAREN]) DELIM[c] = 1;

/** Characters that stop a keyword peek: delimiters plus quoting / expansion starts. */
const NOT_KEYWORD = new Uint8Array(128);
for (const c of [SP, TAB, LF, CR, SEMI, AMP, PIPE, LT, GT, LPAREN, RPAREN, SQ, DQ, BS, DOLLAR, BQ]) NOT_KEYWORD[c] = 1;

const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "do",
  "done",
  "case",
  "esac",
  "while",
  "until",
  "for",
  "select",
  "function",
  "{",
  "}",
  "!",
  "[[",
]);

/** Maximum nesting of command substitutions before the rest is treated as opaque. */
const MAX_LEVEL = 64;

const F_PAREN = 1;
const F_BRACE = 2;
const F_IF = 3;
const F_LOOP = 4;
const F_CASE = 5;

interface Frame {
  kind: number;
  /** For case frames: expecting a pattern (true) or a command list (false). */
  pattern: boolean;
}

/** State of one command list (the top level, or the inside of $( ) / backticks). */
interface List {
  /** Depth of the commands of this list when no frame is open. */
  depth: number;
  frames: Frame[];
  /** Inside backticks: an unescaped backtick ends everything. */
  inBq: boolean;
  /** The control operator seen since the last command (null when none). */
  pendingOp: string | null;
  /** How many control operators were seen since the last command. */
  opCount: number;
  /** The last completed command, unless something structural followed it. */
  last: ShellCommand | null;
  /** Something (a command or a structural token) has been seen in this list. */
  any: boolean;
  /** A "!" precedes the next command. */
  negate: boolean;
}

interface Logical {
  /** The script with Dockerfile continuations and comment lines removed. */
  s: string;
  /** P[k] = offset in the original text of s[k]; P[s.length] = end of the range. */
  P: Int32Array;
}

/** "<<", "<<-" (with an optional IO number), but not the "<<<" here-string. */
function isHeredocOp(op: string): boolean {
  return op.endsWith("<<-") || (op.endsWith("<<") && !op.endsWith("<<<"));
}

function isBlank(c: number): boolean {
  return c === SP || c === TAB;
}

/**
 * Drop Dockerfile line continuations and the comment / empty lines inside a
 * continued instruction, keeping a map back to the original offsets.
 */
function dockerfileLogical(text: string, start: number, end: number, esc: number): Logical {
  const P = new Int32Array(end - start + 1);
  const parts: string[] = [];
  let m = 0;
  let seg = start;
  const flush = (to: number): void => {
    if (to > seg) {
      parts.push(text.slice(seg, to));
      for (let k = seg; k < to; k++) P[m++] = k;
    }
  };
  let i = start;
  let lineStart = false;
  while (i < end) {
    if (lineStart) {
      // First character of a physical line that continues the instruction.
      let j = i;
      while (j < end && isBlank(text.charCodeAt(j))) j++;
      if (j >= end) {
        i = end;
        seg = end;
        break;
      }
      const c = text.charCodeAt(j);
      if (c === HASH) {
        // A Dockerfile comment line: skip it entirely, including its line break.
        const k = text.indexOf("\n", j);
        i = k < 0 || k >= end ? end : k + 1;
        seg = i;
        continue;
      }
      if (c === LF || (c === CR && (j + 1 >= end || text.charCodeAt(j + 1) === LF))) {
        // An empty continuation line.
        i = c === CR ? Math.min(j + 2, end) : j + 1;
        seg = i;
        continue;
      }
      lineStart = false;
    }
    const c = text.charCodeAt(i);
    if (c === esc) {
      let j = i + 1;
      while (j < end && isBlank(text.charCodeAt(j))) j++;
      if (j >= end) {
        // Escape (+ blanks) at the very end of the instruction: stripped like a continuation.
        flush(i);
        i = end;
        seg = end;
        break;
      }
      const d = text.charCodeAt(j);
      if (d === LF) {
        flush(i);
        i = j + 1;
        seg = i;
        lineStart = true;
        continue;
      }
      if (d === CR && (j + 1 >= end || text.charCodeAt(j + 1) === LF)) {
        flush(i);
        i = Math.min(j + 2, end);
        seg = i;
        lineStart = true;
        continue;
      }
    }
    i++;
  }
  flush(end);
  P[m] = end;
  return { s: parts.length === 1 ? parts[0]! : parts.join(""), P: m === P.length - 1 ? P : P.subarray(0, m + 1) };
}

function heredocLogical(text: string, start: number, end: number): Logical {
  const P = new Int32Array(end - start + 1);
  for (let k = 0; k <= end - start; k++) P[k] = start + k;
  return { s: text.slice(start, end), P };
}

class Parser {
  i = 0;
  readonly out: ShellCommand[] = [];
  /** Commands whose words are still being read (outer ones first). */
  private readonly open: ShellCommand[] = [];
  private readonly heredocs: { delim: string; strip: boolean }[] = [];
  private level = 0;
  private readonly n: number;

  constructor(
    private readonly s: string,
    private readonly P: Int32Array,
    private readonly heredoc: boolean,
    /** Original text, escape character and end of the range (Dockerfile part only). */
    private readonly text: string,
    private readonly esc: number,
    private readonly rangeEnd: number,
  ) {
    this.n = s.length;
  }

  run(): ShellCommand[] {
    while (this.i < this.n) {
      const before = this.i;
      this.parseList(0, 0, false);
      // A top-level list only stops at the end of input; guard against surprises anyway.
      if (this.i === before) this.i++;
    }
    return this.out;
  }

  /** Mark every command that is still being read as compound (unterminated quote etc.). */
  private markBroken(): void {
    for (const c of this.open) c.compound = true;
  }

  private skipBlanks(): void {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === SP || c === TAB) i++;
      else if (c === CR && (i + 1 >= n || s.charCodeAt(i + 1) === LF)) i++;
      else if (c === BS && i + 1 < n && s.charCodeAt(i + 1) === LF) i += 2;
      else if (c === BS && i + 2 < n && s.charCodeAt(i + 1) === CR && s.charCodeAt(i + 2) === LF) i += 3;
      else break;
    }
    this.i = i;
  }

  private skipComment(L: List): void {
    let k = this.s.indexOf("\n", this.i);
    if (k < 0) k = this.n;
    if (L.inBq) {
      const b = this.nextBacktick(this.i);
      if (b >= 0 && b < k) k = b;
    }
    this.i = k;
  }

  private bqFrom = -1;
  private bqAt = -1;

  /** s.indexOf("`", from), memoised so that repeated look-ups stay linear overall. */
  private nextBacktick(from: number): number {
    if (this.bqFrom >= 0 && this.bqFrom <= from && (this.bqAt < 0 || this.bqAt >= from)) return this.bqAt;
    this.bqFrom = from;
    this.bqAt = this.s.indexOf("`", from);
    return this.bqAt;
  }

  /** A reserved word at the cursor (only meaningful at command position), or null. */
  private peekKeyword(): string | null {
    const s = this.s;
    const n = this.n;
    const i = this.i;
    let j = i;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c < 128 && NOT_KEYWORD[c]) break;
      j++;
      if (j - i > 8) return null;
    }
    if (j === i) return null;
    if (j < n) {
      const c = s.charCodeAt(j);
      if (c === SQ || c === DQ || c === BS || c === DOLLAR || c === BQ) return null;
      if (c === CR && j + 1 < n && s.charCodeAt(j + 1) !== LF) return null;
    }
    const w = s.slice(i, j);
    return KEYWORDS.has(w) ? w : null;
  }

  /** Something that is not a simple command: breaks the prev/next links of the list. */
  private structural(L: List, keepOp = false): void {
    L.last = null;
    L.any = true;
    if (!keepOp) {
      L.pendingOp = null;
      L.opCount = 0;
    }
  }

  /** Parse a command list until the end of input or its terminator (0: none, RPAREN: "$( … )", BQ: backticks). */
  private parseList(depth: number, term: number, inBq: boolean): void {
    const s = this.s;
    const n = this.n;
    const L: List = {
      depth,
      frames: [],
      inBq,
      pendingOp: null,
      opCount: 0,
      last: null,
      any: false,
      negate: false,
    };
    for (;;) {
      this.skipBlanks();
      if (this.i >= n) return;
      const c = s.charCodeAt(this.i);
      if (c === LF) {
        this.i++;
        this.newline(L);
        continue;
      }
      if (inBq && c === BQ) return;
      if (c === HASH) {
        this.skipComment(L);
        continue;
      }
      const top = L.frames.length > 0 ? L.frames[L.frames.length - 1]! : undefined;
      if (top !== undefined && top.kind === F_CASE && top.pattern) {
        this.casePattern(L, top);
        continue;
      }
      if (c === RPAREN) {
        if (top !== undefined && top.kind === F_PAREN) {
          L.frames.pop();
          this.i++;
          this.structural(L);
          this.afterCompound(L);
          continue;
        }
        if (term === RPAREN) return;
        // A stray ")": skip it.
        this.i++;
        this.structural(L);
        continue;
      }
      if (c === SEMI || c === PIPE || (c === AMP && s.charCodeAt(this.i + 1) !== GT)) {
        this.controlOp(L);
        continue;
      }
      if (c === LPAREN) {
        if (s.charCodeAt(this.i + 1) === LPAREN) {
          // (( arithmetic command ))
          this.i = this.arith(this.i);
          this.structural(L);
          this.afterCompound(L);
          continue;
        }
        L.frames.push({ kind: F_PAREN, pattern: false });
        this.i++;
        this.structural(L);
        continue;
      }
      if (c !== LT && c !== GT && c !== AMP) {
        const kw = this.peekKeyword();
        if (kw !== null) {
          this.keyword(L, kw);
          continue;
        }
      }
      this.command(L, false);
    }
  }

  private newline(L: List): void {
    if (this.heredocs.length > 0) this.readHeredocBodies(L);
    if (L.any && L.pendingOp === null) {
      L.pendingOp = "\n";
      L.opCount = 1;
    }
  }

  private readHeredocBodies(L: List): void {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    for (const h of this.heredocs) {
      while (i < n) {
        const e = s.indexOf("\n", i);
        let a = i;
        let b = e < 0 ? n : e;
        if (b > a && s.charCodeAt(b - 1) === CR) b--;
        if (h.strip) while (a < b && s.charCodeAt(a) === TAB) a++;
        i = e < 0 ? n : e + 1;
        if (b - a === h.delim.length && s.startsWith(h.delim, a)) break;
      }
    }
    this.heredocs.length = 0;
    this.i = i;
    this.structural(L);
  }

  private controlOp(L: List): void {
    const s = this.s;
    const i = this.i;
    const c = s.charCodeAt(i);
    const d = s.charCodeAt(i + 1);
    let op: string;
    let len = 1;
    if (c === SEMI) {
      if (d === SEMI) {
        if (s.charCodeAt(i + 2) === AMP) {
          op = ";;&";
          len = 3;
        } else {
          op = ";;";
          len = 2;
        }
      } else if (d === AMP) {
        op = ";&";
        len = 2;
      } else op = ";";
    } else if (c === AMP) {
      if (d === AMP) {
        op = "&&";
        len = 2;
      } else op = "&";
    } else {
      // PIPE
      if (d === PIPE) {
        op = "||";
        len = 2;
      } else if (d === AMP) {
        op = "|"; // bash "|&" is a pipe of stdout+stderr
        len = 2;
      } else op = "|";
    }
    this.i = i + len;
    L.opCount++;
    L.any = true;
    L.negate = false;
    if (L.pendingOp === null || L.pendingOp === "\n") L.pendingOp = op;
    if (L.last !== null && L.opCount === 1 && L.last.opAfter === null) L.last.opAfter = op;
    if (op === ";;" || op === ";&" || op === ";;&") {
      const top = L.frames[L.frames.length - 1];
      if (top !== undefined && top.kind === F_CASE) top.pattern = true;
      this.structural(L);
    }
  }

  private popFrame(L: List, kind: number): void {
    const top = L.frames[L.frames.length - 1];
    if (top !== undefined && top.kind === kind) L.frames.pop();
  }

  private keyword(L: List, kw: string): void {
    switch (kw) {
      case "if":
        L.frames.push({ kind: F_IF, pattern: false });
        break;
      case "while":
      case "until":
        L.frames.push({ kind: F_LOOP, pattern: false });
        break;
      case "{":
        L.frames.push({ kind: F_BRACE, pattern: false });
        break;
      case "then":
      case "else":
      case "elif":
      case "do":
        break;
      case "!":
        this.i += 1;
        this.structural(L, true);
        L.negate = true;
        return;
      case "fi":
      case "done":
      case "esac":
      case "}":
        this.popFrame(L, kw === "fi" ? F_IF : kw === "done" ? F_LOOP : kw === "esac" ? F_CASE : F_BRACE);
        this.i += kw.length;
        this.structural(L);
        this.afterCompound(L);
        return;
      case "for":
      case "select":
      case "case":
        this.header(L, kw);
        return;
      case "function":
        this.functionKeyword(L);
        return;
      case "[[":
        this.command(L, true);
        return;
    }
    this.i += kw.length;
    this.structural(L);
  }

  /** Create a command at the cursor and link it to the previous one of its list. */
  private newCommand(L: List, depth: number, compound: boolean): ShellCommand {
    const at = this.P[this.i]!;
    const cmd: ShellCommand = {
      words: [],
      redirects: [],
      start: at,
      end: at,
      opBefore: L.pendingOp,
      opAfter: null,
      depth,
      compound: compound || depth > 0 || L.negate,
    };
    const link: Link = { prev: null, next: null, fixed: false, line: null, escTail: false, lineTail: false };
    const prev = L.last;
    if (prev !== null && L.pendingOp !== null && L.opCount === 1) {
      if (prev.opAfter === null) prev.opAfter = L.pendingOp;
      link.prev = prev;
      const pl = LINKS.get(prev);
      if (pl !== undefined) pl.next = cmd;
    }
    L.pendingOp = null;
    L.opCount = 0;
    L.last = null;
    L.negate = false;
    L.any = true;
    LINKS.set(cmd, link);
    this.out.push(cmd);
    this.open.push(cmd);
    return cmd;
  }

  /**
   * first: logical index of the command's first character; after: logical index just
   * after its last token.
   */
  private finishCommand(L: List, cmd: ShellCommand, first: number, after: number): void {
    const k = this.open.lastIndexOf(cmd);
    if (k >= 0) this.open.splice(k, 1);
    L.last = cmd;
    const link = LINKS.get(cmd);
    if (link === undefined) return;
    if (this.heredoc) {
      link.line = this.wholeLines(first, after);
    } else {
      // Removing the command that follows must not leave an escape character at the end of a
      // line: BuildKit would read it as a line continuation.
      const text = this.text;
      link.escTail = cmd.end > 0 && text.charCodeAt(cmd.end - 1) === this.esc;
      let k = cmd.end;
      while (k < this.rangeEnd && isBlank(text.charCodeAt(k))) k++;
      link.lineTail = k >= this.rangeEnd || text.charCodeAt(k) === LF || text.charCodeAt(k) === CR;
    }
  }

  /** The whole lines [first, after) sits on, when nothing else but blanks and a comment shares them. */
  private wholeLines(first: number, after: number): { start: number; end: number } | null {
    const s = this.s;
    const n = this.n;
    let a = first;
    while (a > 0 && isBlank(s.charCodeAt(a - 1))) a--;
    if (a > 0 && s.charCodeAt(a - 1) !== LF) return null;
    let b = after;
    while (b < n) {
      const c = s.charCodeAt(b);
      if (c === SP || c === TAB || (c === CR && (b + 1 >= n || s.charCodeAt(b + 1) === LF))) b++;
      else break;
    }
    if (b < n && s.charCodeAt(b) === HASH) {
      const k = s.indexOf("\n", b);
      b = k < 0 ? n : k;
    }
    if (b < n) {
      if (s.charCodeAt(b) !== LF) return null;
      b++;
    } else if (a > 0) {
      // Last line without a line break: take the preceding line break instead.
      a--;
      if (a > 0 && s.charCodeAt(a - 1) === CR) a--;
    }
    return { start: this.P[a]!, end: this.P[b]! };
  }

  /** At the cursor: can a word start here? (false at delimiters and at a closing backtick). */
  private wordStarts(L: List): boolean {
    const i = this.i;
    if (i >= this.n) return false;
    const c = this.s.charCodeAt(i);
    if (c === BQ) return !L.inBq;
    if (c === CR) return i + 1 < this.n && this.s.charCodeAt(i + 1) !== LF;
    if ((c === LT || c === GT) && this.s.charCodeAt(i + 1) === LPAREN) return true;
    return !(c < 128 && DELIM[c]);
  }

  private isRedirectStart(): boolean {
    const s = this.s;
    let i = this.i;
    const c = s.charCodeAt(i);
    if (c === LT || c === GT) return s.charCodeAt(i + 1) !== LPAREN;
    if (c === AMP) return s.charCodeAt(i + 1) === GT;
    if (c >= D0 && c <= D9) {
      while (i < this.n && s.charCodeAt(i) >= D0 && s.charCodeAt(i) <= D9) i++;
      const d = s.charCodeAt(i);
      return (d === LT || d === GT) && s.charCodeAt(i + 1) !== LPAREN;
    }
    return false;
  }

  /** A simple command (or, with cond, a [[ … ]] command). */
  private command(L: List, cond: boolean): void {
    const s = this.s;
    const n = this.n;
    const depth = L.depth + L.frames.length;
    const first = this.i;
    const cmd = this.newCommand(L, depth, cond);
    let tokens = 0;
    let after = first;
    for (;;) {
      this.skipBlanks();
      if (this.i >= n) break;
      const c = s.charCodeAt(this.i);
      if (cond) {
        if (c === LF) {
          this.i++;
          continue;
        }
        if (c === SEMI || (c === BQ && L.inBq)) break;
        if (c === AMP || c === PIPE || c === LT || c === GT || c === LPAREN || c === RPAREN) {
          const a = this.i;
          this.i += (c === AMP || c === PIPE) && s.charCodeAt(a + 1) === c ? 2 : 1;
          cmd.words.push({ value: s.slice(a, this.i), start: this.P[a]!, end: this.P[this.i - 1]! + 1, quoted: false });
          cmd.end = this.P[this.i - 1]! + 1;
          tokens++;
          after = this.i;
          continue;
        }
        const before = this.i;
        const w = this.word(depth, L.inBq);
        if (this.i === before) {
          this.i++;
          continue;
        }
        cmd.words.push(w);
        cmd.end = w.end;
        tokens++;
        after = this.i;
        if (!w.quoted && w.value === "]]") cond = false;
        continue;
      }
      if (c === LF || c === HASH || c === SEMI || c === PIPE || c === RPAREN) break;
      if (c === AMP && s.charCodeAt(this.i + 1) !== GT) break;
      if (c === BQ && L.inBq) break;
      if (c === LPAREN) {
        if (cmd.words.length === 1 && cmd.redirects.length === 0 && tokens === 1) {
          // name ( ) compound-command: a function definition.
          let j = this.i + 1;
          while (j < n && isBlank(s.charCodeAt(j))) j++;
          if (s.charCodeAt(j) === RPAREN) {
            this.i = j + 1;
            this.dropCommand(cmd);
            this.structural(L);
            return;
          }
        }
        cmd.compound = true; // syntax the splitter does not model
        break;
      }
      if (c === CR && !(this.i + 1 < n && s.charCodeAt(this.i + 1) !== LF)) break;
      if (this.isRedirectStart()) {
        const r = this.redirect(depth, L.inBq);
        if (r.target.value === "" && r.target.start === r.target.end) cmd.compound = true;
        if (isHeredocOp(r.op)) LINKS.get(cmd)!.fixed = true;
        cmd.redirects.push(r);
        cmd.end = r.end;
        tokens++;
        after = this.i;
        continue;
      }
      const before = this.i;
      const w = this.word(depth, L.inBq);
      if (this.i === before) {
        // Cannot happen for well-formed input; never loop forever.
        this.i++;
        cmd.compound = true;
        continue;
      }
      cmd.words.push(w);
      cmd.end = w.end;
      tokens++;
      after = this.i;
    }
    if (tokens === 0) {
      this.dropCommand(cmd);
      if (this.i < n && !(L.inBq && s.charCodeAt(this.i) === BQ)) this.i++;
      return;
    }
    this.finishCommand(L, cmd, first, after);
  }

  private dropCommand(cmd: ShellCommand): void {
    const k = this.out.lastIndexOf(cmd);
    if (k >= 0) this.out.splice(k, 1);
    const o = this.open.lastIndexOf(cmd);
    if (o >= 0) this.open.splice(o, 1);
    const link = LINKS.get(cmd);
    if (link?.prev) {
      const pl = LINKS.get(link.prev);
      if (pl !== undefined && pl.next === cmd) pl.next = null;
    }
  }

  /** for/select/case headers: reported as compound commands whose first word is the keyword. */
  private header(L: List, kw: string): void {
    const s = this.s;
    const n = this.n;
    const isCase = kw === "case";
    L.frames.push({ kind: isCase ? F_CASE : F_LOOP, pattern: isCase });
    const depth = L.depth + L.frames.length;
    const first = this.i;
    const cmd = this.newCommand(L, depth, true);
    let after = first;
    for (;;) {
      this.skipBlanks();
      if (this.i >= n) break;
      const c = s.charCodeAt(this.i);
      if (isCase && c === LF) {
        this.i++;
        continue;
      }
      if (!isCase && c === LPAREN && s.charCodeAt(this.i + 1) === LPAREN) {
        // for (( init; cond; step ))
        const a = this.i;
        this.i = this.arith(a);
        cmd.words.push({ value: s.slice(a, this.i), start: this.P[a]!, end: this.P[this.i - 1]! + 1, quoted: false });
        cmd.end = this.P[this.i - 1]! + 1;
        after = this.i;
        continue;
      }
      if (!this.wordStarts(L)) break;
      if (!isCase && cmd.words.length > 1 && this.peekKeyword() === "do") break;
      const before = this.i;
      const w = this.word(depth, L.inBq);
      if (this.i === before) break;
      cmd.words.push(w);
      cmd.end = w.end;
      after = this.i;
      if (isCase && cmd.words.length > 2 && !w.quoted && w.value === "in") break;
    }
    this.finishCommand(L, cmd, first, after);
  }

  private functionKeyword(L: List): void {
    const s = this.s;
    this.i += "function".length;
    this.skipBlanks();
    if (this.wordStarts(L)) this.word(L.depth + L.frames.length, L.inBq);
    this.skipBlanks();
    if (s.charCodeAt(this.i) === LPAREN) {
      let j = this.i + 1;
      while (j < this.n && isBlank(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) === RPAREN) this.i = j + 1;
    }
    this.structural(L);
  }

  /** Case item patterns: "[(] pat [| pat]… )". */
  private casePattern(L: List, top: Frame): void {
    const s = this.s;
    const n = this.n;
    if (this.peekKeyword() === "esac") {
      this.i += 4;
      L.frames.pop();
      this.structural(L);
      this.afterCompound(L);
      return;
    }
    if (s.charCodeAt(this.i) === LPAREN) this.i++;
    for (;;) {
      this.skipBlanks();
      if (this.i >= n) break;
      const c = s.charCodeAt(this.i);
      if (c === RPAREN) {
        this.i++;
        top.pattern = false;
        break;
      }
      if (c === PIPE) {
        this.i++;
        continue;
      }
      if (c === LF || (c === BQ && L.inBq)) {
        top.pattern = false;
        break;
      }
      const before = this.i;
      if (this.wordStarts(L)) this.word(L.depth + L.frames.length, L.inBq);
      if (this.i === before) this.i++;
    }
    this.structural(L);
  }

  /** Redirections after a compound command ("done < file", "} > log 2>&1"). */
  private afterCompound(L: List): void {
    for (;;) {
      this.skipBlanks();
      if (this.i >= this.n || !this.isRedirectStart()) return;
      this.redirect(L.depth + L.frames.length, L.inBq);
    }
  }

  private redirect(depth: number, inBq: boolean): ShellRedirect {
    const s = this.s;
    const P = this.P;
    const a = this.i;
    let i = a;
    while (i < this.n && s.charCodeAt(i) >= D0 && s.charCodeAt(i) <= D9) i++;
    const c = s.charCodeAt(i);
    if (c === AMP) {
      i += 2; // "&>"
      if (s.charCodeAt(i) === GT) i++;
    } else if (c === LT) {
      i++;
      const d = s.charCodeAt(i);
      if (d === LT) {
        i++;
        const e = s.charCodeAt(i);
        if (e === LT || e === DASH) i++;
      } else if (d === GT || d === AMP) i++;
    } else {
      i++;
      const d = s.charCodeAt(i);
      if (d === GT || d === PIPE || d === AMP) i++;
    }
    i = Math.min(i, this.n);
    const op = s.slice(a, i);
    const opEnd = P[i - 1]! + 1;
    this.i = i;
    this.skipBlanks();
    let target: ShellWord;
    const t = this.i;
    const tc = s.charCodeAt(t);
    const canStart =
      t < this.n &&
      !(tc === BQ && inBq) &&
      (!(tc < 128 && DELIM[tc]) || ((tc === LT || tc === GT) && s.charCodeAt(t + 1) === LPAREN)) &&
      !(tc === CR && (t + 1 >= this.n || s.charCodeAt(t + 1) === LF));
    if (canStart) {
      target = this.word(depth, inBq);
    } else {
      this.i = i;
      target = { value: "", start: opEnd, end: opEnd, quoted: false };
    }
    if (isHeredocOp(op)) {
      this.heredocs.push({ delim: target.value, strip: op.endsWith("-") });
    }
    return { op, target, start: P[a]!, end: Math.max(opEnd, target.end) };
  }

  /** Skip a balanced "( … )" starting at i (arithmetic, arrays). Returns the index after it. */
  private arith(i: number): number {
    const s = this.s;
    const n = this.n;
    let d = 0;
    for (let j = i; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c === LPAREN) d++;
      else if (c === RPAREN) {
        d--;
        if (d === 0) return j + 1;
      } else if (c === BS) j++;
    }
    this.markBroken();
    return n;
  }

  /** $( … ), <( … ), >( … ): i is at "(". Returns the index after the closing ")". */
  private subst(i: number, depth: number): number {
    return this.nested(i, depth, RPAREN, false);
  }

  /** ` … `: i is at the opening backtick. Returns the index after the closing one. */
  private backtick(i: number, depth: number): number {
    return this.nested(i, depth, BQ, true);
  }

  /** A nested command list from i + 1 up to `close`; the whole rest is broken when it never closes. */
  private nested(i: number, depth: number, close: number, inBackticks: boolean): number {
    if (this.level >= MAX_LEVEL) {
      this.markBroken();
      return this.n;
    }
    this.i = i + 1;
    this.level++;
    this.parseList(depth + 1, close, inBackticks);
    this.level--;
    if (this.i < this.n && this.s.charCodeAt(this.i) === close) return this.i + 1;
    this.markBroken();
    return this.n;
  }

  /** ${ … }: i is at "{". Returns the index after the closing "}". */
  private brace(i: number, depth: number, inBq: boolean, inDq: boolean): number {
    if (this.level >= MAX_LEVEL) {
      this.markBroken();
      return this.n;
    }
    this.level++;
    const r = this.braceBody(i, depth, inBq, inDq);
    this.level--;
    return r;
  }

  private braceBody(i: number, depth: number, inBq: boolean, inDq: boolean): number {
    const s = this.s;
    const n = this.n;
    let j = i + 1;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c === RBRACE) return j + 1;
      if (c === BS) {
        j += 2;
        continue;
      }
      if (c === BQ) {
        if (inBq) break;
        j = this.backtick(j, depth);
        continue;
      }
      if (c === SQ && !inDq) {
        const k = s.indexOf("'", j + 1);
        if (k < 0) break;
        j = k + 1;
        continue;
      }
      if (c === DQ) {
        j++;
        while (j < n) {
          const d = s.charCodeAt(j);
          if (d === DQ) break;
          if (d === BS) j += 2;
          else if (d === DOLLAR) j = this.dollar(j, depth, inBq, true);
          else j++;
        }
        j++;
        continue;
      }
      if (c === DOLLAR) {
        j = this.dollar(j, depth, inBq, inDq);
        continue;
      }
      j++;
    }
    this.markBroken();
    return n;
  }

  /** An expansion starting with "$" at i. Returns the index after it (raw text is kept in the word). */
  private dollar(i: number, depth: number, inBq: boolean, inDq: boolean): number {
    const s = this.s;
    const d = s.charCodeAt(i + 1);
    if (d === LPAREN) {
      if (s.charCodeAt(i + 2) === LPAREN) return this.arith(i + 1);
      return this.subst(i + 1, depth);
    }
    if (d === LBRACE) return this.brace(i + 1, depth, inBq, inDq);
    if (d === LBRACKET) {
      // $[ … ] (obsolete arithmetic)
      const k = s.indexOf("]", i + 2);
      if (k >= 0) return k + 1;
    }
    return i + 1;
  }

  /** One word at the cursor (the caller checked that a word can start here). */
  private word(depth: number, inBq: boolean): ShellWord {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    const first = i;
    let last = i - 1;
    let value = "";
    let seg = i;
    let quoted = false;
    outer: while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 128 && DELIM[c]) {
        if ((c === LT || c === GT) && i === first && s.charCodeAt(i + 1) === LPAREN) {
          // <( … ) / >( … ) process substitution
          i = this.subst(i + 1, depth);
          last = i - 1;
          continue;
        }
        if (c === LPAREN && i > first && s.charCodeAt(i - 1) === EQ) {
          // name=( … ) array assignment
          i = this.arith(i);
          last = i - 1;
          continue;
        }
        break;
      }
      switch (c) {
        case CR: {
          if (i + 1 >= n || s.charCodeAt(i + 1) === LF) break outer;
          last = i;
          i++;
          continue;
        }
        case BS: {
          const d = i + 1 < n ? s.charCodeAt(i + 1) : -1;
          if (d === LF) {
            value += s.slice(seg, i);
            i += 2;
            seg = i;
            continue;
          }
          if (d === CR && i + 2 < n && s.charCodeAt(i + 2) === LF) {
            value += s.slice(seg, i);
            i += 3;
            seg = i;
            continue;
          }
          if (d === -1) {
            last = i;
            i++;
            continue;
          }
          value += s.slice(seg, i);
          seg = i + 1;
          i += 2;
          last = i - 1;
          quoted = true;
          continue;
        }
        case SQ: {
          value += s.slice(seg, i);
          quoted = true;
          const k = s.indexOf("'", i + 1);
          if (inBq) {
            const b = this.nextBacktick(i + 1);
            if (b >= 0 && (k < 0 || b < k)) {
              value += s.slice(i + 1, b);
              last = b - 1;
              i = b;
              seg = b;
              this.markBroken();
              break outer;
            }
          }
          if (k < 0) {
            value += s.slice(i + 1);
            last = n - 1;
            i = n;
            seg = n;
            this.markBroken();
            break outer;
          }
          value += s.slice(i + 1, k);
          last = k;
          i = k + 1;
          seg = i;
          continue;
        }
        case DQ: {
          value += s.slice(seg, i);
          quoted = true;
          i++;
          seg = i;
          for (;;) {
            if (i >= n) {
              value += s.slice(seg, n);
              last = n - 1;
              seg = n;
              i = n;
              this.markBroken();
              break outer;
            }
            const d = s.charCodeAt(i);
            if (d === DQ) {
              value += s.slice(seg, i);
              last = i;
              i++;
              seg = i;
              break;
            }
            if (d === BS) {
              const e = i + 1 < n ? s.charCodeAt(i + 1) : -1;
              if (e === LF) {
                value += s.slice(seg, i);
                i += 2;
                seg = i;
              } else if (e === CR && i + 2 < n && s.charCodeAt(i + 2) === LF) {
                value += s.slice(seg, i);
                i += 3;
                seg = i;
              } else if (e === DOLLAR || e === BQ || e === DQ || e === BS) {
                value += s.slice(seg, i);
                seg = i + 1;
                i += 2;
              } else i++;
              continue;
            }
            if (d === DOLLAR) {
              i = this.dollar(i, depth, inBq, true);
              continue;
            }
            if (d === BQ) {
              if (inBq) {
                value += s.slice(seg, i);
                last = i - 1;
                seg = i;
                this.markBroken();
                break outer;
              }
              i = this.backtick(i, depth);
              continue;
            }
            i++;
          }
          continue;
        }
        case DOLLAR: {
          const d = s.charCodeAt(i + 1);
          if (d === SQ) {
            // $'…' ANSI-C quoting
            value += s.slice(seg, i);
            quoted = true;
            let j = i + 2;
            let closed = false;
            let chunk = j;
            while (j < n) {
              const e = s.charCodeAt(j);
              if (e === SQ) {
                value += s.slice(chunk, j);
                closed = true;
                break;
              }
              if (e === BS && j + 1 < n) {
                value += s.slice(chunk, j);
                const f = s[j + 1]!;
                value += f === "n" ? "\n" : f === "t" ? "\t" : f === "r" ? "\r" : f === "\\" || f === "'" || f === '"' ? f : "\\" + f;
                j += 2;
                chunk = j;
                continue;
              }
              j++;
            }
            if (!closed) {
              value += s.slice(chunk, n);
              last = n - 1;
              i = n;
              seg = n;
              this.markBroken();
              break outer;
            }
            last = j;
            i = j + 1;
            seg = i;
            continue;
          }
          if (d === DQ) {
            // $"…" locale quoting: drop the "$", the next iteration reads the double quotes
            value += s.slice(seg, i);
            i++;
            seg = i;
            continue;
          }
          i = this.dollar(i, depth, inBq, false);
          last = i - 1;
          continue;
        }
        case BQ: {
          if (inBq) break outer;
          i = this.backtick(i, depth);
          last = i - 1;
          continue;
        }
        default:
          last = i;
          i++;
      }
    }
    value += s.slice(seg, i);
    this.i = i;
    const P = this.P;
    const start = P[first]!;
    return { value, start, end: last >= first ? P[last]! + 1 : start, quoted };
  }
}

/**
 * Split the shell script of a Dockerfile RUN (shell form, or a heredoc body) into simple commands.
 * text: the whole Dockerfile text; [start,end): the script's range in it (for a RUN, from the first character after its flags to the end of the instruction; for a heredoc body, the body lines).
 * escape: the Dockerfile escape character ("\\" or "`"). In the Dockerfile part (not heredoc bodies, see heredoc flag) an escape character followed by optional spaces/tabs and a line break (\n or \r\n) is a line continuation: it joins lines and is NOT a word character. Lines inside a continued instruction whose first non-blank character is `#` are Dockerfile comments: skip them entirely. Inside the shell itself, backslash is always the shell's escape (even when the Dockerfile escape is a backtick).
 * heredoc: true when the range is a heredoc body: then there are no Dockerfile continuations or comments; newlines separate commands (opBefore "\n"), `#` starts a shell comment to end of line, backslash-newline is a shell continuation.
 *
 * Commands are returned in source order of their first character; commands inside
 * $( ), backticks and <( ) come right after the command whose word contains them.
 * Shell keywords that introduce or close a compound (if/then/else/elif/fi, while/until/do/done,
 * {, }, !, function NAME) are not words of any command; for/select/case headers and [[ … ]]
 * are reported as compound commands whose first word is the keyword.
 */
export function splitShell(text: string, start: number, end: number, escape: string, heredoc = false): ShellCommand[] {
  if (typeof text !== "string" || Number.isNaN(start) || Number.isNaN(end)) return [];
  const len = text.length;
  let a = Math.max(0, Math.min(Math.trunc(start), len));
  const b = Math.max(0, Math.min(Math.trunc(end), len));
  if (a > b) a = b;
  const esc = typeof escape === "string" && escape.length === 1 ? escape.charCodeAt(0) : BS;
  const { s, P } = heredoc ? heredocLogical(text, a, b) : dockerfileLogical(text, a, b, esc);
  if (s.length === 0) return [];
  return new Parser(s, P, heredoc === true, text, esc, b).run();
}

const JOINABLE = new Set(["&&", ";", "\n"]);

function hasHeredoc(c: ShellCommand): boolean {
  for (const r of c.redirects) if (isHeredocOp(r.op)) return true;
  return false;
}

/**
 * Range to delete so that command i disappears and the rest of the script stays valid and otherwise byte-identical, or null when that cannot be done safely (compound/depth>0, joined by "|" or "||" or "&" on either side, or it is the only command).
 * Rule: for a command that is not the first, delete from the end of the previous command to the end of this one (this removes " && rm x" including a preceding " \\\n    " continuation layout); for the first, delete from its start to the start of the next command (removes "rm x && ").
 * Refinements:
 *  - when the command is joined by ";" (or a newline) before and "&&" after ("a; rm x && b"), the range runs from its start to the start of the next command instead, so that the result is "a; b" and not "a && b";
 *  - in a heredoc body, a command that is alone on its line(s) and joined by line breaks is removed with its whole line(s), trailing comment and line break included ("a\nrm x # c\nb" -> "a\nb"); on a last line without a line break, the preceding line break goes instead.
 * Comments (shell comments or Dockerfile comment lines) lying inside the deleted gap go with it.
 * Also null when the removal would leave the Dockerfile escape character at the end of a line (e.g. "RUN echo `id` && rm x" with escape=`), which BuildKit would read as a line continuation.
 * Only commands returned by splitShell carry the bookkeeping needed to see structure between commands; for other (e.g. cloned) objects the array neighbours are used and must be depth-0, non-compound simple commands.
 */
export function removalRange(commands: ShellCommand[], i: number): { start: number; end: number } | null {
  if (!Array.isArray(commands) || !Number.isInteger(i)) return null;
  const c = commands[i];
  if (c === undefined || c === null) return null;
  if (c.compound || c.depth !== 0) return null;
  const before = c.opBefore;
  const after = c.opAfter;
  if (before !== null && !JOINABLE.has(before)) return null;
  if (after !== null && !JOINABLE.has(after)) return null;
  if (hasHeredoc(c)) return null;

  let prev: ShellCommand | null;
  let next: ShellCommand | null;
  const link = LINKS.get(c);
  if (link !== undefined) {
    if (link.fixed) return null;
    // Heredoc bodies: a command alone on its line(s), joined by line breaks, goes with its whole lines.
    if (link.line !== null && (before === null || before === "\n") && (after === null || after === "\n") && (before !== null || after !== null)) {
      return { start: link.line.start, end: link.line.end };
    }
    prev = link.prev;
    next = link.next;
  } else {
    // Commands that did not come from splitShell (e.g. cloned): be conservative.
    const ok = (x: ShellCommand | undefined): x is ShellCommand => x !== undefined && x !== null && x.depth === 0 && !x.compound;
    const p = commands[i - 1];
    const q = commands[i + 1];
    prev = ok(p) && p.opAfter === before && p.end <= c.start && !(before === "\n" && hasHeredoc(p)) ? p : null;
    next = ok(q) && q.opBefore === after && q.start >= c.end ? q : null;
  }

  if (before === null) {
    if (after === null || next === null || next.start < c.end) return null;
    return { start: c.start, end: next.start };
  }
  if (prev === null || prev.end > c.start) return null;
  if (link !== undefined && link.lineTail && LINKS.get(prev)?.escTail === true) {
    // "RUN echo `id` && rm x" with escape=` : "RUN echo `id`" would continue onto the next line.
    return null;
  }
  if (after === "&&" && before !== "&&") {
    // "a; rm x && b" -> "a; b": keep the weaker ";" join.
    if (next === null || next.start < c.end) return null;
    return { start: c.start, end: next.start };
  }
  return { start: prev.end, end: c.end };
}
