/**
 * Credential-file families, one row each: how a COPY/ADD path is recognised as one, and which
 * members of the family are public. src/analyse/secret-files.ts tries the rows in phases (folders,
 * files in a known folder, exact names, name patterns, extensions) and the first row that holds
 * decides; test/secret-files.test.ts checks every row's examples and public members.
 *
 * Sources: REFERENCE §5 (secret-file names seen in real Dockerfiles) and dockle CIS-DI-0010
 * (pkg/assessor/credential: basenames credentials.json, credential(s), password.txt, id_rsa,
 * id_dsa, id_ecdsa, id_ed25519, secret_token.rb, credentials.xml; extensions .secret .ovpn
 * .private_key .jks .keychain .agilekeychain .psafe3). dockle's data-file extensions
 * (.mdf .sdf .pcap .gnucash .rdp .cscfg .bek .tpm .fve) are left out: a build does not read them
 * as credentials; so are its settings.py, database.yml, carrierwave.rb and omniauth.rb: they are
 * application config the image needs at run time, not build credentials.
 */
import { SSH_READERS } from "./tools/ssh.js";

export interface FileFamily {
  /** Stable id, e.g. "npmrc", "ssh-key", "ssh-dir". */
  kind: string;
  /** Human text, e.g. "npm registry credentials (.npmrc)". */
  label: string;
  /** Commands that read it implicitly (npm reads ~/.npmrc without being told). */
  tools?: readonly string[];
  /** A folder of secrets, named by its last path part (`.ssh`, `private-keys-v1.d`). */
  folder?: readonly string[];
  /** Exact basenames, lower case. */
  names?: readonly string[];
  /** A pattern on the lower-case basename. */
  pattern?: RegExp;
  /** Extensions, lower case with the dot. */
  extensions?: readonly string[];
  /** Only for a file directly in one of these folders (lower case): `.aws/credentials`. */
  in?: readonly string[];
  /** With `in` or `folder`: the folder above that one (`.config/gh/hosts.yml`, `.config/gcloud`). */
  under?: readonly string[];
  /** Names with a purpose or backup suffix count too: `gradle.properties.local`, `.npmrc.ci`, `.pypirc.bak`. */
  variants?: boolean;
  /** The basename must also match this (else the next row is tried): `*.gpg` only as a secret export. */
  when?: RegExp;
  /** Public members, on the lower-case basename: a match decides "not a secret" (`pubring.gpg`, `cacerts.jks`). */
  unless?: RegExp;
  /** Public members, on the whole lower-case path (`/usr/share/keyrings/x.key`). */
  unlessPath?: RegExp;
  /** A pattern glob (`*.pem`) matches certificates as often as keys: not a secret. */
  notAsGlob?: boolean;
  /** With `folder`: a file directly in it is a secret only through an `in` row (`.aws/cli` is not). */
  closed?: boolean;
  /** A path ending in `/` names a folder of such files (`secrets/`). */
  slashIsFolder?: boolean;
  /** A last resort: tried after every extension row. */
  fallback?: boolean;
  /** Paths this row must classify as `kind` (checked by the table test). */
  examples: readonly string[];
  /** Paths of the family's public members, which must not be flagged. */
  public?: readonly string[];
}

const NPM_TOOLS = ["npm", "yarn", "pnpm", "npx"];
const PIP_TOOLS = ["pip", "pip3", "poetry", "pipenv", "uv"];
/** ssh and git, and the tools that run git over ssh on their own for dependencies (tools/git.ts RUNS_GIT). */
const SSH_TOOLS = [...SSH_READERS];
const AWS_TOOLS = ["aws", "sam", "cdk", "terraform"];
const GCP_TOOLS = ["gcloud", "gsutil", "bq"];
const KUBE_TOOLS = ["kubectl", "helm"];
const DOCKER_TOOLS = ["docker", "skopeo", "crane", "podman", "buildah"];
const PG_TOOLS = ["psql", "pg_dump", "pg_dumpall", "pg_restore"];
const MYSQL_TOOLS = ["mysql", "mysqldump", "mysqladmin"];
const GPG_TOOLS = ["gpg", "gpg2"];

/**
 * Purpose and backup suffixes after a credential file's name (after `.`, `_` or `-`): the same
 * credentials for another environment (`.npmrc.ci`, `gradle.properties.local`, `.pypirc-prod`)
 * or a copy left behind (`settings.xml.bak`, also `name~`). Template suffixes (`.example`,
 * `.tmpl`) are decided before this: they are never the secret.
 */
export const VARIANT_SUFFIXES: ReadonlySet<string> = new Set([
  "local", "ci", "cd", "dev", "devel", "development", "prod", "production", "staging", "stage", "stg", "qa", "test", "testing",
  "docker", "deploy", "deployment", "release", "build", "internal", "private", "secret",
  "bak", "backup", "old", "orig", "save", "copy",
]);

/** Files inside ~/.ssh that are not private keys (public keys, host lists, client config). */
const SSH_PUBLIC = /^(?:config|known_hosts2?|known_hosts\.old|authorized_keys2?|environment|rc)$|\.pub$/;

/** Repository signing keys and CA bundles live here; `certs/` is left out of the key rule: TLS private keys (server.key) go there. */
const PUBLIC_KEY_DIRS = /(?:^|\/)(?:apt|keyrings|trusted\.gpg\.d|rpm-gpg|ca-certificates|certs)(?:\/|$)/;
const SIGNING_KEY_DIRS = /(?:^|\/)(?:apt|keyrings|trusted\.gpg\.d|rpm-gpg)(?:\/|$)/;
const PUBLIC_WORD = /public|(?:^|[-_.])pub(?:[-_.]|$)/;
/** A certificate, CA bundle or DH parameters: public. */
const CERTIFICATE = /cert|bundle|chain|trust|crt|csr|dhparam|rootca|(?:^|[-_.])(?:ca|dh\d*)(?:[-_.]|$)/;
/** `.key` files that are public signing keys for package repositories (nodesource.gpg.key, Release.key). */
const SIGNING_KEY = /gpg|pgp|gnupg|public|(?:^|[-_.])pub(?:[-_.]|$)|release|keyring|archive|(?:^|[-_.])apt(?:[-_.]|$)|(?:^|[-_.])repo(?:[-_.]|$)/;
/** Trust stores hold certificates only: `cacerts`, `truststore.jks`, `client-trust.p12`. */
const TRUST_STORE = /trust|cacerts/;

export const FILE_FAMILIES: readonly FileFamily[] = [
  // --- folders of secrets -------------------------------------------------------------------
  { kind: "ssh-dir", label: "SSH directory with private keys (.ssh/)", tools: SSH_TOOLS, folder: [".ssh", "ssh-keys", "ssh_keys", "sshkeys"], examples: [".ssh", "/root/.ssh/", "~/.ssh", "ssh-keys/", "keys/.ssh/*"] },
  { kind: "aws-dir", label: "AWS credentials directory (.aws/)", tools: AWS_TOOLS, folder: [".aws"], closed: true, examples: [".aws", "/home/u/.aws/"], public: ["/root/.aws/cli/cache", "/root/.aws/sso/"] },
  { kind: "docker-dir", label: "Docker client config directory (.docker/)", tools: DOCKER_TOOLS, folder: [".docker"], closed: true, examples: [".docker", "/kaniko/.docker/"], public: ["/root/.docker/daemon.json"] },
  { kind: "kube-dir", label: "Kubernetes config directory (.kube/)", tools: KUBE_TOOLS, folder: [".kube"], closed: true, examples: [".kube"], public: ["/root/.kube/cache"] },
  { kind: "gnupg-dir", label: "GnuPG home with private keys (.gnupg/)", tools: GPG_TOOLS, folder: [".gnupg", "private-keys-v1.d"], closed: true, examples: [".gnupg/", "/root/.gnupg/private-keys-v1.d"], public: ["/root/.gnupg/pubring.kbx", "/root/.gnupg/trustdb.gpg", ".gnupg/gpg.conf"] },
  { kind: "azure-dir", label: "Azure CLI credentials directory (.azure/)", tools: ["az"], folder: [".azure"], examples: [".azure", "/root/.azure/"] },
  { kind: "gcloud-dir", label: "gcloud credentials directory (.config/gcloud/)", tools: GCP_TOOLS, folder: ["gcloud"], under: [".config"], examples: ["/root/.config/gcloud", ".config/gcloud/"], public: ["gcloud", "/usr/lib/google-cloud-sdk/bin/gcloud"] },
  { kind: "gcloud-dir", label: "gcloud credentials directory (.config/gcloud/)", tools: GCP_TOOLS, folder: ["legacy_credentials"], under: ["gcloud"], examples: [".config/gcloud/legacy_credentials/"] },
  { kind: "oci-dir", label: "Oracle Cloud CLI config and API key directory (.oci/)", tools: ["oci"], folder: [".oci"], examples: [".oci", "/root/.oci/"] },
  { kind: "aliyun-dir", label: "Alibaba Cloud CLI credentials directory (.aliyun/)", tools: ["aliyun"], folder: [".aliyun"], examples: ["/root/.aliyun/"] },
  { kind: "private-dir", label: "TLS private key directory", folder: ["private"], under: ["ssl", "tls", "pki"], examples: ["/etc/ssl/private"], public: ["private/", "/etc/ssl/certs/"] },

  // --- files whose meaning depends on the folder they are in ----------------------------------
  { kind: "ssh-key", label: "SSH private key", tools: SSH_TOOLS, in: [".ssh", "ssh-keys", "ssh_keys", "sshkeys"], unless: SSH_PUBLIC, examples: ["~/.ssh/id_rsa", "/root/.ssh/entwine_key", "config/ssh-keys/cd-demo", "C:\\Users\\me\\.ssh\\id_ed25519"], public: ["/root/.ssh/known_hosts", "/root/.ssh/authorized_keys", "/root/.ssh/config", "ssl/.ssh/deploy.key.pub"] },
  { kind: "aws-credentials", label: "AWS credentials (.aws/credentials)", tools: AWS_TOOLS, in: [".aws"], names: ["credentials"], variants: true, examples: [".aws/credentials", "/root/.aws/credentials", ".aws/credentials.bak"] },
  { kind: "aws-config", label: "AWS CLI config, may hold keys (.aws/config)", tools: AWS_TOOLS, in: [".aws"], names: ["config"], examples: ["/root/.aws/config"] },
  { kind: "docker-config", label: "registry credentials (.docker/config.json)", tools: DOCKER_TOOLS, in: [".docker"], names: ["config.json"], examples: [".docker/config.json", "${DEVENVROOT}/.docker/config.json"] },
  { kind: "kubeconfig", label: "Kubernetes credentials (kubeconfig)", tools: KUBE_TOOLS, in: [".kube"], pattern: /^(?:config|(?:[\w.-]*[-_.])?kubeconfig(?:[-_.][\w.-]*)?|[\w.-]+\.ya?ml)$/, examples: [".kube/config", "/root/.kube/kubeconfig", "/root/.kube/prod.yaml"] },
  { kind: "gpg-private-key", label: "GPG private key", tools: GPG_TOOLS, in: [".gnupg"], pattern: /^secring\./, examples: ["/root/.gnupg/secring.gpg", ".gnupg/secring.kbx"] },
  { kind: "gpg-private-key", label: "GPG private key", tools: GPG_TOOLS, in: ["private-keys-v1.d"], examples: [".gnupg/private-keys-v1.d/0123456789ABCDEF.key"] },
  { kind: "oci-config", label: "Oracle Cloud CLI config (.oci/config)", tools: ["oci"], in: [".oci"], names: ["config"], examples: ["/root/.oci/config"] },
  // The config's key_file: the CLI reads it without the RUN naming it.
  { kind: "oci-api-key", label: "Oracle Cloud API signing key (.oci/*.pem)", tools: ["oci"], in: [".oci"], extensions: [".pem"], unless: PUBLIC_WORD, examples: ["/root/.oci/oci_api_key.pem"], public: ["/root/.oci/oci_api_key_public.pem"] },
  { kind: "gem-credentials", label: "RubyGems API key (.gem/credentials)", tools: ["gem"], in: [".gem"], names: ["credentials"], examples: ["/root/.gem/credentials"] },
  { kind: "cargo-credentials", label: "Cargo registry token (.cargo/credentials)", tools: ["cargo"], in: [".cargo"], names: ["credentials", "credentials.toml"], examples: ["/root/.cargo/credentials.toml", ".cargo/credentials"], public: [".cargo/config.toml"] },
  { kind: "gh-hosts", label: "GitHub CLI token (gh/hosts.yml)", tools: ["gh"], in: ["gh"], under: [".config"], names: ["hosts.yml"], examples: ["/root/.config/gh/hosts.yml"], public: ["/root/.config/gh/config.yml"] },
  { kind: "gcloud-credentials", label: "gcloud application default credentials", tools: GCP_TOOLS, in: ["gcloud"], names: ["credentials.db", "access_tokens.db"], examples: ["/root/.config/gcloud/credentials.db"] },
  { kind: "containers-auth", label: "registry credentials (containers/auth.json)", tools: ["podman", "buildah", "skopeo"], in: ["containers"], names: ["auth.json"], examples: ["/run/containers/0/containers/auth.json"] },
  { kind: "rails-master-key", label: "Rails master key (config/master.key)", tools: ["rails", "rake"], in: ["config"], names: ["master.key"], examples: ["config/master.key"] },
  { kind: "rails-master-key", label: "Rails master key (config/master.key)", tools: ["rails", "rake"], in: ["credentials"], under: ["config"], extensions: [".key"], examples: ["config/credentials/production.key"] },
  { kind: "pulumi-credentials", label: "Pulumi access token (.pulumi/credentials.json)", tools: ["pulumi"], in: [".pulumi"], names: ["credentials.json"], examples: ["/root/.pulumi/credentials.json"] },
  { kind: "doctl-config", label: "DigitalOcean CLI token (doctl/config.yaml)", tools: ["doctl"], in: ["doctl"], under: [".config"], names: ["config.yaml"], examples: ["/root/.config/doctl/config.yaml"] },

  // --- exact names ----------------------------------------------------------------------------
  // The leading dot is optional: `COPY npmrc /root/.npmrc` is the same file under its final name.
  { kind: "npmrc", label: "npm registry credentials (.npmrc)", tools: NPM_TOOLS, pattern: /^[._]?npmrc(?:[._-][\w.-]+)?$/, examples: [".npmrc", "./.npmrc", '"./.npmrc"', "/root/.npmrc", "npmrc", ".npmrc-deploy", ".npmrc.ci", "*.npmrc"], public: [".npmrc.example", ".npmrc.j2"] },
  { kind: "yarnrc", label: "yarn registry credentials (.yarnrc)", tools: ["yarn"], names: [".yarnrc"], variants: true, examples: [".yarnrc"], public: [".yarnclean"] },
  { kind: "yarnrc", label: "yarn registry credentials (.yarnrc.yml)", tools: ["yarn"], names: [".yarnrc.yml", ".yarnrc.yaml"], variants: true, examples: [".yarnrc.yml"] },
  { kind: "pypirc", label: "PyPI upload credentials (.pypirc)", tools: ["twine", "poetry"], names: ["pypirc", ".pypirc", "_pypirc"], variants: true, examples: [".pypirc", ".pypirc.prod"] },
  { kind: "pip-conf", label: "pip index configuration, may carry credentials (pip.conf)", tools: PIP_TOOLS, names: ["pip.conf", "pip.ini"], variants: true, examples: ["pip.conf", "/root/.pip/pip.conf", "pip.ini", "pip.conf.docker"] },
  { kind: "netrc", label: "machine login credentials (.netrc)", tools: ["git", "curl", "wget", "pip", "go", "poetry"], names: ["netrc", ".netrc", "_netrc"], variants: true, examples: [".netrc", "_netrc", ".netrc.ci"] },
  { kind: "git-credentials", label: "git stored credentials (.git-credentials)", tools: ["git"], names: ["git-credentials", ".git-credentials", "_git-credentials"], variants: true, examples: [".git-credentials"], public: [".gitconfig"] },
  { kind: "boto", label: "boto / gsutil credentials (.boto)", tools: ["gsutil"], names: ["boto", ".boto", "_boto", "boto.cfg", ".boto.cfg", "boto.config"], examples: [".boto", "boto", "boto.config"] },
  { kind: "pgpass", label: "PostgreSQL password file (.pgpass)", tools: PG_TOOLS, names: ["pgpass", ".pgpass", "_pgpass"], variants: true, examples: [".pgpass"] },
  { kind: "s3cfg", label: "s3cmd credentials (.s3cfg)", tools: ["s3cmd"], names: ["s3cfg", ".s3cfg", "_s3cfg"], variants: true, examples: [".s3cfg"] },
  { kind: "htpasswd", label: "HTTP basic-auth password file (.htpasswd)", pattern: /^[._]?htpasswd$|\.htpasswd$/, examples: [".htpasswd", "htpasswd", "nginx.htpasswd"] },
  { kind: "mysql-config", label: "MySQL client password file (.my.cnf)", tools: MYSQL_TOOLS, names: [".my.cnf", ".mylogin.cnf"], examples: [".my.cnf"] },
  { kind: "docker-config", label: "registry credentials (.docker/config.json)", tools: DOCKER_TOOLS, pattern: /^\.dockercfg$|^docker[-_.]?config\.json$/, examples: ["docker-config.json", ".dockercfg"] },
  { kind: "kubeconfig", label: "Kubernetes credentials (kubeconfig)", tools: KUBE_TOOLS, pattern: /^(?:[\w.-]*[-_.])?kubeconfig(?:[-_.][\w.-]*)?$/, examples: ["kubeconfig", "kubeconfig.yaml", "admin.kubeconfig"] },
  { kind: "vault-token", label: "Vault token (.vault-token)", tools: ["vault"], names: [".vault-token"], examples: [".vault-token"] },
  { kind: "terraform-credentials", label: "Terraform registry token (.terraformrc)", tools: ["terraform", "tofu"], names: [".terraformrc", "terraform.rc", "credentials.tfrc.json"], examples: [".terraformrc", "/root/.terraform.d/credentials.tfrc.json"] },
  { kind: "databricks-config", label: "Databricks CLI token (.databrickscfg)", tools: ["databricks"], names: [".databrickscfg"], examples: ["/root/.databrickscfg"] },
  { kind: "maven-settings", label: "Maven settings, may hold server passwords (settings.xml)", tools: ["mvn", "mvnw"], names: ["settings.xml"], variants: true, examples: ["settings.xml", "/root/.m2/settings.xml", "./conf/maven/settings.xml", "settings.xml.local"], public: ["maven-settings.xml", "settings-docker.xml", "/usr/share/maven/ref/"] },
  { kind: "maven-security", label: "Maven master password (settings-security.xml)", tools: ["mvn", "mvnw"], names: ["settings-security.xml"], examples: ["settings-security.xml"] },
  { kind: "gradle-properties", label: "Gradle properties, may hold repository credentials", tools: ["gradle", "gradlew"], names: ["gradle.properties"], variants: true, examples: ["gradle.properties", "/home/u/.gradle/gradle.properties", "gradle.properties.local"], public: ["gradle.properties.example"] },
  { kind: "composer-auth", label: "Composer registry credentials (auth.json)", tools: ["composer"], names: ["auth.json"], variants: true, examples: ["auth.json", "/var/www/.composer/auth.json"], public: ["conf/dockerize/auth.json.tmpl"] },
  { kind: "jenkins-credentials", label: "Jenkins credentials store (credentials.xml)", names: ["credentials.xml"], examples: ["credentials.xml", "$JENKINS_HOME/credentials.xml"] },
  { kind: "rails-secret", label: "Rails secret token (secret_token.rb)", names: ["secret_token.rb"], examples: ["secret_token.rb", "config/initializers/secret_token.rb"] },
  { kind: "gcloud-credentials", label: "gcloud application default credentials", tools: GCP_TOOLS, names: ["application_default_credentials.json"], examples: ["application_default_credentials.json"] },
  { kind: "credentials", label: "credentials file", names: ["credentials", "credential"], examples: ["credentials", "credential"] },
  { kind: "gpg-private-key", label: "GPG private key", tools: GPG_TOOLS, pattern: /^secring\.(?:gpg|kbx|skr|asc)$/, examples: ["secring.gpg", "secring.kbx"], public: ["pubring.gpg", "pubring.kbx", "trustdb.gpg"] },

  // --- name patterns ----------------------------------------------------------------------------
  // `.env`, `.env.production`, `.env_sage`, `.env-docker`. Not `.envrc` (direnv: a shell script
  // meant to be committed), not `name.env` (meta.env in vscode-dev-containers: plain settings).
  { kind: "dotenv", label: "environment file with secrets (.env)", pattern: /^\.env(?:[._-][\w.-]+)?$/, unless: /^\.env[._-].*(?:example|sample|template|dist|defaults?|schema|tmpl)/, notAsGlob: true, examples: [".env", ".env.local", ".env.production", "conf/.env.txt", "config/.env_sage"], public: [".env.example", ".env.sample", ".env.template", ".env.dist", ".envrc", "library-scripts/meta.env", "library-scripts/*.env"] },
  { kind: "ssh-key", label: "SSH private key", tools: SSH_TOOLS, pattern: /^(?:id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk|xmss)(?:\.pem|\.key)?|[\w.-]+_(?:rsa|dsa|ecdsa|ed25519)|ssh_host_\w+_key|[\w.-]+\.ppk)$/, unless: /\.pub$/, examples: ["id_rsa", "bitbucket_rsa", "id_rsa*", "/etc/ssh/ssh_host_ed25519_key", "deploy.ppk", "id_rsa.pem"], public: ["id_rsa.pub", "known_hosts", "ssh_config", "sshd_config", "/etc/ssh/"] },
  { kind: "gcp-service-account", label: "Google Cloud service account key (JSON)", tools: GCP_TOOLS, pattern: /(?:^|[-_.])(?:service[-_]?account|firebase-adminsdk)[\w.-]*\.json$|sa-key[\w.-]*\.json$/, examples: ["service-account.json", "my-service-account-key.json", "proj-firebase-adminsdk-ab12c-0123456789.json", "gcs-sa-key.json"] },
  // `ci-sa.json`, but not a locale file such as `ar-SA.json` / `en-SA.json` (Saudi Arabia).
  { kind: "gcp-service-account", label: "Google Cloud service account key (JSON)", tools: GCP_TOOLS, pattern: /^[\w.-]+[-_]sa\.json$/, unless: /^(?:ar|en)[-_]sa\.json$/, examples: ["deploy-sa.json", "ci-sa.json"], public: ["ar-sa.json"] },
  { kind: "credentials-json", label: "credentials file (JSON)", pattern: /credentials?[\w.-]*\.json$|^client_secrets?[\w.-]*\.json$|(?:^|[-_.])key(?:file)?\.json$/, variants: true, examples: ["credentials.json", "gcp-credentials.json", "client_secret_123.apps.googleusercontent.com.json", "key.json", "credentials.json.bak"], public: ["monkey.json"] },

  // --- extensions -------------------------------------------------------------------------------
  { kind: "private-key", label: "private key", extensions: [".pem"], when: /key|priv|secret/, unless: PUBLIC_WORD, unlessPath: PUBLIC_KEY_DIRS, notAsGlob: true, examples: ["key.pem", "privkey.pem", "server-key.pem"], public: ["public.pem", "/root/.oci/oci_api_key_public.pem"] },
  { kind: "private-key", label: "private key", extensions: [".pem"], unless: new RegExp(`${PUBLIC_WORD.source}|${CERTIFICATE.source}`), unlessPath: PUBLIC_KEY_DIRS, notAsGlob: true, examples: ["server.pem"], public: ["ca.pem", "cert.pem", "fullchain.pem", "rootCA.pem", "dhparam.pem", "*.pem"] },
  { kind: "private-key", label: "private key", extensions: [".key"], unless: SIGNING_KEY, unlessPath: SIGNING_KEY_DIRS, examples: ["tls.key", "/etc/munge/munge.key", "./Files/container.key*", "*.key"], public: ["/tmp/nodesource.gpg.key", "Release.key", "/usr/share/keyrings/docker.key"] },
  { kind: "private-key", label: "private key", extensions: [".private_key"], examples: ["server.private_key"] },
  { kind: "pkcs12", label: "PKCS#12 key bundle (.p12/.pfx)", extensions: [".p12", ".pfx", ".pkcs12"], unless: TRUST_STORE, examples: ["cert.p12", "cert.pfx"], public: ["truststore.p12", "client-truststore.pfx"] },
  { kind: "keystore", label: "Java keystore (.jks/.keystore)", extensions: [".jks", ".keystore", ".bks"], unless: TRUST_STORE, examples: ["release.jks", "app.keystore", "debug.bks"], public: ["truststore.jks", "cacerts.jks", "kafka.truststore.jks"] },
  { kind: "keychain", label: "keychain", extensions: [".keychain", ".agilekeychain"], examples: ["login.keychain", "vault.agilekeychain"] },
  { kind: "password-db", label: "password manager database", extensions: [".psafe3", ".kdbx", ".kdb"], examples: ["db.psafe3", "passwords.kdbx"] },
  { kind: "openvpn", label: "OpenVPN profile, often with keys (.ovpn)", tools: ["openvpn"], extensions: [".ovpn"], examples: ["client.ovpn"] },
  { kind: "secret-file", label: "file named as a secret", extensions: [".secret"], examples: ["prod.secret"] },
  // A secret-key export (`gpg --export-secret-keys > private.gpg`); other .gpg/.asc files are public keyrings and signatures.
  { kind: "gpg-private-key", label: "GPG private key", tools: GPG_TOOLS, extensions: [".gpg", ".asc"], when: /priv|secret|secring/, examples: ["private-key.asc", "secret-keys.gpg"], public: ["ubuntu-archive-keyring.gpg", "KEYS.asc", "release.gpg"] },

  // --- names that say "secret" with a data extension: password.txt (dockle), secrets.yml, oauth.txt
  { kind: "secret-file", label: "file named as a secret", pattern: /^(?:[\w.-]*[-_.])?(?:passwords?|secrets?|tokens?|api[-_]?keys?|oauth|auth[-_]?tokens?|access[-_]?tokens?|creds)(?:\.(?:txt|json|ya?ml|ini|conf|cfg|properties|toml|env|secret))?$/, slashIsFolder: true, fallback: true, examples: ["password.txt", "oauth.txt", "secrets.yml", "api_key.txt", "github-token", "secrets.env", "secrets/"], public: ["/etc/passwd", "passwd.lst"] },
];
