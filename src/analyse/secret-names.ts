/**
 * Is an ARG/ENV name the name of a secret?
 *
 * Detects at least the union of what the peers flag (REFERENCE §5):
 * - BuildKit check SecretsUsedInArgOrEnv: deny tokens apikey|auth|credential(s)|key|password|pword|
 *   passwd|secret|token between `_` or ends; allow public|file|version.
 * - trivy DS-0031 (checks/docker/leaked_secrets.rego): well-known names, also behind the
 *   VITE_ / REACT_APP_ prefixes.
 * - hadolint DL3064: ~49 exact names plus substrings api_key, client_key, password, private,
 *   secret, token, username.
 * with far fewer false positives: a name is split into words and judged by which word carries
 * the meaning (the last one: `SECRET_PASSPHRASE_FILE` is a file), not by substrings.
 *
 * Pure and dependency-free; every regex is compiled once at module load.
 */

export interface NameVerdict {
  secret: boolean;
  /** Short human text, e.g. "name contains 'password'". */
  reason: string;
}

/**
 * Well-known secret variables, matched exactly (case-insensitive).
 * Union of trivy DS-0031 `default_envs` and hadolint DL3064 `knownSensitiveNames`, minus the
 * entries of those lists that are identifiers rather than secrets (usernames, e-mail, app/client
 * ids, org URL, flags such as TRAVIS_SUDO): CF_USERNAME, CI_DEPLOY_USER, DOCKER_EMAIL,
 * DOCKER_USERNAME, FACEBOOK_APP_ID, HEROKU_API_USER, OKTA_AUTHN_GROUPID, OKTA_CLIENT_ORGURL,
 * OKTA_OAUTH2_CLIENTID, OS_USERNAME, STRIPE_DEVICE_NAME, TRAVIS_OS_NAME, TRAVIS_SECURE_ENV_VARS,
 * TRAVIS_SUDO, AZURE_CLIENT_ID. AWS_ACCESS_KEY_ID stays: it is one half of the credential pair and
 * the aws tools read it with its secret. Plus names the word rules below would miss.
 */
const WELL_KNOWN = new Set<string>([
  // trivy DS-0031
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AZURE_CLIENT_SECRET",
  "GITHUB_TOKEN",
  "OPENAI_API_KEY",
  "HF_TOKEN",
  // hadolint DL3064
  "ACCESS_TOKEN",
  "APPLICATION_KEY",
  "APP_SECRET",
  "AUTH_TOKEN",
  "BITTREX_API_KEY",
  "BITTREX_API_SECRET",
  "CF_PASSWORD",
  "CIRCLE_TOKEN",
  "CI_DEPLOY_PASSWORD",
  "DOCKERHUB_PASSWORD",
  "DOCKER_PASSWORD",
  "FACEBOOK_ACCESS_TOKEN",
  "FACEBOOK_APP_SECRET",
  "FIREBASE_API_TOKEN",
  "FIREBASE_TOKEN",
  "FOSSA_API_KEY",
  "GH_ENTERPRISE_TOKEN",
  "GH_TOKEN",
  "GITHUB_ENTERPRISE_TOKEN",
  "HEROKU_API_KEY",
  "NPM_AUTH_TOKEN",
  "NPM_TOKEN",
  "OKTA_CLIENT_TOKEN",
  "OKTA_OAUTH2_CLIENTSECRET",
  "OS_PASSWORD",
  "POSTGRES_PASSWORD",
  "SLACK_TOKEN",
  "STRIPE_API_KEY",
  "VAULT_CLIENT_KEY",
  "VAULT_TOKEN",
  // Others whose words alone would not decide
  "MYSQL_ROOT_PASSWORD",
  "MYSQL_PWD", // libpq/mysql client env password
  "PGPASSWORD",
  "REDISCLI_AUTH",
  "SSHPASS",
  "COMPOSER_AUTH", // JSON with registry credentials, read by composer
  "DOCKER_AUTH_CONFIG", // GitLab runner: the auth JSON itself, not a path
  "NPM_CONFIG__AUTH",
  "NPM_CONFIG__AUTHTOKEN",
  "NODE_AUTH_TOKEN",
  "HUGGING_FACE_HUB_TOKEN",
]);

/**
 * Names that contain a secret word but hold a path to a credential file (trivy DS-0031
 * `secret_file_envs`), or name a helper program. The file is the secret; the variable is not.
 */
const KNOWN_NOT_SECRET = new Map<string, string>([
  ["GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS holds a path to a credential file"],
  ["CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE holds a path"],
  ["GIT_ASKPASS", "GIT_ASKPASS names a helper program"],
  ["SSH_ASKPASS", "SSH_ASKPASS names a helper program"],
  ["SUDO_ASKPASS", "SUDO_ASKPASS names a helper program"],
  ["PWD", "PWD is the shell's working directory"],
  ["OLDPWD", "OLDPWD is the shell's previous directory"],
]);

/**
 * Client-side bundler prefixes (trivy DS-0031 `env_prefixes`): VITE_OPENAI_API_KEY is still an
 * OpenAI key. NEXT_PUBLIC_ is deliberately absent: Next.js inlines those into the public
 * bundle, and the `public` word below already marks them as public.
 */
const BUNDLER_PREFIX = /^(?:VITE_|REACT_APP_)/i;

/** Words that always mark a secret, wherever they appear (unless the last word says otherwise). */
const STRONG_WORDS = new Set<string>([
  "password",
  "passwords",
  "passwd",
  "pword", // BuildKit
  "psw", // trivy
  "passphrase",
  "secret",
  "secrets",
  "token",
  "tokens",
  "credential",
  "credentials",
  "cred",
  "creds",
  "apikey", // BuildKit
  "apikeys",
  "authtoken",
  "accesskey",
  "secretkey",
  "privatekey",
  "accesstoken",
]);

/**
 * Words whose meaning is too broad on their own: they mark a secret only as the final word
 * (optionally followed by qualifiers such as `_B64`, `_PROD`, `_2`). `AUTH_MODULE_VERSION`,
 * `KEY_SERVER`, `PASS_THROUGH`, `PW_PROJECT_ROOT` are not secrets; `BASIC_AUTH`, `DB_PASS`,
 * `SSH_KEY`, `ROOT_PW` are.
 */
const WEAK_WORDS = new Set<string>(["auth", "oauth", "key", "keys", "pass", "pwd", "pw"]);

/** Weak words that are something else when they are the whole name: $PWD, OAUTH=false. */
const NOT_ALONE = new Set<string>(["pwd", "pw", "oauth"]);

/** Compound words (no separator) that end in a strong word, e.g. "rootpassword", "mysecret". */
const STRONG_SUFFIX = /(?:password|passwd|passphrase|secret|secrets|token|tokens|credentials?|apikey|accesskey|secretkey|privatekey)$/;

/**
 * `<who>pass` compounds such as LDAP_ROOTPASS, ADMINPASS, DBPASS. An explicit list: `pass` also
 * ends "bypass", "compass", "llvmpass" (an LLVM compiler pass in oss-fuzz), "keepass".
 */
const PASS_COMPOUND = /^(?:root|admin|db|user|su|sudo|master|ldap|ftp|smtp|mail|imap|vnc|rdp|redis|mysql|pg|postgres|mongo|rabbit|rabbitmq|keystore|truststore|store|key|web|app|api|proxy|bind|sa)pass$/;

/**
 * Final words that say what the variable holds when that is not the secret itself
 * (BuildKit's allow-list `public|file|version` extended): a path, a URL, a name, a switch...
 */
const DESCRIPTOR_WORDS = new Set<string>([
  "file", "files", "filename", "path", "paths", "dir", "dirs", "directory", "folder", "location",
  "loc", "home", "root", "mount", "sock", "socket",
  "version", "ver", "vers",
  "url", "urls", "uri", "uris", "endpoint", "endpoints", "host", "hostname", "hosts", "server",
  "servers", "port", "addr", "address", "domain", "realm", "region", "zone",
  "name", "names", "type", "types", "mode", "method", "methods", "kind", "format",
  "enabled", "enable", "disabled", "disable", "required", "optional", "flag", "flags",
  "id", "ids", "length", "len", "size", "bits", "count", "ttl", "expiry", "expiration",
  "expires", "timeout", "lifetime", "header", "headers", "algorithm", "algo", "alg", "cipher",
  "plugin", "plugins", "module", "modules", "provider", "providers", "helper", "backend",
  "user", "username", "usr", "login", "email", "owner",
  "config", "conf", "cfg", "fingerprint", "prefix", "suffix", "policy", "scope", "scopes",
  "sha", "sha256", "sha512", "checksum", "age",
]);

/**
 * Words that, before the secret word, make the whole name a switch: ENABLE_AUTH, NO_AUTH_TOKEN,
 * MYSQL_ALLOW_EMPTY_PASSWORD=yes, MYSQL_RANDOM_ROOT_PASSWORD=yes (docker-library mysql).
 */
const FLAG_WORDS = new Set<string>([
  "use", "enable", "disable", "no", "skip", "allow", "require", "with", "without", "is", "has",
  "random", "generate", "empty",
]);

/** Words that make a name public whatever else it says (BuildKit allow-list: public). */
const PUBLIC_WORDS = new Set<string>(["public", "pub", "publishable"]);

/**
 * A `key` after one of these is a lookup key, a public key or a reCAPTCHA site key, not a secret:
 * GPG_KEY (a public key fingerprint in docker-library images), *_GPG_KEY, SORT_KEY, PRIMARY_KEY,
 * PARTITION_KEY, SITE_KEY, KMS_KEY (an ARN).
 */
const NEUTRAL_KEY_QUALIFIERS = new Set<string>([
  "gpg", "pgp", "gnupg", "sort", "primary", "partition", "foreign", "site", "cache", "hash",
  "map", "lookup", "index", "idempotency", "routing", "row", "column", "object", "unique",
  "composite", "shard", "group", "kms", "hot", "value", "dedup", "dedupe",
]);

/** Words that may follow a weak word without taking the meaning away (API_KEY_B64, SSH_KEY_PROD). */
const QUALIFIER_WORDS = new Set<string>([
  "prod", "production", "dev", "development", "stage", "staging", "test", "testing", "live",
  "sandbox", "b64", "base64", "encoded", "enc", "value", "val", "raw", "string", "str", "plain",
  "data", "json", "content", "contents", "override", "default", "local", "global",
]);

const IS_NUMBER = /^\d+$/;
const IS_VERSION_TAG = /^v\d+$/;

// camelCase / acronym boundaries: "apiKey" -> api Key, "APIKey" -> API Key.
const CAMEL_LOWER_UPPER = /([a-z0-9])([A-Z])/g;
const CAMEL_ACRONYM = /([A-Z]+)([A-Z][a-z])/g;
const SEPARATORS = /[_\-.\s]+/;

/** Split a variable name into lower-case words: on `_ - .`, and camelCase boundaries. */
export function tokeniseName(name: string): string[] {
  const spaced = name.replace(CAMEL_ACRONYM, "$1 $2").replace(CAMEL_LOWER_UPPER, "$1 $2");
  return spaced
    .split(SEPARATORS)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

function isQualifier(word: string): boolean {
  return QUALIFIER_WORDS.has(word) || IS_NUMBER.test(word) || IS_VERSION_TAG.test(word);
}

/** Compound word ending in file/path/dir: SECRETFILE, passwordfile, tokenpath. */
const COMPOUND_DESCRIPTOR = /(?:file|path|dir)$/;

/**
 * Is this ARG/ENV name the name of a secret, and why (or why not)?
 * Order: known path/helper names -> well-known secret names (also behind VITE_/REACT_APP_) ->
 * `public` words -> the first secret word -> the last word (_FILE, _VERSION, …) and switch
 * words (ENABLE_, ALLOW_EMPTY_) that take the secret meaning away.
 */
export function classifySecretName(name: string): NameVerdict {
  const trimmed = name.trim();
  if (trimmed === "") return { secret: false, reason: "empty name" };
  const upper = trimmed.toUpperCase();

  const known = KNOWN_NOT_SECRET.get(upper);
  if (known !== undefined) return { secret: false, reason: known };

  const unprefixed = upper.replace(BUNDLER_PREFIX, "");
  if (WELL_KNOWN.has(upper) || WELL_KNOWN.has(unprefixed)) {
    return { secret: true, reason: `${unprefixed} is a well-known secret variable` };
  }

  const words = tokeniseName(trimmed);
  if (words.length === 0) return { secret: false, reason: "no words in name" };

  const pub = words.find((w) => PUBLIC_WORDS.has(w));
  if (pub !== undefined) return { secret: false, reason: `'${pub}' marks a public value` };

  // Find the word that makes the name secret.
  let hit: string | undefined;
  let hitIndex = -1;
  let neutralKey: string | undefined;
  let notLast: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (STRONG_WORDS.has(w)) {
      hit = w;
      hitIndex = i;
      break;
    }
    if (WEAK_WORDS.has(w)) {
      // Only as the final meaningful word.
      let tailOk = true;
      for (let j = i + 1; j < words.length; j++) {
        if (!isQualifier(words[j]!)) {
          tailOk = false;
          break;
        }
      }
      if (!tailOk) {
        notLast ??= w;
        continue;
      }
      if (w === "key" || w === "keys") {
        const prev = i > 0 ? words[i - 1]! : undefined;
        if (prev !== undefined && (NEUTRAL_KEY_QUALIFIERS.has(prev) || IS_NUMBER.test(prev))) {
          neutralKey = `${prev}_${w}`;
          continue;
        }
      }
      if (words.length === 1 && NOT_ALONE.has(w)) continue;
      hit = w;
      hitIndex = i;
      break;
    }
    if (STRONG_SUFFIX.test(w) && !COMPOUND_DESCRIPTOR.test(w)) {
      hit = w;
      hitIndex = i;
      break;
    }
    if (PASS_COMPOUND.test(w)) {
      hit = w;
      hitIndex = i;
      break;
    }
  }

  if (hit === undefined) {
    if (neutralKey !== undefined) {
      const gpg = /^(?:gpg|pgp|gnupg)_/.test(neutralKey);
      return {
        secret: false,
        reason: gpg
          ? `${upper} is a public key fingerprint`
          : `'${neutralKey}' is a lookup or public key, not a secret`,
      };
    }
    if (notLast !== undefined) {
      return { secret: false, reason: `'${notLast}' is not the last word: it qualifies something else` };
    }
    return { secret: false, reason: "no secret word in name" };
  }

  // The last word says what the value is: a *_FILE holds a path, a *_VERSION a version.
  const last = words[words.length - 1]!;
  if (hitIndex < words.length - 1 && (DESCRIPTOR_WORDS.has(last) || COMPOUND_DESCRIPTOR.test(last))) {
    return { secret: false, reason: `ends in _${last.toUpperCase()}: it names the ${last}, not the secret` };
  }
  for (let i = 0; i < hitIndex; i++) {
    const w = words[i]!;
    if (FLAG_WORDS.has(w)) {
      return { secret: false, reason: `'${w}' before '${hit}' makes it a switch, not a secret` };
    }
  }

  return { secret: true, reason: `name contains '${hit}'` };
}

/**
 * Every name classifySecretName calls secret contains, in lower case, one of these fragments:
 * each strong and weak word, each well-known name and each compound contains one (a test checks
 * the vocabulary below). The pre-check uses them to skip text that cannot name a secret.
 */
export const SECRET_NAME_FRAGMENTS = ["pass", "pw", "psw", "secret", "token", "cred", "key", "auth"] as const;

/** The classifier's vocabulary, for the test that keeps SECRET_NAME_FRAGMENTS complete. */
export const SECRET_NAME_VOCABULARY = {
  wellKnown: [...WELL_KNOWN],
  words: [...STRONG_WORDS, ...WEAK_WORDS],
  patterns: [STRONG_SUFFIX.source, PASS_COMPOUND.source],
};

/** Shorthand for `classifySecretName(name).secret`. */
export function isSecretName(name: string): boolean {
  return classifySecretName(name).secret;
}

// Which commands read a variable from the environment without the RUN line naming it: a view of
// the tool catalogue (src/knowledge/tools), where each tool lists the variables it reads.
export { implicitEnvReaders } from "../knowledge/tools/index.js";
