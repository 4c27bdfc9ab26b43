/**
 * Commands that never read a credential variable they are not given on their command line: the
 * RUNs made only of them get no secret mount when nothing names the reader (an ARG no RUN names
 * reaches every later RUN's environment, but `mkdir` or `apt-get install` reads none of it), and a
 * known reader called only this way (`aws configure set default.region …`) does not read it.
 * A mount on such a RUN only widens the secret's exposure.
 *
 * One row per command. A row lists what the command does read from its environment (`reads`):
 * its own settings and the proxy variables, which can hold a password. A command outside this
 * table, or outside a row's `when`, may read anything (npm fills `${X}` in .npmrc from any
 * variable, git runs credential helpers, `pip install -r` expands `${X}` in requirements files,
 * a package's build script sees the whole environment): it keeps the mount.
 */

export interface NeverReadRow {
  /** Program basenames, wrappers (sudo, env …) already removed. */
  programs: readonly string[];
  /** argv from the program on: the uses the row covers; absent, every use. */
  when?: (argv: readonly string[]) => boolean;
  /** Variables the command does read from its environment (a secret under one of these names is read). */
  reads: readonly (string | RegExp)[];
  why: string;
}

/** http_proxy, HTTPS_PROXY, all_proxy, no_proxy …: a proxy URL may carry a password. */
const PROXY = /^(?:https?|ftp|all|no)_proxy$/i;

/** No argument is a local package file or path: those run the package's own scripts. */
const noLocalPackage = (argv: readonly string[]) => argv.slice(1).every((a) => !a.includes("/") && !/\.(?:deb|rpm|apk)$/.test(a));

/** A requirement from the index: a name, extras, a version pin. */
const REQUIREMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9,._-]+\])?(?:(?:===?|!=|<=?|>=?|~=)[A-Za-z0-9.*+!-]+(?:,(?:===?|!=|<=?|>=?|~=)[A-Za-z0-9.*+!-]+)*)?$/;
/** pip flags that change neither where packages come from nor what runs. */
const PIP_PLAIN_FLAGS = new Set(["--no-cache-dir", "--upgrade", "-U", "--user", "-q", "--quiet", "-v", "--verbose", "--disable-pip-version-check", "--no-warn-script-location", "--break-system-packages", "--root-user-action=ignore", "--prefer-binary", "--only-binary=:all:", "--no-compile"]);

/** aws configure set keys that hold a credential (those are stores: src/knowledge/tools/aws.ts). */
const AWS_CREDENTIAL_KEY = /^(?:[^.]+\.)?aws_(?:access_key_id|secret_access_key|session_token|security_token)$/;

export const NEVER_READ_CREDENTIALS: readonly NeverReadRow[] = [
  {
    programs: ["mkdir", "rmdir", "chmod", "chown", "chgrp", "ln", "ls", "touch", "cp", "mv", "rm", "install", "mkfifo", "stat", "realpath", "basename", "dirname"],
    reads: [],
    why: "work on the files their arguments name; a variable reaches them only when the RUN expands it (then the RUN names it)",
  },
  {
    programs: ["echo", "printf", "true", "false", "test", "[", "sleep", "pwd", "cd"],
    reads: [],
    why: "shell built-ins and their twins: they print or test their arguments, nothing else",
  },
  {
    programs: ["set"],
    when: (argv) => argv.length > 1 && argv.slice(1).every((a) => /^[-+][a-zA-Z]+$/.test(a) || /^(?:pipefail|errexit|nounset|xtrace)$/.test(a)),
    reads: [],
    why: "set -eux / set -o pipefail only switch shell options (a bare `set` prints every variable: not covered)",
  },
  {
    programs: ["umask", "ldconfig", "update-ca-certificates", "locale-gen"],
    reads: [],
    why: "system setup that reads files of the image, no variable",
  },
  {
    programs: ["tar", "gzip", "gunzip", "unzip", "xz", "bzip2"],
    reads: ["TAR_OPTIONS", "GZIP", "UNZIP", "XZ_OPT", "BZIP2"],
    why: "archive tools: their option variables, no credential",
  },
  {
    programs: ["useradd", "groupadd", "adduser", "addgroup", "usermod", "groupmod", "userdel", "groupdel"],
    reads: [],
    why: "user and group tools: they read /etc/login.defs and their arguments",
  },
  {
    programs: ["apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "dpkg", "rpm"],
    when: noLocalPackage,
    reads: [PROXY, /^APT_/, /^DEBIAN_/, /^DEBCONF_/, /^DPKG_/],
    why: "OS package managers read their own settings, the proxies and their own auth files (apt's auth.conf: a file, not a variable); the distribution's package scripts read no project credential",
  },
  {
    programs: ["pip", "pip3"],
    when: (argv) => argv[1] === "install" && argv.length > 2 && argv.slice(2).every((a) => PIP_PLAIN_FLAGS.has(a) || REQUIREMENT.test(a)),
    reads: [PROXY, /^PIP_/],
    why: "pip installing named packages reads PIP_* and the proxies (and pip.conf, which it does not expand); -r, -c, -e, paths and URLs are left out: requirements files expand ${X} from any variable, and a local project's build script sees everything",
  },
  {
    programs: ["curl", "wget"],
    reads: [PROXY, "CURL_HOME", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "WGETRC", "SYSTEM_WGETRC"],
    why: "curl and wget read the proxies and their own configuration paths; a credential reaches them only on their command line (named) or in .netrc (a file)",
  },
  {
    programs: ["aws"],
    when: (argv) => argv[1] === "configure" && argv[2] === "set" && argv.length === 5 && !AWS_CREDENTIAL_KEY.test(argv[3]),
    reads: [],
    why: "aws configure set of a setting (default.region, output) writes ~/.aws/config and calls no service, so it reads no key",
  },
];

/** Does this command (argv from the program on) never read the variable? */
export function neverReads(argv: readonly string[], variable: string): boolean {
  const row = NEVER_READ_CREDENTIALS.find((r) => r.programs.includes(argv[0]) && (!r.when || r.when(argv)));
  if (!row) return false;
  return !row.reads.some((v) => (typeof v === "string" ? v === variable : v.test(variable)));
}
