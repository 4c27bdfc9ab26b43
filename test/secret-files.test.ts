import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { classifySecretPath } from "../src/analyse/secret-files.js";
import { FILE_FAMILIES } from "../src/knowledge/credential-files.js";
import { CORPUS, corpusFiles, describeCorpus } from "./helpers/corpus.js";

// RuleTester style: `valid` paths are not credential files; `invalid` ones are, with their kind.
const valid: ReadonlyArray<readonly [path: string, why: string]> = [
  // ordinary project files
  ["package.json", "manifest"],
  ["package-lock.json", "lockfile"],
  ["requirements.txt", "deps"],
  ["tsconfig.json", "config"],
  ["appsettings.json", "runtime config"],
  ["config.json", "not under .docker/"],
  ["settings.py", "dockle lists it; runtime config"],
  ["database.yml", "dockle lists it; runtime config"],
  [".envrc", "direnv script, committed by design"],
  ["env.sh", "script"],
  ["environment.yml", "conda env"],
  ["library-scripts/meta.env", "name.env settings (vscode-dev-containers)"],
  ["library-scripts/*.env", "glob over name.env"],
  ["NuGet.config", "usually no credentials"],
  ["maven-settings.xml", "not settings.xml, not under a maven path"],
  ["settings-docker.xml", "maven image convention, no credentials"],
  ["/usr/share/maven/ref/", "a directory"],
  // certificates and public keys
  ["ca.pem", "CA"],
  ["cert.pem", "certificate"],
  ["fullchain.pem", "chain"],
  ["chain.pem", "chain"],
  ["my-ca.pem", "*-ca.pem"],
  ["rootCA.pem", "root CA"],
  ["server-cert.pem", "*cert*.pem"],
  ["ca-bundle.pem", "*bundle*.pem"],
  ["public.pem", "*public*.pem"],
  ["dhparam.pem", "DH parameters are public"],
  ["*.pem", "a glob over .pem: certificates as often as keys"],
  ["server.crt", ".crt"],
  ["id_rsa.pub", ".pub"],
  ["key.pub", ".pub"],
  ["ssl/deployment.key.pub", ".pub"],
  ["/tmp/nodesource.gpg.key", "apt signing key (public)"],
  ["Release.key", "repository signing key (public)"],
  ["/usr/share/keyrings/docker.key", "keyring directory"],
  ["ubuntu-archive-keyring.gpg", "public keyring"],
  ["/etc/ssl/certs/ca-certificates.crt", "CA bundle"],
  ["truststore.jks", "trust store holds certificates"],
  // ssh files that are not private keys
  ["known_hosts", "public"],
  ["/root/.ssh/known_hosts", "public"],
  ["/root/.ssh/authorized_keys", "public keys"],
  ["ssh_config", "client config"],
  ["/root/.ssh/config", "client config"],
  ["sshd_config", "server config"],
  ["/etc/ssh/", "sshd config dir"],
  // templates
  [".env.example", "template"],
  [".env.sample", "template"],
  [".env.template", "template"],
  [".env.dist", "template"],
  ["conf/dockerize/auth.json.tmpl", "template"],
  ["awscreds.template", "template"],
  [".npmrc.j2", "template"],
  // code named after secrets
  ["token.go", "code"],
  ["secret.py", "code"],
  ["copy-kube-config.sh", "script"],
  ["getAWSCreds.sh", "script"],
  // non-local or unknowable sources
  ["https://example.com/id_rsa", "ADD from a URL"],
  ["git@github.com:org/repo.git", "git URL"],
  ["$SRC", "variable"],
  ["${file}", "variable"],
  ["*", "glob"],
  [".", "context root"],
  ["/", "root"],
  ["", "empty"],
  // look-alikes
  ["/etc/passwd", "user database, not secrets"],
  ["passwd.lst", "wordlist (jessfraz/john)"],
  ["/usr/local/bin/docker-credential-gcr", "a credential helper binary"],
  ["ar-sa.json", "locale file"],
  ["monkey.json", "not key.json"],
  [".yarnclean", "not .yarnrc"],
  [".gitconfig", "not .git-credentials"],
  ["/home/xnet/.m2", "maven dir is mostly cache"],
  ["/root/.aws/cli/cache", "not credentials/config"],
  ["/root/.docker/daemon.json", "not config.json"],
];

type Expect = readonly [path: string, kind: string, directory?: boolean];
const invalid: ReadonlyArray<Expect> = [
  // REFERENCE §5 list
  [".npmrc", "npmrc"],
  ["./.npmrc", "npmrc"],
  ['"./.npmrc"', "npmrc"],
  ["/root/.npmrc", "npmrc"],
  ["npmrc", "npmrc"],
  [".npmrc-deploy", "npmrc"],
  ["*.npmrc", "npmrc"],
  [".yarnrc", "yarnrc"],
  [".yarnrc.yml", "yarnrc"],
  [".pypirc", "pypirc"],
  ["pip.conf", "pip-conf"],
  ["/root/.pip/pip.conf", "pip-conf"],
  ["pip.ini", "pip-conf"],
  [".netrc", "netrc"],
  ["_netrc", "netrc"],
  [".git-credentials", "git-credentials"],
  ["id_rsa", "ssh-key"],
  ["~/.ssh/id_rsa", "ssh-key"],
  ["/root/.ssh/entwine_key", "ssh-key"],
  ["config/ssh-keys/cd-demo", "ssh-key"],
  ["bitbucket_rsa", "ssh-key"],
  ["id_rsa*", "ssh-key"],
  ["C:\\Users\\me\\.ssh\\id_ed25519", "ssh-key"],
  ["/etc/ssh/ssh_host_ed25519_key", "ssh-key"],
  ["deploy.ppk", "ssh-key"],
  [".ssh", "ssh-dir", true],
  [".ssh/", "ssh-dir", true],
  ["/root/.ssh/", "ssh-dir", true],
  ["~/.ssh", "ssh-dir", true],
  ["ssh-keys/", "ssh-dir", true],
  ["keys/.ssh/*", "ssh-dir", true],
  [".aws/credentials", "aws-credentials"],
  ["/root/.aws/credentials", "aws-credentials"],
  ["/root/.aws/config", "aws-config"],
  [".aws", "aws-dir", true],
  ["/home/u/.aws/", "aws-dir", true],
  ["service-account.json", "gcp-service-account"],
  ["my-service-account-key.json", "gcp-service-account"],
  ["service_account.json", "gcp-service-account"],
  ["proj-firebase-adminsdk-ab12c-0123456789.json", "gcp-service-account"],
  ["deploy-sa.json", "gcp-service-account"],
  ["ci-sa.json", "gcp-service-account"],
  ["gcs-sa-key.json", "gcp-service-account"],
  ["application_default_credentials.json", "gcloud-credentials"],
  ["/root/.config/gcloud", "gcloud-dir", true],
  ["credentials.json", "credentials-json"],
  ["gcp-credentials.json", "credentials-json"],
  ["app-credentials-prod.json", "credentials-json"],
  ["client_secret_123.apps.googleusercontent.com.json", "credentials-json"],
  ["key.json", "credentials-json"],
  ["kubeconfig", "kubeconfig"],
  ["kubeconfig.yaml", "kubeconfig"],
  ["admin.kubeconfig", "kubeconfig"],
  [".kube/config", "kubeconfig"],
  ["/root/.kube/kubeconfig", "kubeconfig"],
  [".kube", "kube-dir", true],
  [".docker/config.json", "docker-config"],
  ["${DEVENVROOT}/.docker/config.json", "docker-config"],
  ["docker-config.json", "docker-config"],
  [".dockercfg", "docker-config"],
  [".docker", "docker-dir", true],
  ["/kaniko/.docker/", "docker-dir", true],
  ["/run/containers/0/containers/auth.json", "containers-auth"],
  ["settings.xml", "maven-settings"],
  ["/root/.m2/settings.xml", "maven-settings"],
  ["./conf/maven/settings.xml", "maven-settings"],
  ["settings-security.xml", "maven-security"],
  ["gradle.properties", "gradle-properties"],
  ["/home/u/.gradle/gradle.properties", "gradle-properties"],
  ["auth.json", "composer-auth"],
  ["/var/www/.composer/auth.json", "composer-auth"],
  // dockle CIS-DI-0010 basenames / extensions
  ["credentials", "credentials"],
  ["credential", "credentials"],
  ["password.txt", "secret-file"],
  ["id_dsa", "ssh-key"],
  ["id_ecdsa", "ssh-key"],
  ["id_ed25519", "ssh-key"],
  ["secret_token.rb", "rails-secret"],
  ["config/initializers/secret_token.rb", "rails-secret"],
  ["credentials.xml", "jenkins-credentials"],
  ["$JENKINS_HOME/credentials.xml", "jenkins-credentials"],
  ["prod.secret", "secret-file"],
  ["client.ovpn", "openvpn"],
  ["server.private_key", "private-key"],
  ["release.jks", "keystore"],
  ["app.keystore", "keystore"],
  ["login.keychain", "keychain"],
  ["vault.agilekeychain", "keychain"],
  ["db.psafe3", "password-db"],
  ["passwords.kdbx", "password-db"],
  // keys and bundles
  ["key.pem", "private-key"],
  ["privkey.pem", "private-key"],
  ["server-key.pem", "private-key"],
  ["server.pem", "private-key"],
  ["id_rsa.pem", "ssh-key"],
  ["tls.key", "private-key"],
  ["/etc/munge/munge.key", "private-key"],
  ["./Files/container.key*", "private-key"],
  ["*.key", "private-key"],
  ["config/master.key", "rails-master-key"],
  ["config/credentials/production.key", "rails-master-key"],
  ["cert.p12", "pkcs12"],
  ["cert.pfx", "pkcs12"],
  ["/etc/ssl/private", "private-dir", true],
  ["secring.gpg", "gpg-private-key"],
  ["private-key.asc", "gpg-private-key"],
  [".gnupg/", "gnupg-dir", true],
  [".azure", "azure-dir", true],
  // .env (dockle), but not templates
  [".env", "dotenv"],
  [".env.local", "dotenv"],
  [".env.production", "dotenv"],
  [".env.docker", "dotenv"],
  ["conf/.env.txt", "dotenv"],
  ["config/.env_sage", "dotenv"],
  ["/var/www/html/.env", "dotenv"],
  // misc rc files
  [".boto", "boto"],
  ["boto", "boto"],
  ["boto.config", "boto"],
  [".htpasswd", "htpasswd"],
  ["htpasswd", "htpasswd"],
  ["nginx.htpasswd", "htpasswd"],
  [".pgpass", "pgpass"],
  [".my.cnf", "mysql-config"],
  [".s3cfg", "s3cfg"],
  [".vault-token", "vault-token"],
  [".terraformrc", "terraform-credentials"],
  ["/root/.gem/credentials", "gem-credentials"],
  ["/root/.cargo/credentials.toml", "cargo-credentials"],
  ["/root/.config/gh/hosts.yml", "gh-hosts"],
  // named as secrets
  ["oauth.txt", "secret-file"],
  ["secrets.yml", "secret-file"],
  ["api_key.txt", "secret-file"],
  ["github-token", "secret-file"],
  ["secrets.env", "secret-file"],
  ["secrets/", "secret-file", true],
];

// Families added as rows: suffix variants, keyrings, keystores, .env.*, cloud CLI folders.
const familyValid: ReadonlyArray<readonly [path: string, why: string]> = [
  ["gradle.properties.example", "template"],
  [".pypirc.sample", "template"],
  ["settings.xml.j2", "template"],
  ["gradle.properties.kts", "not a purpose suffix"],
  ["pubring.gpg", "public keyring"],
  ["pubring.kbx", "public keyring"],
  ["trustdb.gpg", "trust database"],
  ["/root/.gnupg/pubring.kbx", "public keyring in the GnuPG home"],
  ["/root/.gnupg/trustdb.gpg", "trust database in the GnuPG home"],
  ["/root/.gnupg/gpg.conf", "settings"],
  ["KEYS.asc", "public keys of a release"],
  ["signing-key.pub", "public key"],
  ["cacerts", "Java trust store"],
  ["cacerts.jks", "Java trust store"],
  ["kafka.truststore.jks", "trust store"],
  ["truststore.p12", "trust store"],
  ["client-truststore.pfx", "trust store"],
  [".env.dist", "template"],
  [".env.defaults", "template"],
  [".env.schema", "template"],
  ["/root/.oci/oci_api_key_public.pem", "public API key"],
  ["/root/.kube/cache", "discovery cache"],
  ["/root/.aws/sso/", "not credentials/config"],
  ["/root/.config/gh/config.yml", "gh settings, not hosts.yml"],
  [".cargo/config.toml", "cargo settings"],
  ["/usr/lib/google-cloud-sdk/bin/gcloud", "the gcloud program"],
];
const familyInvalid: ReadonlyArray<Expect> = [
  ["gradle.properties.local", "gradle-properties"],
  ["/home/u/.gradle/gradle.properties.ci", "gradle-properties"],
  [".npmrc.ci", "npmrc"],
  [".pypirc.prod", "pypirc"],
  [".netrc-deploy", "netrc"],
  ["settings.xml.bak", "maven-settings"],
  ["credentials.json.bak", "credentials-json"],
  [".aws/credentials.old", "aws-credentials"],
  ["pip.conf.docker", "pip-conf"],
  ["auth.json.prod", "composer-auth"],
  ["secring.kbx", "gpg-private-key"],
  ["/root/.gnupg/secring.gpg", "gpg-private-key"],
  [".gnupg/private-keys-v1.d", "gnupg-dir", true],
  [".gnupg/private-keys-v1.d/0123456789ABCDEF.key", "gpg-private-key"],
  ["secret-keys.gpg", "gpg-private-key"],
  ["release.jks", "keystore"],
  ["debug.bks", "keystore"],
  ["server.pfx", "pkcs12"],
  [".env.staging", "dotenv"],
  [".env.ci", "dotenv"],
  [".oci", "oci-dir", true],
  ["/root/.oci/config", "oci-config"],
  ["/root/.oci/oci_api_key.pem", "oci-api-key"],
  ["/root/.aliyun/", "aliyun-dir", true],
  [".config/gcloud/", "gcloud-dir", true],
  [".config/gcloud/legacy_credentials/", "gcloud-dir", true],
  ["/root/.databrickscfg", "databricks-config"],
  ["/root/.pulumi/credentials.json", "pulumi-credentials"],
  ["/root/.config/doctl/config.yaml", "doctl-config"],
  ["/root/.terraform.d/credentials.tfrc.json", "terraform-credentials"],
];

describe("credential-file families (src/knowledge/credential-files.ts)", () => {
  it.each(familyValid)("%j is not a credential file (%s)", (path) => {
    expect(classifySecretPath(path)).toBeNull();
  });
  it.each(familyInvalid.map(([path, kind, directory]) => [path, kind, directory ?? false] as const))("%j is %s (directory: %s)", (path, kind, directory) => {
    expect(classifySecretPath(path)).toMatchObject({ kind, directory });
  });

  const rows = FILE_FAMILIES.map((row, i) => [`${i}: ${row.kind}`, row] as const);
  it.each(rows)("row %s: has an example, classifies each as its kind, and each public member as none", (_name, row) => {
    expect(row.examples.length).toBeGreaterThan(0);
    for (const example of row.examples) expect(classifySecretPath(example)?.kind, example).toBe(row.kind);
    for (const member of row.public ?? []) expect(classifySecretPath(member), member).toBeNull();
  });

  it("gives each kind one tool list", () => {
    const byKind = new Map<string, string>();
    for (const row of FILE_FAMILIES) {
      const facts = JSON.stringify([row.tools ?? []]);
      expect(byKind.get(row.kind) ?? facts, row.kind).toBe(facts);
      byKind.set(row.kind, facts);
    }
  });
});

describe("classifySecretPath", () => {
  it.each(valid)("%j is not a credential file (%s)", (path) => {
    expect(classifySecretPath(path)).toBeNull();
  });

  const invalidRows = invalid.map(([path, kind, directory]) => [path, kind, directory ?? false] as const);
  it.each(invalidRows)("%j is %s (directory: %s)", (path, kind, directory) => {
    const got = classifySecretPath(path);
    expect(got).not.toBeNull();
    expect(got?.kind).toBe(kind);
    expect(got?.directory).toBe(directory);
    expect(got?.label.length).toBeGreaterThan(0);
  });

  const tools: ReadonlyArray<readonly [path: string, tools: string[]]> = [
    [".npmrc", ["npm", "yarn", "pnpm", "npx"]],
    ["pip.conf", ["pip", "pip3", "poetry", "pipenv", "uv"]],
    [".pypirc", ["twine", "poetry"]],
    [".netrc", ["git", "curl", "wget", "pip", "go", "poetry"]],
    [".git-credentials", ["git"]],
    [".ssh/id_rsa", ["ssh", "scp", "sftp", "rsync", "git", "go", "npm", "npx", "pnpm", "yarn", "pip", "pip3", "pipenv", "poetry", "uv", "bundle", "bundler", "composer", "cargo", "bower"]],
    [".ssh/", ["ssh", "scp", "sftp", "rsync", "git", "go", "npm", "npx", "pnpm", "yarn", "pip", "pip3", "pipenv", "poetry", "uv", "bundle", "bundler", "composer", "cargo", "bower"]],
    [".aws/credentials", ["aws", "sam", "cdk", "terraform"]],
    ["service-account.json", ["gcloud", "gsutil", "bq"]],
    ["kubeconfig", ["kubectl", "helm"]],
    [".docker/config.json", ["docker", "skopeo", "crane", "podman", "buildah"]],
    ["settings.xml", ["mvn", "mvnw"]],
    ["gradle.properties", ["gradle", "gradlew"]],
    ["auth.json", ["composer"]],
    [".boto", ["gsutil"]],
    [".env", []],
    ["key.pem", []],
  ];
  it.each(tools)("%s is read by %j", (path, expected) => {
    expect(classifySecretPath(path)?.tools).toEqual(expected);
  });

  it("returns a fresh tools array each call", () => {
    classifySecretPath(".npmrc")?.tools.push("mutated");
    expect(classifySecretPath(".npmrc")?.tools).not.toContain("mutated");
  });
});

// ---------------------------------------------------------------------------------------------
// Corpus: every COPY/ADD source and destination, flagged set compared with a reviewed list.


interface Ins {
  getKeyword(): string;
  getArguments(): Array<{ getValue(): string }>;
  getTriggerInstruction?(): Ins | null;
}

/** Sources and destinations of every COPY/ADD (JSON form decoded, heredoc markers skipped). */
function copyPaths(dir: string): Set<string> {
  const paths = new Set<string>();
  const visit = (ins: Ins): void => {
    const kw = ins.getKeyword();
    if (kw === "ONBUILD") {
      const t = ins.getTriggerInstruction?.();
      if (t) visit(t);
      return;
    }
    if (kw !== "COPY" && kw !== "ADD") return;
    let args = ins.getArguments().map((a) => a.getValue());
    const joined = args.join(" ").trim();
    if (joined.startsWith("[")) {
      try {
        const parsed: unknown = JSON.parse(joined);
        if (Array.isArray(parsed)) args = parsed.map(String);
      } catch {
        // not valid JSON: keep the shell-form words
      }
    }
    for (const a of args) if (!a.startsWith("<<")) paths.add(a);
  };
  for (const f of corpusFiles(dir)) {
    const df = DockerfileParser.parse(readFileSync(f, "utf8"));
    for (const ins of df.getInstructions()) visit(ins as unknown as Ins);
  }
  return paths;
}

function flagged(paths: Set<string>): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const k = classifySecretPath(p);
    if (k) out.push(`${p} -> ${k.kind}`);
  }
  return out.sort();
}

/** Reviewed: each path flagged in bench/, with a one-word reason. */
const BENCH_FLAGGED: Record<string, string> = {
  // kaniko deploy: `COPY --from=builder /kaniko/.docker /kaniko/.docker`, an empty dir made by
  // mkdir; the name is right (kaniko reads registry credentials there), the content is empty.
  "/kaniko/.docker -> docker-dir": "empty",
};

/** Reviewed: each path flagged in secrets/ (true credential files or their destinations). */
const SECRETS_FLAGGED: Record<string, string> = {
  "$JENKINS_SHARED_REFERENCE/.ssh/id_rsa -> ssh-key": "key",
  "$JENKINS_SHARED_REFERENCE/credentials.xml -> jenkins-credentials": "jenkins",
  "${DEVENVROOT}/.docker/config.json -> docker-config": "registry",
  "*.npmrc -> npmrc": "optional",
  "./Files/container.key* -> private-key": "key",
  "./auth.json -> composer-auth": "composer",
  "./conf/maven/settings.xml -> maven-settings": "maven",
  "./contrib/ssh-depl-3ziele.key -> private-key": "key",
  "./gradle.properties -> gradle-properties": "gradle",
  "./kubeconfig -> kubeconfig": "kube",
  "./settings.xml -> maven-settings": "maven",
  ".git-credentials -> git-credentials": "git",
  ".netrc -> netrc": "netrc",
  ".npmrc -> npmrc": "npm",
  ".npmrc-deploy -> npmrc": "npm",
  ".yarnrc -> yarnrc": "yarn",
  "/.pip/pip.conf -> pip-conf": "pip",
  "/DATA/htdocs/.env -> dotenv": "env",
  "/app/credentials.json -> credentials-json": "dockle",
  "/credentials.json -> credentials-json": "dockle",
  "/etc/auth.json -> composer-auth": "composer",
  "/etc/munge/munge.key -> private-key": "munge",
  "/etc/pip.conf -> pip-conf": "pip",
  "/home/${USER_DEV}/.ssh -> ssh-dir": "ssh",
  "/home/buildagent/.docker/config.json -> docker-config": "registry",
  "/home/jovyan/.pip/pip.conf -> pip-conf": "pip",
  "/home/node/.netrc -> netrc": "netrc",
  "/home/sedemo/.aws/ -> aws-dir": "aws",
  "/home/ubuntu/.gradle/gradle.properties -> gradle-properties": "gradle",
  "/home/ubuntu/.m2/settings.xml -> maven-settings": "maven",
  "/home/xnet/.npmrc -> npmrc": "npm",
  "/oauth.txt -> secret-file": "oauth",
  "/root/.aws/config -> aws-config": "aws",
  "/root/.aws/credentials -> aws-credentials": "aws",
  "/root/.boto -> boto": "gsutil",
  "/root/.docker/config.json -> docker-config": "registry",
  "/root/.kube/config -> kubeconfig": "kube",
  "/root/.kube/kubeconfig -> kubeconfig": "kube",
  "/root/.m2/settings.xml -> maven-settings": "maven",
  "/root/.netrc -> netrc": "netrc",
  "/root/.npmrc -> npmrc": "npm",
  "/root/.pip/pip.conf -> pip-conf": "pip",
  "/root/.ssh/ -> ssh-dir": "ssh",
  "/root/.ssh/bitbucket_rsa -> ssh-key": "key",
  "/root/.ssh/entwine_key -> ssh-key": "key",
  "/root/.ssh/id_rsa -> ssh-key": "key",
  "/root/.ssh/ssh-depl-3ziele.key -> ssh-key": "key",
  "/src/.env_sage -> dotenv": "env",
  "/usr/share/jenkins/ref/.ssh/id_rsa -> ssh-key": "key",
  "/usr/share/jenkins/ref/credentials.xml -> jenkins-credentials": "jenkins",
  "/var/lib/logstash/.aws/credentials -> aws-credentials": "aws",
  "/var/www/html/.env -> dotenv": "env",
  "/var/www/html/rfc/.env -> dotenv": "env",
  "/var/www/toran/app/toran/composer/auth.json -> composer-auth": "composer",
  "agent/agent.key -> private-key": "key",
  "bootstrap/${USER_DEV}/.ssh -> ssh-dir": "ssh",
  "bootstrap/etc/munge/munge.key -> private-key": "munge",
  "boto -> boto": "gsutil",
  "boto.config -> boto": "gsutil",
  "build/.env -> dotenv": "env",
  "build/id_rsa -> ssh-key": "key",
  "conf/.env.docker -> dotenv": "env",
  "conf/.env.txt -> dotenv": "env",
  "config/.env_sage -> dotenv": "env",
  "config/.netrc -> netrc": "netrc",
  "config/credentials.xml -> jenkins-credentials": "jenkins",
  "config/ssh-keys/cd-demo -> ssh-key": "key",
  "config/ssh-keys/id_rsa -> ssh-key": "key",
  "credentials.json -> credentials-json": "dockle",
  "docker-config.json -> docker-config": "registry",
  "entwine-deploy.key -> private-key": "key",
  "files/.env -> dotenv": "env",
  "gradle.properties -> gradle-properties": "gradle",
  "id_rsa -> ssh-key": "key",
  "kubeconfig -> kubeconfig": "kube",
  "netrc -> netrc": "netrc",
  "npmrc -> npmrc": "npm",
  "oauth.txt -> secret-file": "oauth",
  "pip.conf -> pip-conf": "pip",
  "resources/.npmrc -> npmrc": "npm",
  "settings.xml -> maven-settings": "maven",
  "ssl/deployment.key -> private-key": "key",
  "toran/composer/auth.json -> composer-auth": "composer",
  "~/.aws -> aws-dir": "aws",
  "~/.docker/config.json -> docker-config": "registry",
};

describeCorpus("corpus: COPY/ADD paths", () => {
  it("bench/: flags exactly the reviewed paths", () => {
    const paths = copyPaths(join(CORPUS, "bench"));
    expect(paths.size).toBeGreaterThan(1500); // the walk really saw the corpus
    expect(paths).toContain("sshd_config"); // look-alikes are present …
    expect(paths).toContain("library-scripts/*.env");
    expect(flagged(paths)).toEqual(Object.keys(BENCH_FLAGGED).sort()); // … and not flagged
  });

  it("secrets/: flags exactly the reviewed paths", () => {
    const paths = copyPaths(join(CORPUS, "secrets"));
    expect(paths.size).toBeGreaterThan(400);
    expect(paths).toContain("/tmp/nodesource.gpg.key"); // a public key, not flagged
    expect(flagged(paths)).toEqual(Object.keys(SECRETS_FLAGGED).sort());
  });
});
