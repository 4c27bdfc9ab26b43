import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import {
  classifySecretName,
  implicitEnvReaders,
  isSecretName,
  tokeniseName,
} from "../src/analyse/secret-names.js";
import { CORPUS, corpusFiles, describeCorpus } from "./helpers/corpus.js";

// RuleTester style: `valid` names must NOT be secrets, `invalid` names must be.
const valid: ReadonlyArray<readonly [name: string, why: string]> = [
  // BuildKit SecretsUsedInArgOrEnv must-not list
  ["PUBLIC_KEY", "BuildKit allow: public"],
  ["public_token", "BuildKit allow: public"],
  ["SECRET_PASSPHRASE_FILE", "BuildKit allow: file"],
  ["password_file", "BuildKit allow: file"],
  ["AUTH_MODULE_VERSION", "BuildKit allow: version"],
  // BuildKit's known false positives on real files (REFERENCE §5)
  ["GPG_KEY", "public key fingerprint (docker-library)"],
  ["GPG_KEYS", "public key fingerprints"],
  ["JENKINS_GPG_KEY", "*_GPG_KEY"],
  ["SLACK_GPG_KEY", "*_GPG_KEY"],
  ["PGP_KEY", "public key"],
  ["DefaultProcess__Filters__0__Key", ".NET config key/value pair"],
  ["SITE_KEY", "reCAPTCHA site key is public"],
  ["USE_GKE_GCLOUD_AUTH_PLUGIN", "a switch naming a plugin"],
  // public / pub word
  ["NEXT_PUBLIC_API_KEY", "Next.js inlines NEXT_PUBLIC_ into the public bundle"],
  ["SSH_PUBLIC_KEY", "public"],
  ["PUB_KEY", "pub"],
  ["STRIPE_PUBLISHABLE_KEY", "publishable"],
  // the last word names something else than the secret
  ["NPM_TOKEN_FILE", "file"],
  ["SECRETS_DIR", "dir"],
  ["TOKEN_PATH", "path"],
  ["HF_TOKEN_PATH", "trivy secret_file_envs: a path"],
  ["AWS_SHARED_CREDENTIALS_FILE", "file"],
  ["VAULT_TOKEN_VERSION", "version"],
  ["TOKEN_URL", "url"],
  ["AUTH_URI", "uri"],
  ["OAUTH_TOKEN_ENDPOINT", "endpoint"],
  ["AUTH_HOST", "host"],
  ["AUTH_SERVER", "server"],
  ["AUTH_PORT", "port"],
  ["SECRET_NAME", "name"],
  ["TOKEN_TYPE", "type"],
  ["AUTH_MODE", "mode"],
  ["AUTH_METHOD", "method"],
  ["AUTH_ENABLED", "enabled"],
  ["API_KEY_ID", "id"],
  ["CLIENT_ID", "no secret word"],
  ["PASSWORD_MIN_LENGTH", "length"],
  ["TOKEN_TTL", "ttl"],
  ["TOKEN_EXPIRY", "expiry"],
  ["AUTH_HEADER", "header"],
  ["JWT_SECRET_ALGORITHM", "algorithm"],
  ["AUTH_PLUGIN", "plugin"],
  ["AUTH_PROVIDER", "provider"],
  ["DOCKER_CREDENTIAL_GCR_CONFIG", "config path (kaniko)"],
  ["SECRETFILE", "compound ending in file"],
  ["PASSWORD_POLICY", "policy"],
  // words that merely contain a secret word
  ["TOKENIZERS_PARALLELISM", "tokenizers"],
  ["KEYCLOAK_VERSION", "keycloak"],
  ["KEYCLOAK_HOME", "keycloak"],
  ["KEY_SERVER", "key server"],
  ["KEYSERVER", "keyserver"],
  ["AUTHOR", "author"],
  ["OLD_LLVMPASS", "an LLVM compiler pass (oss-fuzz)"],
  ["KEEPASSXC_VERSION", "keepass"],
  ["BYPASS_CACHE", "bypass"],
  ["PASS_THROUGH", "pass not last"],
  ["PW_PROJECT_ROOT", "pw not last"],
  ["OAUTH2_PROXY_VERSION", "oauth2 proxy"],
  ["DOCKER_AUTH_VERSION", "version"],
  ["PRIVATE_REGISTRY", "private alone (hadolint substring) is not a secret"],
  ["SORT_KEY", "lookup key"],
  ["PRIMARY_KEY", "lookup key"],
  ["PARTITION_KEY", "lookup key"],
  ["KMS_KEY", "an ARN"],
  ["KEY_ALIAS", "key not last"],
  // paths and helper programs
  ["GOOGLE_APPLICATION_CREDENTIALS", "trivy secret_file_envs: a path"],
  ["KUBECONFIG", "a path"],
  ["GIT_ASKPASS", "a program"],
  ["SSH_AUTH_SOCK", "a socket"],
  ["PWD", "shell working directory"],
  ["OAUTH", "a switch (OAUTH=false)"],
  // usernames and ids are not secrets here (hadolint flags `username`)
  ["DB_USER", "user"],
  ["DB_USERNAME", "username"],
  ["DOCKER_USERNAME", "hadolint list, a username"],
  ["AZURE_CLIENT_ID", "trivy list, an id"],
  ["TRAVIS_SUDO", "hadolint list, a flag"],
  // switches
  ["MYSQL_ALLOW_EMPTY_PASSWORD", "docker-library mysql flag"],
  ["MYSQL_RANDOM_ROOT_PASSWORD", "docker-library mysql flag"],
  ["ENABLE_AUTH", "flag"],
  ["NO_AUTH", "flag"],
  ["MAGE_ADMIN_USE_SECURITY_KEY", "flag"],
  // plain names
  ["PATH", "nothing"],
  ["NODE_VERSION", "nothing"],
  ["", "empty"],
];

const invalid: ReadonlyArray<readonly [name: string, why: string]> = [
  // BuildKit must-warn list
  ["SECRET_PASSPHRASE", "BuildKit"],
  ["SUPER_Secret", "BuildKit"],
  ["password", "BuildKit"],
  ["super_duper_secret_token", "BuildKit"],
  ["auth", "BuildKit"],
  ["apikey", "BuildKit"],
  ["git_key", "BuildKit"],
  // brief must-be list
  ["DB_PASSWORD", "password"],
  ["DB_PASS", "pass"],
  ["API_KEY", "key"],
  ["apiKey", "camelCase"],
  ["APIKey", "acronym camelCase"],
  ["NPM_TOKEN", "hadolint / trivy list"],
  ["AWS_SECRET_ACCESS_KEY", "trivy list"],
  ["AWS_ACCESS_KEY_ID", "trivy list despite _ID"],
  ["AWS_SESSION_TOKEN", "trivy list"],
  ["SSH_PRIVATE_KEY", "key"],
  ["SSH_KEY", "key"],
  ["GITHUB_TOKEN", "trivy list"],
  ["GH_TOKEN", "hadolint list"],
  ["CLIENT_SECRET", "secret"],
  ["JWT_SECRET", "secret"],
  ["LICENSE_KEY", "key"],
  ["BASIC_AUTH", "auth last"],
  ["NODE_AUTH_TOKEN", "token"],
  ["SECRET_KEY_BASE", "Rails"],
  // trivy / hadolint well-known names
  ["OPENAI_API_KEY", "trivy"],
  ["HF_TOKEN", "trivy"],
  ["VAULT_TOKEN", "hadolint"],
  ["POSTGRES_PASSWORD", "hadolint"],
  ["MYSQL_ROOT_PASSWORD", "well-known"],
  ["AZURE_CLIENT_SECRET", "trivy"],
  ["VITE_OPENAI_API_KEY", "trivy: VITE_ prefix"],
  ["REACT_APP_GITHUB_TOKEN", "trivy: REACT_APP_ prefix"],
  ["COMPOSER_AUTH", "JSON credentials"],
  ["DOCKER_AUTH_CONFIG", "GitLab runner auth JSON, not a path"],
  ["PGPASSWORD", "libpq"],
  ["MYSQL_PWD", "mysql client"],
  ["SSHPASS", "sshpass"],
  // word rules
  ["MYSQL_PASSWD", "passwd"],
  ["ADMIN_PWD", "pwd"],
  ["ROOT_PW", "pw last"],
  ["DB_PSW", "trivy psw"],
  ["APP_PWORD", "BuildKit pword"],
  ["GPG_PASSPHRASE", "passphrase beats gpg"],
  ["GPG_PRIVATE_KEY", "a private key, not a fingerprint"],
  ["SIGNING_KEY", "key"],
  ["ENCRYPTION_KEY", "key"],
  ["RAILS_MASTER_KEY", "key"],
  ["KEY", "bare key"],
  ["API_KEYS", "keys"],
  ["API_KEY_B64", "qualifier after key"],
  ["SSH_KEY_PROD", "qualifier after key"],
  ["GIT_CREDENTIALS", "credentials"],
  ["DOCKER_CREDS", "creds"],
  ["LDAP_ROOTPASS", "who+pass compound"],
  ["ADMINPASS", "who+pass compound"],
  ["DBPASSWORD", "compound ending in password"],
  ["ACCESSTOKEN", "compound"],
  ["authToken", "camelCase"],
  ["GITHUB_OAUTH", "oauth last"],
  ["PASSWORD_HASH", "a hash of a password is still sensitive"],
  ["KEYCLOAK_ADMIN_PASSWORD", "keycloak does not hide password"],
  ["NPM_CONFIG__AUTH", "npm _auth"],
  ["npm_config__authToken", "npm _authToken"],
  ["CI_JOB_TOKEN", "token"],
  ["SECRET", "bare secret"],
  ["TOKEN", "bare token"],
  ["CREDENTIALS", "bare credentials"],
];

describe("classifySecretName", () => {
  it.each(valid)("%s is not a secret (%s)", (name) => {
    expect(isSecretName(name)).toBe(false);
    expect(classifySecretName(name).secret).toBe(false);
  });

  it.each(invalid)("%s is a secret (%s)", (name) => {
    expect(isSecretName(name)).toBe(true);
    expect(classifySecretName(name).secret).toBe(true);
  });

  const reasons: ReadonlyArray<readonly [name: string, reason: RegExp]> = [
    ["GPG_KEY", /GPG_KEY is a public key fingerprint/],
    ["DB_PASSWORD", /name contains 'password'/],
    ["NPM_TOKEN", /well-known/],
    ["password_file", /_FILE/],
    ["PUBLIC_KEY", /'public'/],
    ["SITE_KEY", /site_key/],
    ["AUTH_MODULE_VERSION", /'auth' is not the last word/],
    ["GOOGLE_APPLICATION_CREDENTIALS", /path/],
    ["MYSQL_ALLOW_EMPTY_PASSWORD", /switch/],
    ["PATH", /no secret word/],
  ];
  it.each(reasons)("reason for %s matches %s", (name, reason) => {
    expect(classifySecretName(name).reason).toMatch(reason);
  });
});

describe("tokeniseName", () => {
  const cases: ReadonlyArray<readonly [string, string[]]> = [
    ["DB_PASSWORD", ["db", "password"]],
    ["apiKey", ["api", "key"]],
    ["APIKey", ["api", "key"]],
    ["SUPER_Secret", ["super", "secret"]],
    ["DefaultProcess__Filters__0__Key", ["default", "process", "filters", "0", "key"]],
    ["my-secret.token", ["my", "secret", "token"]],
  ];
  it.each(cases)("%s -> %j", (name, words) => {
    expect(tokeniseName(name)).toEqual(words);
  });
});

describe("implicitEnvReaders", () => {
  const cases: ReadonlyArray<readonly [string, string[]]> = [
    ["NPM_TOKEN", ["npm", "npx", "pnpm", "yarn"]],
    ["NODE_AUTH_TOKEN", ["npm", "npx", "pnpm", "yarn"]],
    ["AWS_ACCESS_KEY_ID", ["aws", "sam", "cdk", "terraform", "tofu", "packer", "pulumi", "eksctl"]],
    ["AWS_SECRET_ACCESS_KEY", ["aws", "sam", "cdk", "terraform", "tofu", "packer", "pulumi", "eksctl"]],
    ["AWS_SESSION_TOKEN", ["aws", "sam", "cdk", "terraform", "tofu", "packer", "pulumi", "eksctl"]],
    ["GITHUB_TOKEN", ["gh", "hub", "goreleaser"]],
    ["GH_TOKEN", ["gh"]],
    ["PIP_INDEX_URL", ["pip", "pip3", "poetry", "pipenv", "uv"]],
    ["PIP_EXTRA_INDEX_URL", ["pip", "pip3", "poetry", "pipenv", "uv"]],
    ["PIP_PASSWORD", ["pip", "pip3", "poetry", "pipenv", "uv"]],
    ["TWINE_PASSWORD", ["twine"]],
    ["HF_TOKEN", ["huggingface-cli", "hf"]],
    ["CODECOV_TOKEN", ["codecov"]],
    ["SENTRY_AUTH_TOKEN", ["sentry-cli"]],
    ["GOOGLE_APPLICATION_CREDENTIALS", ["gcloud", "gsutil", "bq"]],
    ["COMPOSER_AUTH", ["composer"]],
    ["PGPASSWORD", ["psql", "pg_dump", "pg_dumpall", "pg_restore", "createdb", "dropdb", "pg_isready"]],
    ["ACTIVESTATE_API_KEY", ["state"]],
    // families
    ["npm_config__authToken", ["npm", "npx", "pnpm", "yarn"]],
    ["NPM_CONFIG__AUTH", ["npm", "npx", "pnpm", "yarn"]],
    ["POETRY_HTTP_BASIC_PRIVATE_PASSWORD", ["poetry"]],
    ["POETRY_PYPI_TOKEN_TESTPYPI", ["poetry"]],
    ["UV_INDEX_INTERNAL_PASSWORD", ["uv"]],
    ["CARGO_REGISTRIES_MY_REG_TOKEN", ["cargo"]],
    ["TF_TOKEN_app_terraform_io", ["terraform", "tofu"]],
    ["BUNDLE_GEMS__CONTRIBSYS__COM", ["bundle", "bundler"]],
    ["ORG_GRADLE_PROJECT_mavenPassword", ["gradle", "gradlew"]],
    // none
    ["DB_PASSWORD", []],
    ["VITE_NPM_TOKEN", []],
    ["npm_token", []],
    ["PATH", []],
    ["", []],
  ];
  it.each(cases)("%s <- %j", (name, tools) => {
    expect(implicitEnvReaders(name)).toEqual(tools);
  });

  it("returns a fresh array each call", () => {
    const a = implicitEnvReaders("NPM_TOKEN");
    a.push("mutated");
    expect(implicitEnvReaders("NPM_TOKEN")).not.toContain("mutated");
  });
});

// ---------------------------------------------------------------------------------------------
// Corpus: every ARG/ENV name of the real Dockerfiles, flagged set compared with a reviewed list.


interface WithProperties {
  getKeyword(): string;
  getProperties?(): Array<{ getName(): string }>;
  getTriggerInstruction?(): WithProperties | null;
}

function argEnvNames(dir: string): Set<string> {
  const names = new Set<string>();
  const visit = (ins: WithProperties): void => {
    const kw = ins.getKeyword();
    if (kw === "ONBUILD") {
      const t = ins.getTriggerInstruction?.();
      if (t) visit(t);
    } else if ((kw === "ARG" || kw === "ENV") && ins.getProperties) {
      for (const p of ins.getProperties()) names.add(p.getName());
    }
  };
  for (const f of corpusFiles(dir)) {
    const df = DockerfileParser.parse(readFileSync(f, "utf8"));
    for (const ins of df.getInstructions()) visit(ins as unknown as WithProperties);
  }
  return names;
}

function flagged(names: Set<string>): string[] {
  return [...names].filter((n) => isSecretName(n)).sort();
}

/** Reviewed: each name flagged in bench/, with a one-word reason. */
const BENCH_FLAGGED: Record<string, string> = {
  ACTIVESTATE_API_KEY: "apikey", // cloud-builders-community/state: build-arg API key (known true secret)
  FTP_PASSWORD: "password", // webdevops vsftp: default password in ENV
  LDAP_ROOTPASS: "password", // jessfraz slapd: LDAP root password in ENV
  LICENSE_KEY: "license", // jessfraz telize: licence key literal in ENV
  SECRET: "fixture", // buildah test fixture ARG SECRET
  SSH_PRIVATE_KEY: "sshkey", // kaniko test fixture ARG SSH_PRIVATE_KEY
};

/** Reviewed: each name flagged in secrets/ (all true secret slots). */
const SECRETS_FLAGGED: Record<string, string> = {
  ADMIN_PASSWORD: "password",
  AIRTABLE_READ_KEY: "apikey",
  ARTEMIS_PASSWORD: "password",
  AWS_ACCESS_KEY_ID: "aws",
  AWS_KEY: "aws",
  AWS_SECRET: "aws",
  AWS_SECRET_ACCESS_KEY: "aws",
  CHANNEL_ACCESS_TOKEN: "token",
  CHANNEL_SECRET: "secret",
  DATABASE_PASS: "password",
  DATADOG_API_KEY: "apikey",
  DB_PASSWORD: "password",
  GITHUB_ACCESS_TOKEN: "token",
  GITHUB_API_TOKEN: "token",
  GITHUB_OAUTH: "token",
  GITHUB_TOKEN: "token",
  GITLAB_TOKEN: "token",
  GIT_CI_PASS: "password",
  GIT_TOKEN: "token",
  GOOGLE_MAPS_KEY: "apikey",
  MAGE_ACCOUNT_PRIVATE_KEY: "apikey",
  MAGE_ADMIN_PWD: "password",
  MAGE_DB_PASSWORD: "password",
  MAGE_KEY: "apikey",
  MYSQL_PASSWD: "password",
  MYSQL_ROOT_PASSWORD: "password",
  NPM_TOKEN: "token",
  OAUTH_ACCESS_TOKEN: "token",
  PRIVATE_KEY: "key",
  REACT_APP_MAPBOX_API_TOKEN: "token",
  SECRET: "fixture",
  SECRET_PASSPHRASE: "fixture",
  SONAR_TOKEN: "token",
  SSH_KEY: "key",
  SUPER_Secret: "fixture",
  alternate_password: "password",
  amazonToken: "token",
  apikey: "fixture",
  auth: "fixture",
  git_key: "fixture",
  password: "password",
  picaticKey: "apikey",
  secret: "fixture",
  super_duper_secret_token: "fixture",
  token: "token",
};

describeCorpus("corpus: ARG/ENV names", () => {
  it("bench/: flags exactly the reviewed names", () => {
    const names = argEnvNames(join(CORPUS, "bench"));
    expect(names.size).toBeGreaterThan(900); // the walk really saw the corpus
    expect(names).toContain("GPG_KEY"); // the classic false positive is present …
    expect(flagged(names)).toEqual(Object.keys(BENCH_FLAGGED).sort()); // … and not flagged
  });

  it("secrets/: flags exactly the reviewed names", () => {
    const names = argEnvNames(join(CORPUS, "secrets"));
    expect(names.size).toBeGreaterThan(250);
    expect(flagged(names)).toEqual(Object.keys(SECRETS_FLAGGED).sort());
  });
});
