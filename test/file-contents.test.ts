/**
 * Content-aware classification of credential files (src/analyse/file-contents.ts): each row's
 * examples, then near misses per verdict, RuleTester style.
 */
import { describe, expect, it } from "vitest";
import { classifyContent } from "../src/analyse/file-contents.js";
import { CONTENT_ROWS } from "../src/knowledge/credential-contents.js";

describe("every content row reads its own examples", () => {
  it.each(CONTENT_ROWS.map((r) => [r.kinds.join(", "), r] as const))("%s", (_name, row) => {
    for (const kind of row.kinds) {
      if (row.examples.none !== undefined) expect(classifyContent(kind, row.examples.none)).toEqual({ verdict: "none" });
      if (row.examples.template !== undefined) expect(classifyContent(kind, row.examples.template).verdict).toBe("template");
      expect(classifyContent(kind, row.examples.literal)).toEqual({ verdict: "literal" });
    }
  });
});

type Case = readonly [kind: string, text: string, why: string];

const none: readonly Case[] = [
  ["pip-conf", "[global]\ntrusted-host = pypi.org\n", "only trusted-host"],
  ["pip-conf", "[global]\nindex-url = https://pypi.org/simple\nextra-index-url =\n    https://download.pytorch.org/whl/cpu\n    https://pypi.example.com/simple\n", "continuation values without userinfo"],
  ["npmrc", "registry=https://registry.npmjs.org/\n", "only registry="],
  ["npmrc", "save-exact=true\n; a comment\n# another\nengine-strict=true\n@acme:registry=https://npm.example.com/\n", "settings and a scoped registry"],
  ["npmrc", "\n\n", "empty"],
  ["maven-settings", "<settings><servers><server><id>a</id><username>ci</username><password></password></server></servers></settings>", "an empty password"],
  ["maven-settings", "<settings><servers><server><id>a</id><password>changeme</password></server></servers></settings>", "a placeholder password"],
  ["pypirc", "[pypi]\nusername = __token__\npassword = <your-token>\n", "a placeholder token"],
  ["docker-config", '{"credHelpers": {"gcr.io": "gcloud"}}', "a credential helper, no credential"],
  ["netrc", "machine a.example.com login ci\ndefault login anonymous\n", "logins only"],
  ["yarnrc", 'npmRegistries:\n  "https://npm.example.com":\n    npmAlwaysAuth: true\n', "a registry with a URL key, no token"],
];

const template: readonly (readonly [kind: string, text: string, names: string[]])[] = [
  ["npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", ["NPM_TOKEN"]],
  ["npmrc", '@acme:registry=https://npm.example.com/\n//npm.example.com/:_authToken="${ACME_TOKEN}"\nalways-auth=true\n', ["ACME_TOKEN"]],
  ["npmrc", "//npm.example.com/:_password=${NPM_PASS}\n//npm.example.com/:username=ci\n", ["NPM_PASS"]],
  ["npmrc", "registry=https://${NPM_USER}:${NPM_PASS}@npm.example.com/\n", ["NPM_PASS"]],
  ["maven-settings", "<settings><servers><server><password>${env.MVN_PASS}</password></server></servers></settings>", ["MVN_PASS"]],
  ["yarnrc", "npmAuthToken: ${NPM_AUTH_TOKEN:-}\n", ["NPM_AUTH_TOKEN"]],
];

const literal: readonly Case[] = [
  ["maven-settings", "<settings><servers><server><password>realvalue</password></server></servers></settings>", "settings.xml password"],
  ["maven-settings", "<settings><!-- <password>old-but-real</password> --></settings>", "a password in a comment is still in the file"],
  ["maven-settings", "<settings><servers><server><configuration><httpHeaders><property><name>Private-Token</name><value>realvalue</value></property></httpHeaders></configuration></server></servers></settings>", "a GitLab token header"],
  ["npmrc", "//registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n", "an npm token"],
  ["npmrc", "# //npm.example.com/:_authToken=0f3a9c2e-7d1b-4b8e\nregistry=https://registry.npmjs.org/\n", "a token in a comment"],
  ["pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n", ".pypirc password"],
  ["pip-conf", "[global]\nindex-url = https://__token__:realvalue@pypi.example.com/simple\n", "index URL with userinfo"],
  ["pip-conf", "[global]\nextra-index-url =\n    https://pypi.org/simple\n    https://ci:realvalue@pypi.example.com/simple\n", "userinfo on a continuation line"],
  ["gradle-properties", "gpr.key=realvalue\n", "a GitHub packages key"],
  ["gradle-properties", "org.gradle.jvmargs=-Xmx2g\nsigningInMemoryKey=realvalue\n", "an in-memory signing key"],
  ["gradle-properties", "NEXUS_PASS=realvalue\nsonar.login=realvalue2\n", "pass and login"],
  ["git-credentials", "https://x-access-token:realvalue@github.com\n", "a stored credential"],
  ["composer-auth", '{"http-basic": {"repo.example.com": {"username": "ci", "password": "realvalue"}}}', "http-basic password"],
  ["netrc", "machine a login ci password realvalue", "a netrc password"],
  ["docker-config", '{"HttpHeaders": {"Authorization": "Bearer realvalue"}}', "a header the docker CLI sends with every request"],
];

const unknown: readonly Case[] = [
  ["pip-conf", "[global]\nindex-url = https://${PIP_USER}:${PIP_PASS}@pypi.example.com/simple\n", "pip does not expand variables in pip.conf: filled by something else"],
  ["gradle-properties", "mavenPassword=$MAVEN_PASSWORD\n", "gradle does not expand it either"],
  ["gradle-properties", "org.gradle.jvmargs=-Xmx2g\nrepoCert=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n", "a free-form key that is neither known harmless nor a credential"],
  ["npmrc", "this is not an ini line\n", "a line not understood"],
  ["maven-settings", "<settings><password><![CDATA[realvalue]]></password></settings>", "CDATA"],
  ["maven-settings", '<settings><password type="x">realvalue</password></settings>', "attributes"],
  ["yarnrc", 'registry "https://registry.yarnpkg.com"\n', "a yarn 1 .yarnrc"],
  ["docker-config", "{not json", "not JSON"],
  ["netrc", "machine a macdef init\ncd /\n\n", "macdef"],
  ["dotenv", "A=1\n", "no content row for the kind"],
  ["npmrc", "x".repeat(300 * 1024), "larger than the cap"],
];

describe("classifyContent", () => {
  it.each(none)("%s: %j holds no credential (%s)", (kind, text) => {
    expect(classifyContent(kind, text)).toEqual({ verdict: "none" });
  });
  it.each(template)("%s: %j is a template", (kind, text, names) => {
    expect(classifyContent(kind, text)).toEqual({ verdict: "template", names });
  });
  it.each(literal)("%s: %j holds a literal credential (%s)", (kind, text) => {
    expect(classifyContent(kind, text)).toEqual({ verdict: "literal" });
  });
  it.each(unknown)("%s: %j is not understood: the name rule stands (%s)", (kind, text) => {
    expect(classifyContent(kind, text)).toEqual({ verdict: "unknown" });
  });
  it("is unknown without the text", () => {
    expect(classifyContent("npmrc", undefined)).toEqual({ verdict: "unknown" });
  });
  it("reads a partly literal value next to a reference as unknown, never as a template", () => {
    expect(classifyContent("npmrc", "//registry.npmjs.org/:_authToken=abc${X}\n")).toEqual({ verdict: "unknown" });
  });
});
