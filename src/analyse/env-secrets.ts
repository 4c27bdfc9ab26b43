/**
 * Rule secret-arg-env: ARG and ENV that carry a secret (by name, or by a hard-coded value of
 * a known token format), the variables that copy it (`ENV NODE_AUTH_TOKEN=${NPM_TOKEN}`),
 * and the RUNs that read any of them.
 */
import type { Instruction, KeyValue } from "../parse/dockerfile.js";
import { posix } from "node:path";
import { implicitEnvReaders } from "./secret-names.js";
import { expandingFile } from "../knowledge/tools/index.js";
import { isHardcodedValue, findSecretValues } from "./secret-values.js";
import { isPlaceholder, isPlaceholderIn } from "../knowledge/placeholders.js";
import { mentionsVariable, readsVariable, takesExport } from "./run-script.js";
import { onlyWrittenToPublicKeys } from "./public-key-writes.js";
import { callsReader, runNeverReads } from "./never-reads.js";
import { credentialSlotHits } from "./credential-use.js";
import { credentialVariable } from "../knowledge/credential-slots.js";
import {
  laterAmong,
  laterInstructions,
  newSecret,
  position,
  runsCalling,
  type AnalysisContext,
  type MountRequest,
  type PlannedSecret,
  type Removal,
} from "./plan.js";

interface Definition {
  instr: Instruction;
  index: number;
  prop: KeyValue;
}

/** The names `$X` and `${X…}` refer to (an escaped `\$` is text). */
const REFERENCE_NAME = /(?<!\\)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
const PURE_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=+?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/;
/** Instructions whose arguments end up in the image or steer the build, and cannot mount a secret. */
const CANNOT_MOUNT = new Set(["LABEL", "COPY", "ADD", "WORKDIR", "USER", "VOLUME", "EXPOSE", "STOPSIGNAL", "FROM"]);

/**
 * A value written with `$` in it is still a literal unless a reference in it names a secret:
 * `9f$w!x…` (a generated Django key), `pa$$word` and `abc${X}def` keep their literal text whatever
 * `$w` or `$X` expands to, while `x-access-token:$TOKEN` is derived from the secret $TOKEN (its
 * own rule follows it).
 */
function derivesFromSecret(value: string, isSecretName: (name: string) => boolean): boolean {
  for (const m of value.matchAll(REFERENCE_NAME)) if (isSecretName(m[1] ?? m[2])) return true;
  return false;
}

/**
 * `ENV A=1 B` (often a line continued into the next instruction: `ENV A=abc\` + `RUN …`) is not
 * valid: BuildKit stops with "can't find = in B". Removing `A=1` would leave `ENV B`, another
 * instruction, or a valid one; the instruction is left to a person (manual when it holds a secret).
 */
function invalidEnv(ctx: AnalysisContext, instr: Instruction): boolean {
  const props = instr.properties;
  if (instr.keyword !== "ENV" || props.length < 2 || !props.some((p) => p.value === null)) return false;
  const secret = props.find((p) => ctx.isSecretName(p.name) || (p.value !== null && findSecretValues(p.value).length > 0));
  if (secret) {
    const bare = props.find((p) => p.value === null)!;
    ctx.findings.push({
      rule: "secret-arg-env",
      ...position(ctx, instr),
      message: `ENV ${secret.name} is in an ENV the builder rejects ("${bare.name}" has no "=": a line continued into the next one?); left as is: fix the instruction, then run unbake again`,
      status: "manual",
    });
  }
  return true;
}

/**
 * A placeholder as a whole (`unset`, `<token>`), or a value whose token-shaped parts are all
 * masked (`ghp_xxxxxxxxxxxxxxxxxxxx`, Slack's documented XXXX webhook).
 */
function placeholderValue(value: string): boolean {
  if (isPlaceholder(value)) return true;
  const found = findSecretValues(value);
  return found.length > 0 && found.every((m) => isPlaceholderIn(value, m.start, m.end));
}

/** Said of an ARG whose default is a placeholder (the value itself is not repeated). */
const PLACEHOLDER_DEFAULT = "its default is a placeholder, not a credential: it leaked nothing";

function pureReference(value: string | null): string | null {
  if (value === null) return null;
  const m = PURE_REFERENCE.exec(value.trim());
  return m ? (m[1] ?? m[2]) : null;
}

export function findEnvSecrets(ctx: AnalysisContext): PlannedSecret[] {
  const defs: Definition[] = [];
  for (const instr of ctx.model.instructions) {
    if ((instr.keyword !== "ARG" && instr.keyword !== "ENV") || ctx.ignores(instr, "secret-arg-env")) continue;
    if (invalidEnv(ctx, instr)) continue;
    // A name with `$` is expanded by the builder (`ARG $X` declares the variable X's value names): not a name unbake knows.
    instr.properties.forEach((prop, index) => !prop.name.includes("$") && defs.push({ instr, index, prop }));
  }
  dropEmptyInChild(defs);
  if (defs.length === 0) return [];

  // Which variable names hold a secret, and which are copies of another (alias → root).
  const root = new Map<string, string>();
  const hardcodedDefs = new Set<Definition>();
  // `ENV X=` only clears a variable: it goes with the secret it clears, but carries nothing.
  const isReset = (d: Definition) => d.instr.keyword === "ENV" && d.prop.value === "";
  // A placeholder (src/knowledge/placeholders.ts) leaks nothing. In an ENV it is a build-time
  // dummy (`ENV SECRET_KEY_BASE=dummy` so that assets:precompile boots): the build needs it, it
  // stays. In an ARG it is the default of a slot a --build-arg fills: a secret, not a hard-coded one.
  const isDummy = (d: Definition) => d.instr.keyword === "ENV" && d.prop.value !== null && d.prop.value !== "" && placeholderValue(d.prop.value);
  const placeholderDefaults = new Set<Definition>();
  const byUse = secretsByUse(ctx, defs);
  for (const d of defs) {
    if (isReset(d) || isDummy(d)) continue;
    const { name, value } = d.prop;
    const literal = value !== null && value !== "" && pureReference(value) === null && !derivesFromSecret(value, ctx.isSecretName);
    if (literal && findSecretValues(value).some((m) => !isPlaceholderIn(value, m.start, m.end))) {
      hardcodedDefs.add(d);
      root.set(name, name);
    } else if ((ctx.isSecretName(name) || byUse.has(name)) && !onlyWrittenToPublicKeys(ctx, name)) {
      if (value === null || value === "" || pureReference(value) !== null) root.set(name, name);
      else if (literal && placeholderValue(value)) {
        placeholderDefaults.add(d);
        root.set(name, name);
      } else if (literal && isHardcodedValue(value)) {
        hardcodedDefs.add(d);
        root.set(name, name);
      }
    }
  }
  spreadRoots(defs, root);
  if (root.size === 0) return [];

  const groups = new Map<string, PlannedSecret>();
  const carriersOf = new Map<PlannedSecret, Definition[]>();
  for (const d of defs) {
    const r = root.get(d.prop.name);
    if (!r || isReset(d) || isDummy(d)) continue;
    let secret = groups.get(r);
    if (!secret) {
      secret = newSecret(`env:${r}`, { type: "env", name: r }, d.instr);
      groups.set(r, secret);
      carriersOf.set(secret, []);
    }
    carriersOf.get(secret)!.push(d);
    secret.removals.push({ kind: "property", instr: d.instr, index: d.index } satisfies Removal);
    if (hardcodedDefs.has(d)) {
      secret.hardcoded = true;
      secret.values.push(d.prop.value!);
    }
    if (placeholderDefaults.has(d) && !secret.notes.includes(PLACEHOLDER_DEFAULT)) secret.notes.push(PLACEHOLDER_DEFAULT);
  }

  const membersOf = new Map<string, Set<string>>();
  for (const [name, r] of root) {
    let set = membersOf.get(r);
    if (!set) membersOf.set(r, (set = new Set()));
    set.add(name);
  }
  const resets = resetsByName(ctx);
  for (const [name, secret] of groups) {
    planConsumers(ctx, secret, carriersOf.get(secret)!, membersOf.get(name)!, name, resets);
    const members = [...membersOf.get(name)!];
    const uses = members.filter((n) => byUse.has(n));
    // Only the use says so: a person confirms it (and the build that passes it).
    if (uses.length > 0 && !members.some((n) => ctx.isSecretName(n))) {
      secret.review = true;
      secret.notes.unshift(`a secret by its use, not its name: ${uses.map((n) => `$${n} ${byUse.get(n)}`).join("; ")}`);
    }
  }
  return [...groups.values()];
}

/**
 * `ONBUILD ENV X=$Y` is expanded in each child build, right after its FROM: there $Y is only
 * what the child inherits (an ENV of this image) or what an earlier trigger set (ONBUILD ARG/ENV);
 * this build's own ARG never reaches it (moby/moby#26533). Such a trigger carries nothing of
 * this build's ARG: it is not one of its carriers, and it stays as written.
 */
function dropEmptyInChild(defs: Definition[]): void {
  const reaches = new Set<string>();
  const ownArgs = new Set<string>();
  const keep = defs.filter((d) => {
    const { instr, prop } = d;
    const refs = prop.value === null ? [] : [...prop.value.matchAll(REFERENCE_NAME)].map((m) => m[1] ?? m[2]);
    // Only references to this build's own ARGs: a name it never declares may come from the base image.
    const empty =
      instr.trigger && instr.keyword === "ENV" && refs.length > 0 && refs.every((r) => ownArgs.has(r) && !reaches.has(r)) && !isHardcodedValue(prop.value!);
    if (instr.keyword === "ENV" || instr.trigger) reaches.add(prop.name);
    else ownArgs.add(prop.name);
    return !empty;
  });
  defs.splice(0, defs.length, ...keep);
}

/**
 * Variables that are secrets by their use, whatever their name (src/knowledge/credential-slots.ts):
 * a declared ARG/ENV a RUN expands in a credential slot (`docker login -p "$REG"`, `pip install
 * -i "$ARTIFACTORY_PYPI"`, `https://${X}@host`), and a tool's own index variable
 * (`ARG PIP_INDEX_URL`, `ENV UV_INDEX_URL=$MIRROR`) set from a build argument. A package index
 * URL with a literal default that carries no credentials (`ARG PIP_INDEX_URL=https://pypi.org/simple`)
 * is not one: the file's own builds need no secret, and a default with a password in it is
 * already a hard-coded value. Name → why, for the finding.
 */
const LITERAL_FALLBACK = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-[^$}]+\}$/;

function secretsByUse(ctx: AnalysisContext, defs: Definition[]): Map<string, string> {
  const out = new Map<string, string>();
  const declared = new Map<string, Definition[]>();
  for (const d of defs) push(declared, d.prop.name, d);
  // `URL` and `${URL:-URL}`: a literal the builds get when nobody passes one.
  const literalDefault = (name: string) =>
    (declared.get(name) ?? []).some((d) => d.prop.value !== null && d.prop.value !== "" && (!d.prop.value.includes("$") || LITERAL_FALLBACK.test(d.prop.value)));
  const argWithoutDefault = (name: string) =>
    (declared.get(name) ?? []).some((d) => d.instr.keyword === "ARG") && !literalDefault(name);
  for (const d of defs) {
    const convention = credentialVariable(d.prop.name);
    if (!convention || ctx.isSecretName(d.prop.name) || out.has(d.prop.name)) continue;
    const { value } = d.prop;
    const ref = pureReference(value);
    const fromArg = d.instr.keyword === "ARG" ? (value === null || value === "" || (ref !== null && argWithoutDefault(ref))) : ref !== null && argWithoutDefault(ref);
    if (fromArg) out.set(d.prop.name, `is read by ${convention.tool} and comes from a build argument: a package index or credential the build passes`);
  }
  // Only RUNs that name a declared variable can put one in a slot.
  const runs = new Set<number>();
  for (const name of declared.keys()) {
    if (ctx.isSecretName(name)) continue;
    for (const i of ctx.index.mentioning(name)) if (ctx.model.instructions[i].keyword === "RUN") runs.add(i);
  }
  for (const i of [...runs].sort((a, b) => a - b)) {
    const instr = ctx.model.instructions[i];
    if (ctx.ignores(instr, "secret-arg-env")) continue;
    const script = ctx.script(instr);
    for (const hit of credentialSlotHits(ctx.model.text, script)) {
      for (const name of hit.references) {
        if (!declared.has(name) || !script.expands.has(name) || out.has(name) || ctx.isSecretName(name)) continue;
        if (hit.holds === "index" && literalDefault(name)) continue;
        out.set(name, `goes to ${hit.what} on line ${position(ctx, instr).line}`);
      }
    }
  }
  return out;
}

/**
 * A secret-named variable set from a plainly named ARG makes that one a secret too, and a
 * variable set from a secret is a copy of it. Each name joins the group of the secret it copies;
 * a group is named by its most upstream variable. A worklist over the copy graph: every
 * definition is looked at a bounded number of times, so a chain of 40,000 copies costs 40,000
 * steps, whatever order it is written in; a name that copies two secrets joins the first found.
 */
function spreadRoots(defs: Definition[], root: Map<string, string>): void {
  const argNames = new Set(defs.filter((d) => d.instr.keyword === "ARG").map((d) => d.prop.name));
  const firstDef = new Map<string, number>();
  const copiers = new Map<string, string[]>(); // R → the names set from $R
  const sources = new Map<string, string[]>(); // N → the names it is set from
  defs.forEach((d, i) => {
    if (!firstDef.has(d.prop.name)) firstDef.set(d.prop.name, i);
    const ref = pureReference(d.prop.value);
    if (!ref || ref === d.prop.name) return;
    push(copiers, ref, d.prop.name);
    push(sources, d.prop.name, ref);
  });
  // Every name the secrets reach: downstream through copies, upstream to plainly named ARGs.
  const secret = new Set(root.keys());
  const queue = [...root.keys()];
  for (let q = 0; q < queue.length; q++) {
    const name = queue[q];
    const next = [...(copiers.get(name) ?? []), ...(sources.get(name) ?? []).filter((r) => argNames.has(r))];
    for (const n of next) {
      if (secret.has(n)) continue;
      secret.add(n);
      queue.push(n);
    }
  }
  // Roots: secrets set from no other secret (then, for copy cycles, the first name defined).
  const ordered = [...secret].sort((a, b) => (firstDef.get(a) ?? Infinity) - (firstDef.get(b) ?? Infinity));
  const copiesNoSecret = (n: string) => !(sources.get(n) ?? []).some((r) => r !== n && secret.has(r));
  root.clear();
  const claim = (start: string) => {
    if (root.has(start)) return;
    root.set(start, start);
    const walk = [start];
    for (let q = 0; q < walk.length; q++) {
      for (const n of copiers.get(walk[q]) ?? []) {
        if (root.has(n) || !secret.has(n)) continue;
        root.set(n, start);
        walk.push(n);
      }
    }
  };
  for (const n of ordered) if (copiesNoSecret(n)) claim(n);
  for (const n of ordered) claim(n);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type Resets = Map<string, { instr: Instruction; index: number }[]>;

/** `ENV X=` lines, by name: they only clear a variable and go with the secret they clear. */
function resetsByName(ctx: AnalysisContext): Resets {
  const out: Resets = new Map();
  for (const instr of ctx.model.instructions) {
    if (instr.keyword !== "ENV" || ctx.ignores(instr, "secret-arg-env")) continue;
    instr.properties.forEach((p, index) => {
      if (p.value === "") push(out, p.name, { instr, index });
    });
  }
  return out;
}

function planConsumers(
  ctx: AnalysisContext,
  secret: PlannedSecret,
  carriers: Definition[],
  members: Set<string>,
  rootName: string,
  resets: Resets,
): void {
  const mounts = new Map<string, MountRequest>();
  const addMount = (instr: Instruction, variable: string) => {
    const key = `${ctx.indexOf.get(instr)}:${variable}`;
    if (mounts.has(key)) return;
    // An ONBUILD trigger runs under the child build's own frontend, which this file's `# syntax=`
    // does not reach: the file form (frontend 1.2+) works there, env= (1.10+) may not. A trigger
    // where no export can go (heredoc, exec form) keeps env=.
    const fileForm = ctx.mountStyle === "file" || (instr.trigger && takesExport(instr));
    const spec = fileForm ? { exportAs: variable } : { env: variable };
    mounts.set(key, { instr, spec });
  };
  let persisted = false;
  let runtimeUse = false;
  // RUNs that keep `$NAME` as text (single quotes): whatever runs that text later reads the variable.
  const storedAt = new Set<number>();

  // A carrier of the same variable, keyword and stage as an earlier one reaches nothing new.
  const covered = new Set<string>();
  const stageFroms = new Set(ctx.model.stages.map((s) => s.from));
  for (const d of carriers) {
    const variable = d.prop.name;
    const coverKey = `${variable}\0${d.instr.keyword}\0${d.instr.stage}\0${d.instr.trigger}`;
    if (covered.has(coverKey)) continue;
    covered.add(coverKey);
    if (d.instr.stage < 0) {
      // A global ARG only reaches FROM lines.
      for (const i of ctx.index.mentioning(variable)) {
        const from = ctx.model.instructions[i];
        if (stageFroms.has(from)) blockOutsideRun(ctx, secret, from, variable);
      }
      continue;
    }
    if (d.instr.keyword === "ENV") persisted = true;
    const scope = new Set(d.instr.keyword === "ENV" ? ctx.index.descendants(d.instr.stage) : [d.instr.stage]);
    const readers = implicitEnvReaders(variable);
    // Only instructions that name the variable, or RUNs calling a program that reads it, can consume it.
    const candidates = [...ctx.index.mentioning(variable), ...readers.flatMap((r) => runsCalling(ctx, r))].filter((i) =>
      scope.has(ctx.model.instructions[i].stage),
    );
    for (const later of laterAmong(ctx, d.instr, candidates)) {
      if (later.keyword === "RUN") {
        const script = ctx.script(later);
        if (readsVariable(script, variable) || callsReader(script, readers, variable)) addMount(later, variable);
        else if (script.storesReference.has(variable)) storedAt.add(position(ctx, later).line);
        continue;
      }
      const body = ctx.model.text.slice(later.commandStart, later.end);
      if (!mentionsVariable(body, variable)) continue;
      if (later.keyword === "ARG") continue;
      if (later.keyword === "ENV") {
        // Copies (`ENV B=$A`) are carriers of the same secret; anything else derives a value from it.
        const derived = later.properties.some(
          (p) => p.value !== null && mentionsVariable(p.value, variable) && !members.has(p.name),
        );
        if (derived) blockOutsideRun(ctx, secret, later, variable);
      } else if (CANNOT_MOUNT.has(later.keyword)) {
        blockOutsideRun(ctx, secret, later, variable);
      } else {
        runtimeUse = true;
      }
    }
  }

  if (storedAt.size > 0) {
    const lines = [...storedAt].sort((a, b) => a - b);
    secret.review = true;
    secret.notes.push(
      `line${lines.length > 1 ? "s" : ""} ${lines.join(", ")} keep${lines.length > 1 ? "" : "s"} $${rootName} as text (single quotes or \\$): the shell does not expand it there, it is read when that text runs (at run time for a credential helper)`,
    );
  }
  const stageCarriers = carriers.filter((d) => d.instr.stage >= 0);
  if (mounts.size === 0 && stageCarriers.length > 0 && ctx.contextFiles) {
    // Batch mode: a build-context file that refers to the variable (`${PIP_TOKEN}` in
    // requirements.txt) names its readers: the later RUNs that name the file, or call the tool
    // that reads it on its own (mvn and settings.xml).
    const via: string[] = [];
    for (const d of stageCarriers) {
      const scope = new Set(d.instr.keyword === "ENV" ? ctx.index.descendants(d.instr.stage) : [d.instr.stage]);
      for (const [path, text] of Object.entries(ctx.contextFiles)) {
        const expanding = expandingFile(posix.basename(path), text);
        if (!expanding?.names.has(d.prop.name)) continue;
        const base = posix.basename(path);
        for (const later of laterInstructions(ctx, d.instr, scope)) {
          if (later.keyword !== "RUN") continue;
          const script = ctx.script(later);
          const named = script.text.includes(base);
          if (!named && !expanding.tool.readers.some((r) => script.programs.has(r))) continue;
          addMount(later, d.prop.name);
          via.push(`${path} (\${${d.prop.name}}, read by ${expanding.tool.name} on line ${position(ctx, later).line})`);
        }
      }
    }
    if (via.length > 0) secret.notes.push(`read through ${[...new Set(via)].join(", ")}`);
  }
  if (mounts.size === 0 && stageCarriers.length > 0) {
    // A build argument reaches every later RUN of its stage as an environment variable, an ENV
    // every later RUN of its stage and of the stages built FROM it, under each name that carries
    // it (`ENV PIP_TOKEN=${ci_token}`): with no RUN naming it and no known tool reading it, any
    // of them may read it (a tool reads it on its own, REFERENCE §9), so each gets it.
    // A RUN made only of commands that never read such a variable (mkdir, apt-get install …,
    // src/knowledge/never-read-credentials.ts) does not get it: a mount there only widens its exposure.
    const seen = new Set<string>();
    let everyRun = false;
    const spared = new Set<number>();
    for (const d of stageCarriers) {
      const key = `${d.prop.name}\0${d.instr.keyword}\0${d.instr.stage}\0${d.instr.trigger}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const scope = new Set(d.instr.keyword === "ENV" ? ctx.index.descendants(d.instr.stage) : [d.instr.stage]);
      for (const later of laterInstructions(ctx, d.instr, scope)) {
        if (later.keyword !== "RUN" || ctx.script(later).storesReference.has(d.prop.name)) continue;
        if (runNeverReads(later, ctx.script(later), d.prop.name)) {
          spared.add(position(ctx, later).line);
          continue;
        }
        addMount(later, d.prop.name);
        everyRun = true;
      }
    }
    if (everyRun) {
      secret.review = true;
      secret.notes.push(
        persisted
          ? "no RUN names it, so it is mounted on every later RUN that had it in its environment (its stage and the stages built FROM it)"
          : "no RUN names it, so it is mounted on every later RUN of its stage",
      );
    }
    if (spared.size > 0) {
      const lines = [...spared].sort((a, b) => a - b);
      secret.notes.push(`not on line${lines.length > 1 ? "s" : ""} ${lineList(lines)}, which only run${lines.length > 1 ? "" : "s"} commands that never read it (src/knowledge/never-read-credentials.ts)`);
    }
  }
  for (const m of mounts.values()) {
    if (!m.spec.exportAs || takesExport(m.instr)) continue;
    secret.fixable = false;
    const form = m.instr.trigger ? "the file-form mount of an ONBUILD trigger" : "--mount-style file";
    secret.notes.push(`line ${position(ctx, m.instr).line} reads $${m.spec.exportAs} from a heredoc or exec form, which ${form} cannot feed`);
  }
  secret.mounts = [...mounts.values()];
  // No build step reads it: it leaves the image, and a person should check nothing at run time did.
  if (secret.mounts.length === 0) secret.review = true;
  // ONBUILD triggers run in the builds FROM this image, with their --secret flags, never in this
  // one (REFERENCE §10). The trigger RUN gets the mount like any RUN (the child build's frontend
  // reads it), and the finding says who must now supply the secret: the child builds.
  const triggerLines = [...new Set(secret.mounts.filter((m) => m.instr.trigger).map((m) => position(ctx, m.instr).line))];
  if (triggerLines.length > 0) {
    secret.review = true;
    const variables = [...new Set(secret.mounts.filter((m) => m.instr.trigger).map((m) => m.spec.env ?? m.spec.exportAs))];
    const envLines = [...new Set(secret.mounts.filter((m) => m.instr.trigger && m.spec.env).map((m) => position(ctx, m.instr).line))];
    const fileForm = secret.mounts.some((m) => m.instr.trigger && m.spec.exportAs);
    secret.notes.push(
      `ONBUILD line${triggerLines.length > 1 ? "s" : ""} ${triggerLines.join(", ")} run${triggerLines.length > 1 ? "" : "s"} in the builds FROM this image, not in this one: each of them must pass the secret (docker build --secret id=…,env=${variables.join("/")})` +
        (fileForm
          ? "; the trigger reads it from the mounted file (/run/secrets/<id>), a form every Dockerfile frontend from 1.2 has, because the child build runs it with its own frontend, which no # syntax= line here reaches"
          : "") +
        (envLines.length > 0
          ? `; line${envLines.length > 1 ? "s" : ""} ${envLines.join(", ")} take${envLines.length > 1 ? "" : "s"} it as env= (an exec form or heredoc, where no export can go): a child build needs Dockerfile frontend 1.10 or later for ${envLines.length > 1 ? "them" : "it"} (# syntax=docker/dockerfile:1 at the top of its Dockerfile)`
          : ""),
    );
  }
  // An ENV of the final image (set in its stage or a stage it is built FROM) is also what the
  // running container reads: taking it out changes that, so it is a run-time secret under the
  // ENV's own name, even when build steps read it too.
  const finalChain = finalImageStages(ctx);
  // `ENV X=` later in the final image clears it: the container never saw the value.
  const clearedAfter = (d: Definition) =>
    (resets.get(d.prop.name) ?? []).some((r) => !r.instr.trigger && finalChain.has(r.instr.stage) && ctx.indexOf.get(r.instr)! > ctx.indexOf.get(d.instr)!);
  const runtimeNames = [
    ...new Set(
      carriers
        .filter((d) => d.instr.keyword === "ENV" && !d.instr.trigger && finalChain.has(d.instr.stage) && !clearedAfter(d))
        .map((d) => d.prop.name),
    ),
  ];
  const childEnv = carriers.some((d) => d.instr.keyword === "ENV" && d.instr.trigger);
  if (runtimeNames.length > 0) {
    secret.review = true;
    secret.runtimeNames = runtimeNames;
    // A finding names a few; the run-time commands (runtimeNames) list them all.
    const shown = runtimeNames.slice(0, 3);
    const more = runtimeNames.length > shown.length ? ` and ${runtimeNames.length - shown.length} more` : "";
    secret.notes.push(
      `the running container read ${shown.map((n) => "$" + n).join(", ")}${more} from ENV: supply ${runtimeNames.length > 1 ? "them" : "it"} at run time (docker run ${shown.map((n) => `-e ${n}`).join(" ")}${more ? " …" : ""})`,
    );
  } else if (childEnv) {
    secret.review = true;
    secret.notes.push("ONBUILD ENV put it in the images built FROM this one: their containers read it, supply it when they run");
  } else if (persisted && runtimeUse) {
    // Taking it out of ENV changes what the container sees: a person must supply it at run time.
    secret.review = true;
    secret.notes.push(`the running container read it from ENV: supply it at run time (docker run -e ${rootName})`);
  }
  // Resets such as `ENV NPM_TOKEN=` only existed to clear the secret: they go with it.
  const removed = new Set(secret.removals.flatMap((r) => (r.kind === "property" ? [`${ctx.indexOf.get(r.instr)}:${r.index}`] : [])));
  const found = [...members].flatMap((name) => resets.get(name) ?? []).sort((a, b) => ctx.indexOf.get(a.instr)! - ctx.indexOf.get(b.instr)! || a.index - b.index);
  for (const { instr, index } of found) {
    if (!removed.has(`${ctx.indexOf.get(instr)}:${index}`)) secret.removals.push({ kind: "property", instr, index, reset: true });
  }
}


/** The stages whose ENV the final image keeps: the last stage and those it is built FROM. */
function finalImageStages(ctx: AnalysisContext): Set<number> {
  const out = new Set<number>();
  for (let s: number | null = ctx.model.stages.length - 1; s !== null && s >= 0 && !out.has(s); s = ctx.model.stages[s].parent) out.add(s);
  return out;
}

function blockOutsideRun(ctx: AnalysisContext, secret: PlannedSecret, instr: Instruction, variable: string): void {
  secret.fixable = false;
  ctx.findings.push({
    rule: "secret-used-outside-run",
    ...position(ctx, instr),
    message: `${instr.keyword} uses the secret $${variable}; only RUN can mount a secret, so this needs a person`,
    status: "manual",
    secretId: secret.key,
  });
}

/** 3, 5, 8 … and N more: a finding names a few lines. */
function lineList(lines: number[], most = 8): string {
  return lines.length <= most ? lines.join(", ") : `${lines.slice(0, most).join(", ")} and ${lines.length - most} more`;
}
