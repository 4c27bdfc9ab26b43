/** Types shared by the pipeline's steps and the public API. */

export type RuleId =
  | "secret-file-copy"
  | "secret-arg-env"
  | "hardcoded-secret"
  | "run-writes-secret"
  | "secret-used-outside-run"
  | "secret-printed"
  | "build-arg-secret";

/**
 * fixed: the rewrite removes it completely.
 * needs-review: the rewrite removes it, but made a choice a person should check.
 * manual: the rewrite cannot fix it; a person must.
 */
export type FindingStatus = "fixed" | "needs-review" | "manual";

export interface Finding {
  rule: RuleId;
  /** 1-based line and column of the instruction or text the finding is about. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  status: FindingStatus;
  /** The secret the finding belongs to, when it has one. */
  secretId?: string;
  /** Set when a configuration file gives the rule a severity. */
  severity?: "note" | "warning" | "error";
  /**
   * Where the secret was before the rewrite: the shipped image (the final stage's config or layers,
   * or a file it copies from a build stage), or only build stages (their layers, the build cache).
   */
  scope?: FindingScope;
}

export type FindingScope = "image" | "build-stages";

export type SecretSource = { type: "env"; name: string } | { type: "file"; path: string };

export interface Secret {
  id: string;
  source: SecretSource;
  /** build: at least one RUN needs it; runtime: only the running container can. */
  usage: "build" | "runtime";
  hardcoded?: true;
  /** Where a file secret was put in the image (absolute path), for run-time mounts. */
  target?: string;
  /** 1-based lines of the RUN instructions that now mount it. */
  mountedOn: number[];
  /** ARG names the rewrite removed for it: what `--build-arg` used to pass (call sites to migrate). */
  buildArgs?: string[];
  /** Left in place: something prevents a safe rewrite (see its manual findings). */
  unfixed?: true;
  /**
   * The final image's ENV names the running container read it from: a run-time secret too, under
   * these names, whether or not build steps also read it (usage may be "build").
   */
  runtimeNames?: string[];
  /**
   * Only ONBUILD triggers carry and read it: the builds FROM this image need it (`--secret`), not
   * this build, nor this image's container (REFERENCE §10).
   */
  onbuild?: true;
  /**
   * The RUNs that read it get the builder's ssh agent instead (`RUN --mount=type=ssh`): the build
   * forwards these agent ids (`--ssh default`), not a `--secret`. An ssh key's only form.
   */
  ssh?: string[];
}

export type MountStyle = "auto" | "file";

export interface AnalyseOptions {
  /** auto: env form (`env=NAME`) for variables; file: file form for everything. */
  mountStyle?: MountStyle;
  /** Project settings (a configuration file): each answers undefined to keep the built-in rule. */
  settings?: AnalyseSettings;
  /**
   * Build-context files a RUN may read (context-relative path → text), given by a caller that can
   * read the context (the CLI, size-capped): their `${VAR}` / `${env.VAR}` references name exactly
   * the RUNs that read a variable no RUN names (pip's requirements files, maven's settings.xml,
   * npm's .npmrc); and a credential file a COPY/ADD names is judged by what it holds (no
   * credential, a `${VAR}` template, a literal: src/analyse/file-contents.ts). The analysis itself
   * reads no file.
   */
  contextFiles?: Readonly<Record<string, string>>;
  /**
   * Credential files (context-relative) that a copy of a context folder brings into the image
   * (`COPY . /src`): there in the context and not left out by its .dockerignore. Given by a caller
   * that knows the context (the CLI); the steps that read them where the copy put them get the
   * secret mounted there. Without it only copies out of such a folder are followed.
   */
  contextPaths?: readonly string[];
}

export interface AnalyseSettings {
  /** The settings add secret names or files (the pre-check then steps aside). */
  addsSecrets?: boolean;
  isSecretName?(name: string): boolean | undefined;
  isSecretFile?(path: string): boolean | undefined;
  /** Secret id for an ARG/ENV name or a COPY source path. */
  idFor?(key: string): string | undefined;
  /** Why no id can be settled for a COPY source across the batch (two files, one id): it is then left as is, manual. */
  idProblem?(key: string): string | undefined;
  severity?(rule: RuleId): "off" | "note" | "warning" | "error" | undefined;
}

/** A replacement of [start, end) in the original text. Edits never overlap. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}
