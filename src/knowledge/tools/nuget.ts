/**
 * NuGet: `dotnet nuget add source URL -n NAME -u USER -p PASS --store-password-in-clear-text`
 * registers the source and stores the password in NuGet.Config. NuGet reads the credential of a
 * source from NuGetPackageSourceCredentials_<name> = "Username=…;Password=…"
 * (learn.microsoft.com/nuget/consume-packages/consuming-packages-authenticated-feeds). The command
 * stays without its credential flags: the source is still registered.
 */
import type { Piece, Tool } from "./types.js";

const CREDENTIAL_FLAGS = new Set(["-u", "--username", "-p", "--password"]);
const NAME = /^[A-Za-z0-9_]+$/;

function flagValue(argv: readonly string[], names: string[]): string | undefined {
  for (let i = 0; i < argv.length - 1; i++) if (names.includes(argv[i])) return argv[i + 1];
  return undefined;
}

function nugetAddSource(argv: readonly string[]): Piece[] | string {
  if (argv.some((a) => a.includes("=") && a.startsWith("-"))) return "a flag written with = is not one the rewrite reads";
  const name = flagValue(argv, ["-n", "--name"]);
  const user = flagValue(argv, ["-u", "--username"]);
  const password = flagValue(argv, ["-p", "--password"]);
  if (!name || !NAME.test(name)) return "the source has no name (-n) that a variable name can hold";
  if (user === undefined || password === undefined) return "it does not give both -u and -p";
  if (argv.includes("--valid-authentication-types")) return "--valid-authentication-types has no variable form";
  return [{ kind: "env", name: `NuGetPackageSourceCredentials_${name}`, value: `Username=${user};Password=${password}` }];
}

export const nuget: Tool = {
  name: "nuget",
  readers: ["dotnet", "nuget", "msbuild"],
  environment: ["VSS_NUGET_EXTERNAL_FEED_ENDPOINTS", /^NuGetPackageSourceCredentials_/i],
  environmentReaders: ["dotnet", "nuget"],
  stores: [
    {
      id: "dotnet-nuget-add-source",
      match: (a) => a[0] === "dotnet" && a[1] === "nuget" && a[2] === "add" && a[3] === "source",
      writes: "~/.nuget/NuGet/NuGet.Config",
      fileFree: nugetAddSource,
      credentialWords: (argv) => {
        const out: number[] = [];
        argv.forEach((a, i) => {
          if (CREDENTIAL_FLAGS.has(a)) out.push(i, i + 1);
          if (a === "--store-password-in-clear-text") out.push(i);
        });
        return out;
      },
      docs: "learn.microsoft.com/nuget/consume-packages/consuming-packages-authenticated-feeds: NuGetPackageSourceCredentials_{name}",
    },
  ],
};
