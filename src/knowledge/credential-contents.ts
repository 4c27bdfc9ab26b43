/**
 * What a credential file holds, by kind (the kinds of src/knowledge/credential-files.ts): which
 * keys carry a credential, and how the tool that reads the file fills a reference from its
 * environment. Every other key is harmless (pip.conf's index-url without userinfo, trusted-host,
 * .npmrc's registry= or save-exact=true). src/analyse/file-contents.ts reads a file's text with
 * one row and decides: no credential at all, a `${VAR}` template whose variable is the secret,
 * or a literal credential (hard-coded: rotate it).
 */

/**
 * How the file is written. ini: `key = value` lines with `[sections]`, `#`/`;` comments and
 * indented continuation values (also Java properties' `key: value`); yaml: `key: value` lines
 * and list items, nested by indentation; xml: elements; netrc: `machine … login … password …`
 * tokens; url-lines: one URL per line; json: an object whose leaves are looked at as
 * `<top-level key>><leaf key>`.
 */
export type ContentSyntax = "ini" | "yaml" | "xml" | "netrc" | "url-lines" | "json";

export interface ContentRow {
  /** Credential-file kinds this row reads. */
  kinds: readonly string[];
  syntax: ContentSyntax;
  /** Keys whose value is a credential (lower case; xml: element names; json: `section>leaf`). */
  credential: RegExp;
  /**
   * Free-form files (gradle.properties: any key may hold anything): the keys known to be harmless;
   * a key that is neither a credential nor harmless makes the content not understood.
   */
  harmless?: RegExp;
  /** xml: a `<property>` whose `<name>` matches carries a credential in its `<value>` (maven's httpHeaders). */
  credentialProperty?: RegExp;
  /**
   * A reference the tool fills from its environment when it reads the file (group 1: the
   * variable). Absent: the tool does not, so `${X}` is literal text there (a placeholder
   * something else fills: the file's content is then unknown).
   */
  reference?: RegExp;
  /** Texts this row must read as each verdict (checked by test/file-contents.test.ts). */
  examples: { none?: string; template?: string; literal: string };
  /** Where the keys and the reference syntax come from. */
  source: string;
}

/** `${NAME}`, as npm and yarn write it (yarn also `${NAME:-default}`). */
const DOLLAR_BRACE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/;

export const CONTENT_ROWS: readonly ContentRow[] = [
  {
    kinds: ["npmrc"],
    syntax: "ini",
    credential: /(?:^|:)(?:_authtoken|_auth|_password|password)$/,
    reference: DOLLAR_BRACE,
    examples: {
      none: "registry=https://registry.npmjs.org/\nsave-exact=true\n",
      template: "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
      literal: "//npm.example.com/:_authToken=0f3a9c2e-7d1b-4b8e-9a55-1c2d3e4f5a6b\n",
    },
    source: "docs.npmjs.com/cli/configuring-npm/npmrc (auth-related configuration; ${VAR} is replaced from the environment)",
  },
  {
    kinds: ["yarnrc"],
    syntax: "yaml",
    credential: /^(?:npmauthtoken|npmauthident|npmpassword)$/,
    reference: DOLLAR_BRACE,
    examples: {
      none: 'nodeLinker: node-modules\nnpmRegistryServer: "https://registry.yarnpkg.com"\n',
      template: "npmScopes:\n  acme:\n    npmAuthToken: ${ACME_NPM_TOKEN}\n",
      literal: "npmAuthToken: 0f3a9c2e-7d1b-4b8e-9a55-1c2d3e4f5a6b\n",
    },
    source: "yarnpkg.com/configuration/yarnrc (npmAuthToken, npmAuthIdent; ${NAME} and ${NAME:-default} from the environment)",
  },
  {
    kinds: ["pip-conf"],
    syntax: "ini",
    // pip.conf holds credentials only in the userinfo of its URLs (index-url, extra-index-url, find-links).
    credential: /^password$/,
    examples: {
      none: "[global]\nindex-url = https://pypi.org/simple\ntrusted-host = pypi.org\n",
      literal: "[global]\nextra-index-url = https://ci:s3cr3t-pass@pypi.example.com/simple\n",
    },
    source: "pip.pypa.io/en/stable/topics/configuration (no variable expansion in config files)",
  },
  {
    kinds: ["pypirc"],
    syntax: "ini",
    credential: /^password$/,
    examples: {
      none: "[distutils]\nindex-servers =\n    pypi\n[pypi]\nusername = __token__\n",
      literal: "[pypi]\nusername = __token__\npassword = s3cr3t-upload-pass\n",
    },
    source: "packaging.python.org/specifications/pypirc (twine reads password as written)",
  },
  {
    kinds: ["maven-settings", "maven-security"],
    syntax: "xml",
    credential: /^(?:password|passphrase|master)$/,
    credentialProperty: /token|auth/i,
    reference: /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/,
    examples: {
      none: "<settings><mirrors><mirror><id>central</id><url>https://repo.example.com/maven2</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>\n",
      template: "<settings><servers><server><id>repo</id><username>ci</username><password>${env.MAVEN_PASSWORD}</password></server></servers></settings>\n",
      literal: "<settings><servers><server><id>repo</id><username>ci</username><password>realvalue</password></server></servers></settings>\n",
    },
    source: "maven.apache.org/settings.html (servers: password, passphrase; ${env.X} from the environment)",
  },
  {
    kinds: ["gradle-properties"],
    syntax: "ini",
    // Repository and signing credentials by name: mavenPassword, gpr.key, signingInMemoryKey, NEXUS_PASS, sonar.login.
    credential: /(?:password|passwd|pass|pwd|token|secret|key|auth|login|credentials?)$/,
    harmless: /^(?:org\.gradle\.|android\.|kotlin\.|kapt\.|ksp\.|systemprop\.|pom_|version|group$|description$)|(?:version(?:_?code|_?name)?|user|username|email|url|host|port)$/,
    examples: {
      none: "org.gradle.jvmargs=-Xmx2g\norg.gradle.parallel=true\nandroid.useAndroidX=true\nVERSION_NAME=1.2.0\n",
      literal: "artifactoryUser=ci\nartifactoryPassword=realvalue\n",
    },
    source: "docs.gradle.org/current/userguide/build_environment.html (no variable expansion in gradle.properties)",
  },
  {
    kinds: ["netrc"],
    syntax: "netrc",
    credential: /^(?:password|account)$/,
    examples: {
      none: "machine github.com login ci\n",
      literal: "machine github.com login ci password realvalue\n",
    },
    source: "GNU inetutils ftp(1) / curl: the .netrc tokens machine, default, login, password, account, macdef",
  },
  {
    kinds: ["git-credentials"],
    syntax: "url-lines",
    credential: /(?!)/,
    examples: { literal: "https://ci:realvalue@github.com\n" },
    source: "git-scm.com/docs/git-credential-store (one URL with userinfo per line)",
  },
  {
    kinds: ["composer-auth"],
    syntax: "json",
    credential: /^(?:http-basic>password|(?:github-oauth|gitlab-token|gitlab-oauth|bearer)>(?!username$).+|bitbucket-oauth>consumer-secret|forgejo-token>token|custom-headers>.+)$/,
    examples: {
      none: '{"http-basic": {}, "github-oauth": {}}\n',
      literal: '{"github-oauth": {"github.com": "realvalue"}}\n',
    },
    source: "getcomposer.org/doc/articles/authentication-for-private-packages.md",
  },
  {
    kinds: ["docker-config", "containers-auth"],
    syntax: "json",
    credential: /^(?:auths>(?:auth|identitytoken|registrytoken|password)|httpheaders>.+)$/,
    examples: {
      none: '{"credsStore": "ecr-login", "auths": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": {}}}\n',
      literal: '{"auths": {"registry.example.com": {"auth": "Y2k6cmVhbHZhbHVl"}}}\n',
    },
    source: "docs.docker.com/reference/cli/docker/#docker-cli-configuration-file-configjson-properties; containers-auth.json(5)",
  },
];
