/**
 * Rule hardcoded-secret: secret values written in the Dockerfile itself (known token formats,
 * passwords in URLs) outside the ARG/ENV that the rewrite removes. They cannot be rewritten
 * safely, and rotating them is the only real fix; the value itself is never reported.
 */
import type { ValueMatch } from "./secret-values.js";
import { programOf } from "./run-script.js";
import { credentialSlotHits } from "./credential-use.js";
import { position, type AnalysisContext } from "./plan.js";
import { isPlaceholderIn } from "../knowledge/placeholders.js";

export interface Span {
  start: number;
  end: number;
}

/**
 * Report every hard-coded value that lies in an instruction, except inside `handled` (the
 * ARG/ENV being removed). `matches` are findSecretValues over the whole text, computed once.
 * Instructions do not overlap and both lists are in text order: each match finds its
 * instruction and its handled span by binary search (a file of 20,000 values is not a product).
 */
export function findHardcodedSecrets(ctx: AnalysisContext, handled: Span[], matches: ValueMatch[]): void {
  if (matches.length === 0) return;
  const instructions = ctx.model.instructions;
  const removed = [...handled].sort((a, b) => a.start - b.start);
  for (const m of matches) {
    const instr = instructions[lastAtOrBefore(instructions, (i) => i.outerStart, m.start)];
    if (!instr || m.end > instr.end) continue;
    const h = removed[lastAtOrBefore(removed, (x) => x.start, m.start)];
    if (ctx.ignores(instr, "hardcoded-secret") || (h && m.end <= h.end)) continue;
    // `postgres://postgres:password@localhost/notreal`, Slack's XXXX webhook: nothing to rotate.
    if (isPlaceholderIn(ctx.model.text, m.start, m.end)) continue;
    ctx.findings.push({
      rule: "hardcoded-secret",
      ...position(ctx, instr, m.start, m.end),
      message: `${instr.keyword} contains a hard-coded ${m.label} (value not shown): rotate it, then pass it with a secret mount`,
      status: "manual",
    });
  }
}

/** Index of the last item whose key is at or before offset (-1 when none); items sorted by key. */
function lastAtOrBefore<T>(items: readonly T[], key: (item: T) => number, offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * `echo 'root:secret' | chpasswd` (and `passwd --stdin`) sets a password that anyone with the
 * image can read from its history (checkov's RunChpasswd). Returns the spans of the words that
 * hold the passwords, which no output may show.
 */
export function findLiteralPasswords(ctx: AnalysisContext): Span[] {
  const spans: Span[] = [];
  for (const instr of ctx.model.instructions) {
    if (instr.keyword !== "RUN" || ctx.ignores(instr, "hardcoded-secret") || !/chpasswd|passwd/.test(ctx.model.text.slice(instr.commandStart, instr.end))) continue;
    const script = ctx.script(instr);
    const commands = [...script.editable, ...script.readOnly];
    commands.forEach((command, i) => {
      const program = programOf(command.words.map((w) => w.value));
      if (!program || command.opBefore !== "|" || i === 0) return;
      const stdinPassword = program.name === "chpasswd" || (program.name === "passwd" && command.words.some((w) => w.value === "--stdin"));
      if (!stdinPassword) return;
      const feederWords = commands[i - 1].words;
      const feederProgram = programOf(feederWords.map((w) => w.value));
      if (!feederProgram || !/^(echo|printf)$/.test(feederProgram.name)) return;
      const word = feederWords.slice(feederProgram.index + 1).find((w) => !w.value.startsWith("-") && !w.value.includes("$"));
      const password = program.name === "chpasswd" ? word?.value.split(":")[1] : word?.value;
      if (!password || !word) return;
      spans.push({ start: word.start, end: word.end });
      ctx.findings.push({
        rule: "hardcoded-secret",
        ...position(ctx, instr, commands[i - 1].start, command.end),
        message: `sets a hard-coded password with ${program.name} (value not shown): anyone with the image can read it from its history; pass it with a secret mount or set it when the container starts`,
        status: "manual",
      });
    });
  }
  return spans;
}

/**
 * Literal credentials in the slots of src/knowledge/credential-slots.ts (`docker login -p …`,
 * `mysql -p…`, `curl -u user:…`, `npm config set //h/:_authToken …`, a netrc written by echo):
 * whatever the literal looks like, except placeholders and variable references. A value the
 * value finder already reported (`matches`: a known token format, a URL password) is not
 * reported twice. Returns the spans no output may show.
 */
export function findSlotLiterals(ctx: AnalysisContext, matches: readonly ValueMatch[]): Span[] {
  const spans: Span[] = [];
  for (const instr of ctx.model.instructions) {
    if (instr.keyword !== "RUN" || ctx.ignores(instr, "hardcoded-secret")) continue;
    for (const hit of credentialSlotHits(ctx.model.text, ctx.script(instr))) {
      if (!hit.literal) continue;
      spans.push({ start: hit.start, end: hit.end });
      if (matches.some((m) => m.start < hit.end && hit.start < m.end && !isPlaceholderIn(ctx.model.text, m.start, m.end))) continue;
      if (isPlaceholderIn(ctx.model.text, hit.start, hit.end)) continue;
      ctx.findings.push({
        rule: "hardcoded-secret",
        ...position(ctx, instr, hit.start, hit.end),
        message: `RUN gives a hard-coded credential to ${hit.what} (value not shown): anyone with the image can read it from its history; rotate it, then pass it with a secret mount`,
        status: "manual",
      });
    }
  }
  return spans;
}
