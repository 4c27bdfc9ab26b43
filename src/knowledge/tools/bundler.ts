/**
 * Bundler: `bundle config [set] [--global|--local] <host> <user:password>` stores the credential in
 * ~/.bundle/config (or the app's .bundle/config). Bundler reads it from BUNDLE_<HOST>, the host in
 * upper case with `.` → `__` and `-` → `___` (bundle-config(1), "CREDENTIALS FOR GEM SOURCES").
 */
import { splitFlags, type Piece, type Tool } from "./types.js";

const FLAGS = { "--global": "bool", "--local": "bool" } as const;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function bundleVariable(host: string): string {
  return `BUNDLE_${host.toUpperCase().replace(/\./g, "__").replace(/-/g, "___")}`;
}

function bundleConfig(argv: readonly string[]): Piece[] | string {
  const args = argv.slice(2);
  if (args[0] === "set") args.shift();
  const split = splitFlags(args, FLAGS);
  if (typeof split === "string") return split;
  if (split.rest.length !== 2) return "it does not set one key to one value";
  const [host, value] = split.rest;
  if (!HOST.test(host)) return `${host} is not a host name Bundler maps to a variable`;
  return [{ kind: "env", name: bundleVariable(host), value }];
}

export const bundler: Tool = {
  name: "bundler",
  readers: ["bundle", "bundler"],
  environment: [/^BUNDLE_[A-Z0-9_]+__[A-Z0-9_]+$/],
  stores: [
    {
      id: "bundle-config",
      match: (a) => (a[0] === "bundle" || a[0] === "bundler") && a[1] === "config",
      writes: "~/.bundle/config",
      fileFree: bundleConfig,
      docs: "bundle-config(1): BUNDLE_GEMS__CONTRIBSYS__COM=user:password",
    },
  ],
};
