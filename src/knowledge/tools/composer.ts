/**
 * composer: `composer config [-g] github-oauth.<host> T`, `gitlab-token.<host> T`,
 * `gitlab-oauth.<host> T`, `bearer.<host> T`, `http-basic.<host> U P` store the credential in
 * auth.json ($COMPOSER_HOME/auth.json with -g). Composer reads the same JSON from COMPOSER_AUTH
 * (getcomposer.org/doc/03-cli.md#composer-auth).
 */
import { splitFlags, type Piece, type Tool } from "./types.js";

const FLAGS = { "-g": "bool", "--global": "bool", "-a": "bool", "--auth": "bool", "-n": "bool", "--no-interaction": "bool", "-q": "bool", "--quiet": "bool" } as const;
const ONE_VALUE = new Set(["github-oauth", "gitlab-token", "gitlab-oauth", "bearer"]);

function composerConfig(argv: readonly string[]): Piece[] | string {
  const split = splitFlags(argv.slice(2), FLAGS);
  if (typeof split === "string") return split;
  const [key, ...values] = split.rest;
  const dot = key?.indexOf(".") ?? -1;
  if (!key || dot <= 0) return "it sets no credential key";
  const section = key.slice(0, dot);
  const host = key.slice(dot + 1);
  if (ONE_VALUE.has(section) && values.length === 1) return [{ kind: "composer", section, host, value: values[0] }];
  if (section === "http-basic" && values.length === 2) return [{ kind: "composer", section, host, value: { username: values[0], password: values[1] } }];
  return `${section} with ${values.length} value(s) is not a credential form the rewrite knows`;
}

export const composer: Tool = {
  name: "composer",
  readers: ["composer"],
  environment: ["COMPOSER_AUTH"],
  stores: [
    {
      id: "composer-config",
      match: (a) => a[0] === "composer" && a[1] === "config",
      writes: "$COMPOSER_HOME/auth.json",
      fileFree: composerConfig,
      docs: "getcomposer.org/doc/03-cli.md#composer-auth: COMPOSER_AUTH holds the auth.json content",
    },
  ],
};

/** COMPOSER_AUTH: the auth.json object of every piece, as JSON text (values keep their $ references). */
export function composerAuthJson(pieces: Extract<Piece, { kind: "composer" }>[]): string {
  const auth: Record<string, Record<string, unknown>> = {};
  for (const p of pieces) (auth[p.section] ??= {})[p.host] = p.value;
  return JSON.stringify(auth);
}
