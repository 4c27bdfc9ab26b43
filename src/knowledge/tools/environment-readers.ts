/**
 * Tools that store nothing the rewrite must follow but read a credential from their environment
 * on their own, without the RUN naming it (REFERENCE §9, last paragraphs): a RUN calling one of
 * the programs is a reader of the variable. Checked against each tool's documentation where a
 * `docs` comment says so; the rest come from the tools' own references and are kept as they were.
 */
import type { Tool } from "./types.js";

/** A tool that only reads variables: its programs, the variables, where that was checked. */
function reader(name: string, programs: readonly string[], environment: readonly (string | RegExp)[]): Tool {
  return { name, readers: programs, stores: [], environment };
}

const PG = ["psql", "pg_dump", "pg_dumpall", "pg_restore", "createdb", "dropdb", "pg_isready"];
const MYSQL = ["mysql", "mysqldump", "mysqladmin", "mysqlimport"];

export const ENVIRONMENT_READERS: readonly Tool[] = [
  // cli.github.com/manual/gh_help_environment: GH_TOKEN, GITHUB_TOKEN (and the enterprise pair)
  reader("github-cli", ["gh"], ["GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"]),
  reader("hub", ["hub"], ["GITHUB_TOKEN"]),
  reader("goreleaser", ["goreleaser"], ["GITHUB_TOKEN"]),
  reader("glab", ["glab"], ["GITLAB_TOKEN"]),
  reader("twine", ["twine"], ["TWINE_PASSWORD", "TWINE_USERNAME"]),
  // docs.astral.sh/uv/reference/environment: UV_INDEX_URL, UV_INDEX_<NAME>_USERNAME/_PASSWORD
  reader("uv", ["uv"], ["UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_PUBLISH_TOKEN", "UV_PUBLISH_PASSWORD", /^UV_INDEX_[A-Z0-9_]+_(?:USERNAME|PASSWORD)$/]),
  reader("codecov", ["codecov"], ["CODECOV_TOKEN"]),
  reader("sentry-cli", ["sentry-cli"], ["SENTRY_AUTH_TOKEN"]),
  // developer.hashicorp.com/vault/docs/commands: "set the VAULT_TOKEN environment variable"
  reader("vault", ["vault"], ["VAULT_TOKEN"]),
  reader("consul", ["consul"], ["CONSUL_HTTP_TOKEN"]),
  reader("nomad", ["nomad"], ["NOMAD_TOKEN"]),
  // developer.hashicorp.com/terraform/cli/config/config-file#environment-variable-credentials (≥ 1.2)
  reader("terraform", ["terraform", "tofu"], [/^TF_TOKEN_[A-Za-z0-9_]+$/, "ARM_CLIENT_SECRET"]),
  reader("azure-devops", ["az"], ["AZURE_DEVOPS_EXT_PAT"]),
  reader("go", ["go"], ["GOPROXY"]),
  reader("rubygems", ["gem"], ["GEM_HOST_API_KEY"]),
  reader("snyk", ["snyk"], ["SNYK_TOKEN"]),
  reader("sonar-scanner", ["sonar-scanner"], ["SONAR_TOKEN"]),
  reader("netlify", ["netlify"], ["NETLIFY_AUTH_TOKEN"]),
  reader("vercel", ["vercel"], ["VERCEL_TOKEN"]),
  reader("heroku", ["heroku"], ["HEROKU_API_KEY"]),
  reader("firebase", ["firebase"], ["FIREBASE_TOKEN"]),
  reader("doctl", ["doctl"], ["DIGITALOCEAN_ACCESS_TOKEN"]),
  reader("wrangler", ["wrangler"], ["CLOUDFLARE_API_TOKEN"]),
  reader("circleci", ["circleci"], ["CIRCLE_TOKEN"]),
  reader("cloud-foundry", ["cf"], ["CF_PASSWORD"]),
  reader("openstack", ["openstack"], ["OS_PASSWORD"]),
  reader("fossa", ["fossa"], ["FOSSA_API_KEY"]),
  reader("pulumi", ["pulumi"], ["PULUMI_ACCESS_TOKEN"]),
  reader("activestate", ["state"], ["ACTIVESTATE_API_KEY"]),
  reader("kaggle", ["kaggle"], ["KAGGLE_KEY"]),
  reader("postgres", PG, ["PGPASSWORD"]),
  reader("mysql", MYSQL, ["MYSQL_PWD"]),
  reader("redis-cli", ["redis-cli"], ["REDISCLI_AUTH"]),
  reader("sshpass", ["sshpass"], ["SSHPASS"]),
  reader("restic", ["restic"], ["RESTIC_PASSWORD"]),
  reader("borg", ["borg"], ["BORG_PASSPHRASE"]),
  reader("rclone", ["rclone"], ["RCLONE_CONFIG_PASS"]),
  // maven.apache.org/settings.html#quick-overview: "${env.HOME}" … environment variables in settings.xml
  {
    name: "maven",
    readers: ["mvn", "mvnw"],
    stores: [],
    expandsIn: [{ file: /^settings\.xml$/, reference: /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g }],
  },
  // docs.gradle.org/userguide/project_properties.html: ORG_GRADLE_PROJECT_<prop> sets project property <prop>
  reader("gradle", ["gradle", "gradlew"], [/^ORG_GRADLE_PROJECT_/]),
];
