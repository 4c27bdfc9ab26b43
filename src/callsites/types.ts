/** What the Dockerfile rewrite removed, for one Dockerfile. */
export interface Migration {
  /** Absolute path of the rewritten Dockerfile, and of its build context folder. */
  dockerfile: string;
  context: string;
  /**
   * Build arguments the rewrite removed, each now a secret: ARG name -> secret id (env form: the
   * secret is supplied from the variable of the same name). mounted: the file already took it as
   * a secret mount before this run (no ARG of it is left), and a build still passes it.
   */
  args: { name: string; id: string; mounted?: true; /** an ssh key the builder's agent now stands in for: the argument goes, --ssh comes */ ssh?: true }[];
  /** Secret files the Dockerfile now mounts: id and path relative to the context (for configs that need `src=`). */
  files: { id: string; path: string }[];
  /** ssh agent ids its `RUN --mount=type=ssh` need forwarded (`--ssh default`), when any. */
  ssh?: string[];
}

/** A hard-coded value in a call-site file: its spelling in `before` (`start`..`end`) and the value it stands for. */
export interface Literal {
  start: number;
  end: number;
  value: string;
}

/** The rewrite of one call-site file. Line numbers are 1-based and refer to `before`. */
export interface CallSiteEdit {
  path: string;
  before: string;
  after: string;
  changes: { line: number; description: string }[];
  manual: { line: number; reason: string }[];
  /** Hard-coded values given to removed (secret) arguments, rewritten or not: never to be printed. */
  literals: Literal[];
}

/** The kinds of call-site files this library understands. */
export type CallSiteKind = "compose" | "workflow" | "gitlab" | "jenkins" | "make" | "shell" | "bake-hcl" | "bake-json";
