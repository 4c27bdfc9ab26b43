/**
 * Is a COPY/ADD source or destination a credential file (or a directory of them)?
 *
 * Covers REFERENCE §5's list of secret files seen in real Dockerfiles and dockle CIS-DI-0010
 * (pkg/assessor/credential: basenames credentials.json, credential(s), password.txt, id_rsa,
 * id_dsa, id_ecdsa, id_ed25519, secret_token.rb, credentials.xml; extensions .secret .ovpn
 * .private_key .jks .keychain .agilekeychain .psafe3). dockle's data-file extensions
 * (.mdf .sdf .pcap .gnucash .rdp .cscfg .bek .tpm .fve) are left out: a build does not read them
 * as credentials. dockle's settings.py, database.yml, carrierwave.rb and omniauth.rb are left out
 * too: they are application config the image needs at run time, not build credentials.
 *
 * Pure and dependency-free; the path is only looked at as text (nothing is read from disk).
 */

export interface SecretFileKind {
  /** Stable id, e.g. "npmrc", "ssh-key", "ssh-dir". */
  kind: string;
  /** Human text, e.g. "npm registry credentials (.npmrc)". */
  label: string;
  /** Commands that read it implicitly (npm reads ~/.npmrc without being told). */
  tools: string[];
  /** True when the path names a directory of secrets (".ssh/"), not one file. */
  directory: boolean;
}

interface KindDef {
  readonly kind: string;
  readonly label: string;
  readonly tools: readonly string[];
}

const NPM_TOOLS = ["npm", "yarn", "pnpm", "npx"];
const PIP_TOOLS = ["pip", "pip3", "poetry", "pipenv", "uv"];
const SSH_TOOLS = ["ssh", "scp", "sftp", "git", "rsync", "go"];
const AWS_TOOLS = ["aws", "sam", "cdk", "terraform"];
const GCP_TOOLS = ["gcloud", "gsutil", "bq"];
const KUBE_TOOLS = ["kubectl", "helm"];
const DOCKER_TOOLS = ["docker", "skopeo", "crane", "podman", "buildah"];
const PG_TOOLS = ["psql", "pg_dump", "pg_dumpall", "pg_restore"];
const MYSQL_TOOLS = ["mysql", "mysqldump", "mysqladmin"];

function def(kind: string, label: string, tools: readonly string[] = []): KindDef {
  return { kind, label, tools };
}

const K = {
  npmrc: def("npmrc", "npm registry credentials (.npmrc)", NPM_TOOLS),
  yarnrc: def("yarnrc", "yarn registry credentials (.yarnrc)", ["yarn"]),
  yarnrcYml: def("yarnrc", "yarn registry credentials (.yarnrc.yml)", ["yarn"]),
  pypirc: def("pypirc", "PyPI upload credentials (.pypirc)", ["twine", "poetry"]),
  pipConf: def("pip-conf", "pip index configuration, may carry credentials (pip.conf)", PIP_TOOLS),
  netrc: def("netrc", "machine login credentials (.netrc)", ["git", "curl", "wget", "pip", "go", "poetry"]),
  gitCredentials: def("git-credentials", "git stored credentials (.git-credentials)", ["git"]),
  sshKey: def("ssh-key", "SSH private key", SSH_TOOLS),
  sshDir: def("ssh-dir", "SSH directory with private keys (.ssh/)", SSH_TOOLS),
  awsCredentials: def("aws-credentials", "AWS credentials (.aws/credentials)", AWS_TOOLS),
  awsConfig: def("aws-config", "AWS CLI config, may hold keys (.aws/config)", AWS_TOOLS),
  awsDir: def("aws-dir", "AWS credentials directory (.aws/)", AWS_TOOLS),
  gcpServiceAccount: def("gcp-service-account", "Google Cloud service account key (JSON)", GCP_TOOLS),
  gcloudCredentials: def("gcloud-credentials", "gcloud application default credentials", GCP_TOOLS),
  gcloudDir: def("gcloud-dir", "gcloud credentials directory (.config/gcloud/)", GCP_TOOLS),
  credentialsJson: def("credentials-json", "credentials file (JSON)"),
  credentials: def("credentials", "credentials file"),
  kubeconfig: def("kubeconfig", "Kubernetes credentials (kubeconfig)", KUBE_TOOLS),
  kubeDir: def("kube-dir", "Kubernetes config directory (.kube/)", KUBE_TOOLS),
  dockerConfig: def("docker-config", "registry credentials (.docker/config.json)", DOCKER_TOOLS),
  dockerDir: def("docker-dir", "Docker client config directory (.docker/)", DOCKER_TOOLS),
  containersAuth: def("containers-auth", "registry credentials (containers/auth.json)", ["podman", "buildah", "skopeo"]),
  mavenSettings: def("maven-settings", "Maven settings, may hold server passwords (settings.xml)", ["mvn", "mvnw"]),
  mavenSecurity: def("maven-security", "Maven master password (settings-security.xml)", ["mvn", "mvnw"]),
  gradleProperties: def("gradle-properties", "Gradle properties, may hold repository credentials", ["gradle", "gradlew"]),
  composerAuth: def("composer-auth", "Composer registry credentials (auth.json)", ["composer"]),
  gemCredentials: def("gem-credentials", "RubyGems API key (.gem/credentials)", ["gem"]),
  cargoCredentials: def("cargo-credentials", "Cargo registry token (.cargo/credentials)", ["cargo"]),
  terraformCredentials: def("terraform-credentials", "Terraform registry token (.terraformrc)", ["terraform", "tofu"]),
  ghHosts: def("gh-hosts", "GitHub CLI token (gh/hosts.yml)", ["gh"]),
  vaultToken: def("vault-token", "Vault token (.vault-token)", ["vault"]),
  privateKey: def("private-key", "private key"),
  privateDir: def("private-dir", "TLS private key directory"),
  pkcs12: def("pkcs12", "PKCS#12 key bundle (.p12/.pfx)"),
  keystore: def("keystore", "Java keystore (.jks/.keystore)"),
  keychain: def("keychain", "keychain"),
  passwordDb: def("password-db", "password manager database"),
  gpgPrivate: def("gpg-private-key", "GPG private key", ["gpg"]),
  gnupgDir: def("gnupg-dir", "GnuPG home with private keys (.gnupg/)", ["gpg"]),
  azureDir: def("azure-dir", "Azure CLI credentials directory (.azure/)", ["az"]),
  openvpn: def("openvpn", "OpenVPN profile, often with keys (.ovpn)", ["openvpn"]),
  dotenv: def("dotenv", "environment file with secrets (.env)"),
  boto: def("boto", "boto / gsutil credentials (.boto)", ["gsutil"]),
  htpasswd: def("htpasswd", "HTTP basic-auth password file (.htpasswd)"),
  pgpass: def("pgpass", "PostgreSQL password file (.pgpass)", PG_TOOLS),
  mysqlConfig: def("mysql-config", "MySQL client password file (.my.cnf)", MYSQL_TOOLS),
  s3cfg: def("s3cfg", "s3cmd credentials (.s3cfg)", ["s3cmd"]),
  jenkinsCredentials: def("jenkins-credentials", "Jenkins credentials store (credentials.xml)"),
  railsSecret: def("rails-secret", "Rails secret token (secret_token.rb)"),
  railsMasterKey: def("rails-master-key", "Rails master key (config/master.key)", ["rails", "rake"]),
  secretFile: def("secret-file", "file named as a secret"),
} as const;

// --- recognisers -----------------------------------------------------------------------------

const URL_LIKE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|git@[^:]+:)/;
const PURE_VARIABLE = /^\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
const SURROUNDING_QUOTES = /^(["'])(.*)\1$/s;

/** Files written to be filled in later, never the secret itself (.env.example, auth.json.tmpl). */
const TEMPLATE_SUFFIX = /\.(?:tmpl|template|tpl|example|examples|sample|samples|dist|default|defaults|skel|j2|jinja2?|erb|mustache|hbs|in)$/;

/** Source and script files: `token.go`, `secret.py`, `copy-kube-config.sh` are code, not secrets. */
const CODE_EXT = /\.(?:sh|bash|zsh|ps1|py|pyc|js|mjs|cjs|ts|tsx|jsx|go|rb|php|java|kt|scala|c|cc|cpp|h|hpp|rs|cs|swift|lua|pl|md|rst|html|css|sql|tf|tfvars|gradle|groovy)$/;

const RC_FILES = new Map<string, KindDef>([
  // optional leading dot: `COPY npmrc /root/.npmrc` is the same file under its final name
  ["npmrc", K.npmrc],
  ["pypirc", K.pypirc],
  ["netrc", K.netrc],
  ["git-credentials", K.gitCredentials],
  ["boto", K.boto],
  ["pgpass", K.pgpass],
  ["s3cfg", K.s3cfg],
  ["htpasswd", K.htpasswd],
]);
const RC_NAME = /^[._]?(npmrc|pypirc|netrc|git-credentials|boto|pgpass|s3cfg|htpasswd)$/;
/** Deploy variants seen in real files: `.npmrc-deploy`, `.npmrc.ci`. */
const NPMRC_VARIANT = /^\.?npmrc[._-][\w.-]+$/;

const DIR_KINDS = new Map<string, KindDef>([
  [".ssh", K.sshDir],
  ["ssh-keys", K.sshDir],
  ["ssh_keys", K.sshDir],
  ["sshkeys", K.sshDir],
  [".aws", K.awsDir],
  [".docker", K.dockerDir],
  [".kube", K.kubeDir],
  [".gnupg", K.gnupgDir],
  ["private-keys-v1.d", K.gnupgDir],
  [".azure", K.azureDir],
]);

/** Files inside ~/.ssh that are not private keys (public keys, host lists, client config). */
const SSH_DIR_PUBLIC = new Set<string>([
  "config", "known_hosts", "known_hosts2", "known_hosts.old", "authorized_keys", "authorized_keys2",
  "environment", "rc",
]);
const SSH_KEY_NAME = /^(?:id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk|xmss)(?:\.pem|\.key)?|[\w.-]+_(?:rsa|dsa|ecdsa|ed25519)|ssh_host_\w+_key|[\w.-]+\.ppk)$/;

/** `.env`, `.env.production`, `.env_sage`, `.env-docker`; not `.envrc` (see below). */
const DOTENV = /^\.env(?:[._-][\w.-]+)?$/;
const DOTENV_TEMPLATE = /(?:example|sample|template|dist|defaults?|schema|tmpl)/;

const GCP_SA_JSON = /(?:^|[-_.])(?:service[-_]?account|firebase-adminsdk)[\w.-]*\.json$|sa-key[\w.-]*\.json$/;
/** `ci-sa.json`, but not a locale file such as `ar-SA.json` / `en-SA.json` (Saudi Arabia). */
const SA_JSON = /^([\w.-]+)[-_]sa\.json$/;
const LOCALE_STEM = /^(?:ar|en)$/;
const CREDENTIALS_JSON = /credentials?[\w.-]*\.json$|^client_secrets?[\w.-]*\.json$|(?:^|[-_.])key(?:file)?\.json$/;
/** Names that say "secret" with a data extension: password.txt (dockle), secrets.yml, oauth.txt. */
const SECRET_WORD_FILE = /^(?:[\w.-]*[-_.])?(?:passwords?|secrets?|tokens?|api[-_]?keys?|oauth|auth[-_]?tokens?|access[-_]?tokens?|creds)(?:\.(?:txt|json|ya?ml|ini|conf|cfg|properties|toml|env|secret))?$/;

const KUBECONFIG = /^(?:[\w.-]*[-_.])?kubeconfig(?:[-_.][\w.-]*)?$/;

// PEM: a secret unless the name says certificate / CA bundle / public key.
const PEM_PUBLIC = /public|(?:^|[-_.])pub(?:[-_.]|$)/;
const PEM_PRIVATE = /key|priv|secret/;
const PEM_CERT = /cert|bundle|chain|trust|crt|csr|dhparam|rootca|(?:^|[-_.])(?:ca|dh\d*)(?:[-_.]|$)/;
/** `.key` files that are public signing keys for package repositories (nodesource.gpg.key, Release.key). */
const KEY_PUBLIC = /gpg|pgp|gnupg|public|(?:^|[-_.])pub(?:[-_.]|$)|release|keyring|archive|(?:^|[-_.])apt(?:[-_.]|$)|(?:^|[-_.])repo(?:[-_.]|$)/;
/** Directories that only hold public keys. */
const PUBLIC_KEY_DIRS = /(?:^|\/)(?:apt|keyrings|trusted\.gpg\.d|rpm-gpg|ca-certificates|certs)(?:\/|$)/;
/** Repository signing keys live here; `certs/` is left out: it is where TLS private keys (server.key) go. */
const SIGNING_KEY_DIRS = /(?:^|\/)(?:apt|keyrings|trusted\.gpg\.d|rpm-gpg)(?:\/|$)/;

const GLOB_CHARS = /[*?[]/;

function result(k: KindDef, directory = false): SecretFileKind {
  return { kind: k.kind, label: k.label, tools: [...k.tools], directory };
}

/**
 * path: a COPY/ADD source or destination as written (may be relative, absolute, "./x", "~/x",
 * end with "/", contain globs). Returns null when not a credential file.
 */
export function classifySecretPath(path: string): SecretFileKind | null {
  let p = path.trim();
  const quoted = SURROUNDING_QUOTES.exec(p);
  if (quoted) p = quoted[2]!.trim();
  if (p === "" || URL_LIKE.test(p)) return null; // ADD https://… fetches, it is not a context file
  p = p.replace(/\\/g, "/");
  const trailingSlash = p.endsWith("/");
  const segments = p.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.length === 0) return null;
  const base = segments[segments.length - 1]!;
  if (PURE_VARIABLE.test(base)) return null;
  const lowerSegs = segments.map((s) => s.toLowerCase());
  const parent = lowerSegs.length > 1 ? lowerSegs[lowerSegs.length - 2]! : "";
  const grandparent = lowerSegs.length > 2 ? lowerSegs[lowerSegs.length - 3]! : "";
  const lowerPath = lowerSegs.join("/");

  // Globs: `container.key*` and `id_rsa*` name the same files without the star;
  // `*.npmrc` is the usual trick to copy an optional .npmrc.
  let lower = base.toLowerCase();
  let pureGlobStem = false;
  if (GLOB_CHARS.test(lower)) {
    lower = lower.replace(/\*+$/, "");
    const starExt = /^\*+(\..+)$/.exec(lower);
    if (starExt) {
      const rc = RC_NAME.exec(starExt[1]!);
      if (rc) return result(RC_FILES.get(rc[1]!)!);
      lower = starExt[1]!;
      pureGlobStem = true;
    }
    if (lower === "" || /^[*?]+$/.test(lower)) {
      // `.ssh/*`: every file of a secrets directory
      const dir = DIR_KINDS.get(parent);
      return dir ? result(dir, true) : null;
    }
  }

  // Directories of secrets.
  const dirKind = DIR_KINDS.get(lower);
  if (dirKind) return result(dirKind, true);
  if (lower === "gcloud" && parent === ".config") return result(K.gcloudDir, true);
  if (lower === "private" && (parent === "ssl" || parent === "tls" || parent === "pki")) {
    return result(K.privateDir, true); // /etc/ssl/private (Debian convention)
  }

  if (TEMPLATE_SUFFIX.test(lower)) return null;
  if (lower === "secret_token.rb") return result(K.railsSecret); // dockle
  if (CODE_EXT.test(lower)) return null;

  // Files whose meaning depends on the directory they are in.
  if (parent === ".ssh" || parent === "ssh-keys" || parent === "ssh_keys" || parent === "sshkeys") {
    if (SSH_DIR_PUBLIC.has(lower) || lower.endsWith(".pub")) return null;
    return result(K.sshKey);
  }
  if (parent === ".aws") {
    if (lower === "credentials") return result(K.awsCredentials);
    if (lower === "config") return result(K.awsConfig);
    return null;
  }
  if (parent === ".docker") return lower === "config.json" ? result(K.dockerConfig) : null;
  if (parent === ".kube") {
    return lower === "config" || KUBECONFIG.test(lower) || /\.ya?ml$/.test(lower) ? result(K.kubeconfig) : null;
  }
  if (parent === ".gem" && lower === "credentials") return result(K.gemCredentials);
  if (parent === ".cargo" && (lower === "credentials" || lower === "credentials.toml")) {
    return result(K.cargoCredentials);
  }
  if (parent === "gh" && grandparent === ".config" && lower === "hosts.yml") return result(K.ghHosts);
  if (parent === "gcloud" && (lower === "credentials.db" || lower === "access_tokens.db")) {
    return result(K.gcloudCredentials);
  }
  if (lower === "auth.json") {
    return parent === "containers" ? result(K.containersAuth) : result(K.composerAuth);
  }
  if (lower === "master.key" && parent === "config") return result(K.railsMasterKey);
  if (lower.endsWith(".key") && parent === "credentials" && grandparent === "config") {
    return result(K.railsMasterKey); // config/credentials/production.key
  }

  // Well-known file names.
  const rc = RC_NAME.exec(lower);
  if (rc) return result(RC_FILES.get(rc[1]!)!);
  if (NPMRC_VARIANT.test(lower)) return result(K.npmrc);
  if (lower === ".yarnrc") return result(K.yarnrc);
  if (lower === ".yarnrc.yml" || lower === ".yarnrc.yaml") return result(K.yarnrcYml);
  if (lower === "pip.conf" || lower === "pip.ini") return result(K.pipConf);
  if (lower === "boto.cfg" || lower === ".boto.cfg" || lower === "boto.config") return result(K.boto);
  if (lower.endsWith(".htpasswd")) return result(K.htpasswd);
  if (lower === ".my.cnf" || lower === ".mylogin.cnf") return result(K.mysqlConfig);
  if (lower === ".dockercfg" || /^docker[-_.]?config\.json$/.test(lower)) return result(K.dockerConfig);
  if (KUBECONFIG.test(lower)) return result(K.kubeconfig);
  if (lower === ".vault-token") return result(K.vaultToken);
  if (lower === ".terraformrc" || lower === "terraform.rc" || lower === "credentials.tfrc.json") {
    return result(K.terraformCredentials);
  }
  if (lower === "settings.xml") return result(K.mavenSettings);
  if (lower === "settings-security.xml") return result(K.mavenSecurity);
  if (lower === "gradle.properties") return result(K.gradleProperties);
  if (lower === "credentials.xml") return result(K.jenkinsCredentials); // dockle
  if (lower === "secring.gpg") return result(K.gpgPrivate);

  // .env files (dockle: .env). `.envrc` (direnv) is a shell script meant to be committed, and
  // `name.env` files (meta.env in vscode-dev-containers) are plain settings: neither is flagged.
  if (DOTENV.test(lower)) {
    if (pureGlobStem) return null; // `*.env` copies name.env settings files
    return DOTENV_TEMPLATE.test(lower.slice(4)) ? null : result(K.dotenv);
  }

  // SSH keys by name.
  if (lower.endsWith(".pub")) return null;
  if (SSH_KEY_NAME.test(lower)) return result(K.sshKey);

  // JSON credentials.
  if (lower === "application_default_credentials.json") return result(K.gcloudCredentials);
  if (GCP_SA_JSON.test(lower)) return result(K.gcpServiceAccount);
  const sa = SA_JSON.exec(lower);
  if (sa && !LOCALE_STEM.test(sa[1]!)) return result(K.gcpServiceAccount);
  if (CREDENTIALS_JSON.test(lower)) return result(K.credentialsJson);
  if (lower === "credentials" || lower === "credential") return result(K.credentials); // dockle

  // By extension.
  const dot = lower.lastIndexOf(".");
  const ext = dot >= 0 ? lower.slice(dot) : "";
  const stem = dot >= 0 ? lower.slice(0, dot) : lower;
  switch (ext) {
    case ".pem": {
      if (pureGlobStem) return null; // `*.pem` matches certificates as often as keys
      if (PUBLIC_KEY_DIRS.test(lowerPath) || PEM_PUBLIC.test(stem)) return null;
      if (PEM_PRIVATE.test(stem)) return result(K.privateKey);
      if (PEM_CERT.test(stem)) return null;
      return result(K.privateKey);
    }
    case ".key":
      if (SIGNING_KEY_DIRS.test(lowerPath) || KEY_PUBLIC.test(stem)) return null;
      return result(K.privateKey);
    case ".private_key": // dockle
      return result(K.privateKey);
    case ".p12":
    case ".pfx":
    case ".pkcs12":
      return result(K.pkcs12);
    case ".jks": // dockle
    case ".keystore":
    case ".bks":
      return /trust|cacerts/.test(stem) ? null : result(K.keystore);
    case ".keychain": // dockle
    case ".agilekeychain":
      return result(K.keychain);
    case ".psafe3": // dockle
    case ".kdbx":
    case ".kdb":
      return result(K.passwordDb);
    case ".ovpn": // dockle: client profiles usually inline <key>
      return result(K.openvpn);
    case ".secret": // dockle
      return result(K.secretFile);
    case ".asc":
    case ".gpg":
      return /priv|secret|secring/.test(stem) ? result(K.gpgPrivate) : null;
    default:
      break;
  }

  if (SECRET_WORD_FILE.test(lower)) return result(K.secretFile, trailingSlash);
  return null;
}
