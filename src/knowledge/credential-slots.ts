/**
 * Where a command line carries a credential: one row per command, option or header. The same
 * rows serve two rules: a variable in a slot makes that variable a secret by its use (whatever
 * its name: `pip install -i "$ARTIFACTORY_PYPI"`), and a literal in a slot is a hard-coded
 * credential (`docker login -p hunter2`).
 *
 * Rows for the commands that store a credential in a file (REFERENCE §9) are not repeated here:
 * the tool catalogue's file-free forms already name their credential words (the `storing` row).
 * Literal passwords in URLs (`psql postgresql://u:pw@host`, `mongodb://…`) are found by the
 * value finder (analyse/secret-values.ts); the `userinfo` row only adds variables there.
 */

/** Where the credential sits on a command line. */
export type SlotPlace =
  /**
   * The value of an option: `-p X`, `--password X`, `--password=X`, and for one-letter options
   * `-pX`. `joinedOnly`: only the attached forms carry it (`mysql -p` alone prompts).
   * `afterColon`: only the part after the first `:` (`curl -u user:password`).
   */
  | { kind: "option"; names: readonly string[]; joinedOnly?: true; afterColon?: true }
  /** The word after a key word, or the value of `key=value` written as one word (`npm config set //h/:_authToken X`). */
  | { kind: "key"; key: RegExp }
  /** The last operand when a flag word matches (`htpasswd -b file user PASSWORD`). */
  | { kind: "last-operand"; when: RegExp }
  /** The first operand after the command words (`vault login TOKEN`). */
  | { kind: "first-operand" }
  /**
   * The text an echo/printf pipes into the command when it reads the credential from stdin
   * (`--password-stdin`). `flag`: only with that flag; `text`: group 1 of it is the credential
   * (`debconf-set-selections` reads `owner question password VALUE`).
   */
  | { kind: "stdin"; flag?: RegExp; text?: RegExp }
  /** An HTTP header given with `-H`/`--header`: the credential after the header name and an optional scheme word. */
  | { kind: "header"; names: readonly string[] }
  /** Text written by echo/printf into a file whose path matches `file`: group 1 of `text` is the credential. */
  | { kind: "written"; file: RegExp; text: RegExp }
  /** The credential words of a catalogued storing command (src/knowledge/tools): its file-free pieces. */
  | { kind: "storing" }
  /** The userinfo of a URL in any word: `https://${X}@host`, `git+https://u:${X}@host` (variables only). */
  | { kind: "userinfo" };

export interface CredentialSlot {
  id: string;
  /** What the slot is, for messages: "a registry login (-p/--password)". */
  what: string;
  /** Program basenames (after wrappers such as sudo); empty: any program. */
  programs: readonly string[];
  /** The words that follow the program before the slot applies (flags between them are skipped). */
  command?: readonly string[];
  place: SlotPlace;
  /**
   * `credential`: the slot holds the secret itself. `index`: a package index or registry URL,
   * secret when it comes from a build argument (a user passes credentials in it), harmless as a
   * literal without userinfo.
   */
  holds: "credential" | "index";
  /**
   * Text every matching RUN contains (any one of them, compared in lower case): the pre-check
   * and the scan skip RUNs without one, and without one of `programs`.
   */
  hints: readonly string[];
  /**
   * A pattern every RUN that fills the slot matches (in lower case), sharper than the hints:
   * the pre-check asks it too, so that `sed -i` beside `pip` does not send a file to the parser.
   */
  needs?: RegExp;
}

const REGISTRY_LOGINS = ["docker", "podman", "buildah", "skopeo", "helm", "nerdctl", "crane", "oras", "regctl"];
const MYSQL_CLIENTS = ["mysql", "mysqladmin", "mysqldump", "mysqlimport", "mysqlshow", "mysqlcheck", "mysqlpump", "mariadb", "mariadb-dump", "mariadb-admin"];
const PIP = ["pip", "pip3", "uv", "pipenv"];
const NPM = ["npm", "pnpm", "yarn", "npx"];
/** Headers whose value is a credential (the scheme word such as `Bearer` is not). */
const AUTH_HEADERS = ["authorization", "proxy-authorization", "private-token", "job-token", "deploy-token", "x-api-key", "api-key", "x-auth-token", "x-jfrog-art-api", "x-vault-token"];

export const CREDENTIAL_SLOTS: readonly CredentialSlot[] = [
  // REFERENCE §9 storing commands with a file-free form: aws configure set, yarn/cargo/poetry/
  // composer/nuget/huggingface logins, pip config set (their credential words).
  // The hints are words every credential-storing spelling of the row's command holds.
  { id: "aws-configure-set", what: "aws configure set (~/.aws/credentials)", programs: ["aws"], place: { kind: "storing" }, holds: "credential", hints: ["aws_"] },
  { id: "yarn-config-set", what: "yarn config set (~/.yarnrc.yml)", programs: ["yarn"], place: { kind: "storing" }, holds: "credential", hints: ["npmauth"] },
  { id: "cargo-login", what: "cargo login (~/.cargo/credentials.toml)", programs: ["cargo"], place: { kind: "storing" }, holds: "credential", hints: ["login"] },
  { id: "poetry-config", what: "poetry config (auth.toml)", programs: ["poetry"], place: { kind: "storing" }, holds: "credential", hints: ["http-basic", "pypi-token"] },
  { id: "composer-config", what: "composer config (auth.json)", programs: ["composer"], place: { kind: "storing" }, holds: "credential", hints: ["github-oauth", "gitlab-token", "gitlab-oauth", "bearer", "http-basic"] },
  { id: "dotnet-nuget-add-source", what: "dotnet nuget add source (NuGet.Config)", programs: ["dotnet"], place: { kind: "storing" }, holds: "credential", hints: ["nuget"], needs: /nuget[\s\\]+add[\s\\]+source/ },
  { id: "huggingface-login", what: "huggingface-cli login ($HF_HOME/token)", programs: ["huggingface-cli", "hf"], place: { kind: "storing" }, holds: "credential", hints: ["--token"] },
  { id: "pip-config-set", what: "pip config set (pip.conf)", programs: ["pip", "pip3"], place: { kind: "storing" }, holds: "index", hints: ["index-url"], needs: /index-url[\s\\'"]+\$/ },
  // docker/podman/buildah/helm login -u u -p P (pflag also takes -pP), helm repo add --password.
  { id: "registry-login-password", what: "a registry login (-p/--password)", programs: REGISTRY_LOGINS, command: ["login"], place: { kind: "option", names: ["-p", "--password"] }, holds: "credential", hints: ["login"] },
  { id: "registry-login-registry-password", what: "a registry login (-p/--password)", programs: REGISTRY_LOGINS, command: ["registry", "login"], place: { kind: "option", names: ["-p", "--password"] }, holds: "credential", hints: ["login"] },
  { id: "registry-login-stdin", what: "a registry login (--password-stdin)", programs: REGISTRY_LOGINS, command: ["login"], place: { kind: "stdin", flag: /^--password-stdin$/ }, holds: "credential", hints: ["--password-stdin"] },
  { id: "helm-repo-add-password", what: "helm repo add (--password)", programs: ["helm"], command: ["repo", "add"], place: { kind: "option", names: ["--password"] }, holds: "credential", hints: ["--password"] },
  { id: "debconf-password", what: "a debconf password answer (debconf-set-selections)", programs: ["debconf-set-selections"], place: { kind: "stdin", text: /^\s*\S+\s+\S+\s+password\s+(\S(?:.*\S)?)\s*$/ }, holds: "credential", hints: ["debconf-set-selections"] },
  { id: "gh-auth-login-stdin", what: "gh auth login (--with-token)", programs: ["gh"], command: ["auth", "login"], place: { kind: "stdin", flag: /^--with-token$/ }, holds: "credential", hints: ["--with-token"] },
  { id: "vault-login", what: "vault login", programs: ["vault"], command: ["login"], place: { kind: "first-operand" }, holds: "credential", hints: ["login"] },
  { id: "az-login-password", what: "az login (-p/--password)", programs: ["az"], command: ["login"], place: { kind: "option", names: ["-p", "--password"] }, holds: "credential", hints: ["login"] },
  { id: "conan-login-password", what: "conan remote login (-p/--password)", programs: ["conan"], command: ["remote", "login"], place: { kind: "option", names: ["-p", "--password"] }, holds: "credential", hints: ["login"] },
  { id: "kubectl-set-credentials", what: "kubectl config set-credentials", programs: ["kubectl"], command: ["config", "set-credentials"], place: { kind: "option", names: ["--token", "--password"] }, holds: "credential", hints: ["set-credentials"] },
  // npm/pnpm/yarn 1 config set //host/:_authToken T (also key=value); yarn berry npmAuthToken is a storing row.
  { id: "npm-config-set-auth", what: "npm config set (an _authToken, _auth or _password key)", programs: NPM, command: ["config", "set"], place: { kind: "key", key: /(?:^|:)_(?:authToken|auth|password)$/ }, holds: "credential", hints: ["_auth", "_password"] },
  { id: "npm-set-auth", what: "npm set (an _authToken, _auth or _password key)", programs: NPM, command: ["set"], place: { kind: "key", key: /(?:^|:)_(?:authToken|auth|password)$/ }, holds: "credential", hints: ["_auth", "_password"] },
  // Database clients: mysql -pP / --password=P (a bare -p prompts), psql/mongo URIs: the value finder.
  { id: "mysql-password", what: "a MySQL client (-p/--password=)", programs: MYSQL_CLIENTS, place: { kind: "option", names: ["-p", "--password"], joinedOnly: true }, holds: "credential", hints: ["-p", "--password"], needs: /-p\S|--password=/ },
  { id: "mongo-password", what: "a MongoDB client (-p/--password)", programs: ["mongo", "mongosh", "mongodump", "mongorestore", "mongoimport", "mongoexport"], place: { kind: "option", names: ["-p", "--password"] }, holds: "credential", hints: ["-p", "--password"] },
  { id: "redis-cli-password", what: "redis-cli (-a/--pass)", programs: ["redis-cli"], place: { kind: "option", names: ["-a", "--pass"] }, holds: "credential", hints: ["-a", "--pass"] },
  { id: "sshpass-password", what: "sshpass -p", programs: ["sshpass"], place: { kind: "option", names: ["-p"] }, holds: "credential", hints: ["-p"] },
  // HTTP clients: curl -u user:P, wget --password P, and credential headers.
  { id: "curl-user", what: "curl -u (user:password)", programs: ["curl"], place: { kind: "option", names: ["-u", "--user", "--proxy-user", "-U"], afterColon: true }, holds: "credential", hints: ["-u", "--user", "--proxy-user"], needs: /(?:-u|--user|--proxy-user)[\s=\\'"]*[^\s'"]*:/ },
  { id: "wget-password", what: "wget (--password)", programs: ["wget"], place: { kind: "option", names: ["--password", "--http-password", "--ftp-password", "--proxy-password"] }, holds: "credential", hints: ["password"] },
  { id: "http-auth-header", what: "an HTTP credential header", programs: ["curl", "wget", "http", "https", "xh"], place: { kind: "header", names: AUTH_HEADERS }, holds: "credential", hints: ["-h", "--header"], needs: new RegExp(AUTH_HEADERS.join("|")) },
  // htpasswd -b[c|n|B…] file user P (or -bn user P).
  { id: "htpasswd-batch", what: "htpasswd -b", programs: ["htpasswd"], place: { kind: "last-operand", when: /^-[A-Za-z]*b[A-Za-z]*$/ }, holds: "credential", hints: ["htpasswd"] },
  // A netrc or npmrc written by echo/printf: `machine h login u password P`, `//h/:_authToken=T`.
  { id: "netrc-write", what: "a .netrc written by echo/printf", programs: ["echo", "printf"], place: { kind: "written", file: /(?:^|\/)[._]netrc$/, text: /(?:^|\s|\\n)password\s+((?:[^\s\\]|\\(?!n))+)/ }, holds: "credential", hints: ["netrc"] },
  { id: "npmrc-write", what: "an .npmrc written by echo/printf", programs: ["echo", "printf"], place: { kind: "written", file: /(?:^|\/)\.npmrc$/, text: /(?:^|:|\s)_(?:authToken|auth|password)\s*=\s*(\S+)/ }, holds: "credential", hints: ["npmrc"] },
  // Package index and registry URLs: a user passes credentials in them (https://u:p@host/simple).
  { id: "pip-index-url", what: "a pip/uv index URL option", programs: PIP, place: { kind: "option", names: ["-i", "--index-url", "--extra-index-url", "--default-index", "--index"] }, holds: "index", hints: ["-i", "index"], needs: /(?:-i|--index-url|--extra-index-url|--default-index|--index)[\s=\\'"]+\$/ },
  { id: "npm-registry-option", what: "npm --registry", programs: NPM, place: { kind: "option", names: ["--registry"] }, holds: "index", hints: ["--registry"], needs: /--registry[\s=\\'"]+\$/ },
  { id: "npm-config-set-registry", what: "npm config set registry", programs: NPM, command: ["config", "set"], place: { kind: "key", key: /(?:^|:)registry$/ }, holds: "index", hints: ["registry"], needs: /registry[\s=\\'"]+\$/ },
  { id: "poetry-source-add", what: "poetry source add", programs: ["poetry"], command: ["source", "add"], place: { kind: "last-operand", when: /^/ }, holds: "index", hints: ["source"] },
  { id: "maven-repository-url", what: "a maven repository URL property", programs: ["mvn", "mvnw", "./mvnw"], place: { kind: "key", key: /^-D(?:repoUrl|repository\.url|maven\.repo\.remote)$/ }, holds: "index", hints: ["repourl", "repository.url", "maven.repo.remote"] },
  { id: "gradle-repository-url", what: "a gradle repository URL property", programs: ["gradle", "gradlew", "./gradlew"], place: { kind: "key", key: /^-P[A-Za-z_.]*(?:[Rr]epo(?:sitory)?[Uu]rl|[Rr]egistry[Uu]rl)$/ }, holds: "index", hints: ["repourl", "repositoryurl", "registryurl"] },
  // Any command: a variable in the userinfo of a URL (git clone, go get, pip's git+https).
  { id: "url-userinfo", what: "the userinfo of a URL", programs: [], place: { kind: "userinfo" }, holds: "credential", hints: ["://"] },
];

/** A variable in the userinfo of a URL, as the pre-check looks for it (the scan reads the words). */
export const USERINFO_VARIABLE = /:\/\/[^\s\/@]*\$[^\s\/]*@/;



/**
 * Variables that tools read a credential or a package index URL from by their own convention
 * (REFERENCE §9, last paragraphs), beyond those the name classifier already calls secret
 * (POETRY_HTTP_BASIC_*_PASSWORD, CARGO_REGISTRY_TOKEN …). Set from a build argument, or as a
 * build argument, they carry what the user passes: credentials in the URL.
 */
export const CREDENTIAL_VARIABLES: readonly { name: RegExp; holds: "credential" | "index"; tool: string; /** lower case, for the pre-check */ hint: string }[] = [
  { name: /^PIP_(?:EXTRA_)?INDEX_URL$/, holds: "index", tool: "pip", hint: "index_url" },
  { name: /^UV_(?:EXTRA_)?INDEX_URL$/, holds: "index", tool: "uv", hint: "index_url" },
  { name: /^UV_INDEX$/, holds: "index", tool: "uv", hint: "uv_index" },
  { name: /^UV_DEFAULT_INDEX$/, holds: "index", tool: "uv", hint: "uv_default_index" },
  { name: /^npm_config_registry$/i, holds: "index", tool: "npm", hint: "npm_config_registry" },
  { name: /^YARN_NPM_REGISTRY_SERVER$/, holds: "index", tool: "yarn", hint: "yarn_npm_registry_server" },
  { name: /^POETRY_REPOSITORIES_[A-Z0-9_]+_URL$/, holds: "index", tool: "poetry", hint: "poetry_" },
  { name: /^UV_INDEX_[A-Z0-9_]+_PASSWORD$/, holds: "credential", tool: "uv", hint: "uv_index_" },
];

/** The tool convention that makes this variable name a credential or index slot, if any. */
export function credentialVariable(name: string): (typeof CREDENTIAL_VARIABLES)[number] | undefined {
  return CREDENTIAL_VARIABLES.find((v) => v.name.test(name));
}

/** The slot words a text holds: programs as words, and hints (row hints, variable hints) anywhere. */
export interface SlotWords {
  programs: ReadonlySet<string>;
  hints: ReadonlySet<string>;
}

/**
 * Could this text fill the slot? One of the row's programs as a word (after a `/`, a space or a
 * quote; not inside `libcurl4` or `php-mysql`), one of its hints and its `needs` pattern (`words`
 * is slotWordsIn(lower)). The pre-check asks it of a whole file, and nothing the scan finds
 * escapes it.
 */
export function mayFillSlot(row: CredentialSlot, text: string, lower: string, words: SlotWords): boolean {
  const hinted = () => row.hints.some((h) => (HINTS.has(h) ? words.hints.has(h) : lower.includes(h)));
  if (row.place.kind === "userinfo") return hinted() && USERINFO_VARIABLE.test(text);
  if (!row.programs.some((p) => words.programs.has(p)) || !hinted()) return false;
  return !row.needs || row.needs.test(lower);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const PROGRAMS = new Set(CREDENTIAL_SLOTS.flatMap((r) => r.programs));
/** Hints of four characters or more; shorter ones (`-p`, `-u`) are in most files and are searched only where a row's program is. */
const HINTS = new Set([...CREDENTIAL_SLOTS.flatMap((r) => r.hints), ...CREDENTIAL_VARIABLES.map((v) => v.hint)].filter((h) => h.length >= 4));
const TOKENS = [...new Set([...PROGRAMS, ...HINTS])].sort((a, b) => b.length - a.length);
/** Each token's shorter tokens that start it: a match of the longer one is a match of those too. */
const PREFIXES = new Map(TOKENS.map((t) => [t, TOKENS.filter((u) => u.length < t.length && t.startsWith(u))]));
/** Every program and hint in one pattern: one pass over a file finds them all. */
const SLOT_TOKEN = new RegExp(TOKENS.map(escape).join("|"), "g");
const WORD_CHAR = /[\w.-]/;

/** The slot programs (as words) and hints a lower-case text holds: one regex pass, not one search per name. */
export function slotWordsIn(lower: string): SlotWords {
  const programs = new Set<string>();
  const hints = new Set<string>();
  SLOT_TOKEN.lastIndex = 0;
  for (let m = SLOT_TOKEN.exec(lower); m; m = SLOT_TOKEN.exec(lower)) {
    const at = m.index;
    for (const t of [m[0], ...PREFIXES.get(m[0])!]) {
      if (HINTS.has(t)) hints.add(t);
      if (PROGRAMS.has(t) && !WORD_CHAR.test(lower[at - 1] ?? " ") && !WORD_CHAR.test(lower[at + t.length] ?? " ")) programs.add(t);
    }
    SLOT_TOKEN.lastIndex = at + 1;
  }
  return { programs, hints };
}
