/**
 * Package managers whose login or config command stores a registry token: yarn berry, cargo,
 * poetry, pip, npm (REFERENCE §9).
 */
import { splitFlags, type Tool } from "./types.js";

/** POETRY_… and CARGO_REGISTRIES_… name parts: upper case, `-` and `.` as `_`. */
const upperName = (s: string) => s.toUpperCase().replace(/[-.]/g, "_");
const NAME = /^[A-Za-z0-9_.-]+$/;

export const yarn: Tool = {
  name: "yarn",
  readers: ["yarn"],
  environment: ["YARN_NPM_AUTH_TOKEN", "YARN_NPM_AUTH_IDENT"],
  stores: [
    {
      id: "yarn-config-set-npm-auth-token",
      match: (a) => a[0] === "yarn" && a[1] === "config" && a[2] === "set" && (a[3] === "npmAuthToken" || a[3] === "npmAuthIdent"),
      writes: "~/.yarnrc.yml",
      fileFree: (a) => {
        const split = splitFlags(a.slice(4), { "-H": "bool", "--home": "bool" });
        if (typeof split === "string") return split;
        if (split.rest.length !== 1) return "it does not set one value";
        return [{ kind: "env", name: a[3] === "npmAuthToken" ? "YARN_NPM_AUTH_TOKEN" : "YARN_NPM_AUTH_IDENT", value: split.rest[0] }];
      },
      docs: "yarnpkg.com/configuration/yarnrc: every setting can be given as YARN_<SNAKE_CASE> (npmAuthToken → YARN_NPM_AUTH_TOKEN)",
    },
  ],
};

export const cargo: Tool = {
  name: "cargo",
  readers: ["cargo"],
  environment: ["CARGO_REGISTRY_TOKEN", /^CARGO_REGISTRIES_[A-Z0-9_]+_TOKEN$/],
  stores: [
    {
      id: "cargo-login",
      match: (a) => a[0] === "cargo" && a[1] === "login",
      writes: "~/.cargo/credentials.toml",
      fileFree: (a) => {
        const split = splitFlags(a.slice(2), { "--registry": "value", "-q": "bool", "--quiet": "bool" });
        if (typeof split === "string") return split;
        if (split.rest.length !== 1) return "it reads the token from its input, not from the command line";
        const registry = split.flags.get("--registry");
        if (registry === undefined) return [{ kind: "env", name: "CARGO_REGISTRY_TOKEN", value: split.rest[0] }];
        if (typeof registry !== "string" || !NAME.test(registry)) return "the registry name is not one a variable name can hold";
        return [{ kind: "env", name: `CARGO_REGISTRIES_${upperName(registry)}_TOKEN`, value: split.rest[0] }];
      },
      docs: "doc.rust-lang.org/cargo/reference/config.html#credentials: CARGO_REGISTRY_TOKEN, CARGO_REGISTRIES_<name>_TOKEN",
    },
  ],
};

export const poetry: Tool = {
  name: "poetry",
  readers: ["poetry"],
  environment: [/^POETRY_(?:HTTP_BASIC_[A-Z0-9_]+_(?:PASSWORD|USERNAME)|PYPI_TOKEN_[A-Z0-9_]+)$/],
  stores: [
    {
      id: "poetry-config-credentials",
      match: (a) => a[0] === "poetry" && a[1] === "config" && /^(http-basic|pypi-token)\./.test(a.find((x, i) => i > 1 && !x.startsWith("-")) ?? ""),
      writes: "poetry's auth.toml (~/.config/pypoetry)",
      fileFree: (a) => {
        const split = splitFlags(a.slice(2), { "--local": "bool", "-n": "bool", "--no-interaction": "bool" });
        if (typeof split === "string") return split;
        const [key, ...values] = split.rest;
        const [section, repo] = [key.slice(0, key.indexOf(".")), key.slice(key.indexOf(".") + 1)];
        if (!NAME.test(repo)) return "the repository name is not one a variable name can hold";
        const base = upperName(repo);
        if (section === "pypi-token" && values.length === 1) return [{ kind: "env", name: `POETRY_PYPI_TOKEN_${base}`, value: values[0] }];
        if (section === "http-basic" && values.length === 2) {
          return [
            { kind: "env", name: `POETRY_HTTP_BASIC_${base}_USERNAME`, value: values[0] },
            { kind: "env", name: `POETRY_HTTP_BASIC_${base}_PASSWORD`, value: values[1] },
          ];
        }
        return "it does not give the values this key takes";
      },
      docs: "python-poetry.org/docs/repositories/#configuring-credentials: POETRY_HTTP_BASIC_<REPO>_USERNAME/_PASSWORD, POETRY_PYPI_TOKEN_<REPO>",
    },
  ],
};

const PIP_KEYS: Record<string, string> = { "global.index-url": "PIP_INDEX_URL", "global.extra-index-url": "PIP_EXTRA_INDEX_URL", "install.index-url": "PIP_INDEX_URL", "install.extra-index-url": "PIP_EXTRA_INDEX_URL" };

export const pip: Tool = {
  name: "pip",
  readers: ["pip", "pip3"],
  environment: ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_PASSWORD"],
  environmentReaders: ["pip", "pip3", "poetry", "pipenv", "uv"],
  // pip.pypa.io/en/stable/reference/requirements-file-format/#using-environment-variables: ${NAME}, NAME of A-Z 0-9 _
  expandsIn: [{ file: /^(?:.*requirements.*|constraints.*)\.(?:txt|in)$/, reference: /\$\{([A-Z0-9_]+)\}/g }],
  stores: [
    {
      id: "pip-config-set-index-url",
      match: (a) => /^pip[0-9.]*$/.test(a[0]) && a[1] === "config" && a[2] === "set",
      writes: "pip.conf (~/.config/pip/pip.conf)",
      fileFree: (a) => {
        const split = splitFlags(a.slice(3), { "--global": "bool", "--user": "bool", "--site": "bool" });
        if (typeof split === "string") return split;
        if (split.rest.length !== 2) return "it does not set one key to one value";
        const name = PIP_KEYS[split.rest[0]];
        if (!name) return `${split.rest[0]} has no variable the rewrite knows`;
        return [{ kind: "env", name, value: split.rest[1] }];
      },
      docs: "pip.pypa.io/en/stable/topics/configuration/#environment-variables: PIP_<UPPER_OPTION>",
    },
  ],
};

export const npm: Tool = {
  name: "npm",
  readers: ["npm", "npx", "pnpm", "yarn"],
  environment: ["NPM_TOKEN", "NODE_AUTH_TOKEN", "NPM_AUTH_TOKEN", /^npm_config_/i],
  // docs.npmjs.com/cli/configuring-npm/npmrc: "${VAR}" in .npmrc is replaced by the environment variable
  expandsIn: [{ file: /^\.npmrc$/, reference: /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g }],
  stores: [
    {
      id: "npm-config-set-auth",
      match: (a) => /^(npm|pnpm)$/.test(a[0]) && a[1] === "config" && a[2] === "set",
      writes: "~/.npmrc",
      manual:
        "write the .npmrc line with a reference instead (`//host/:_authToken=${NPM_TOKEN}`: npm expands ${VAR} in .npmrc) and mount the variable on the RUNs that run npm; `npm config set` itself expands such references when it rewrites the file (npm/cli#5330), so unbake does not rewrite it",
      docs: "docs.npmjs.com/cli/configuring-npm/npmrc (environment variables in .npmrc); npm/cli#5330",
    },
    {
      id: "npm-login",
      match: (a) => /^(npm|pnpm|yarn)$/.test(a[0]) && (a[1] === "login" || a[1] === "adduser"),
      writes: "~/.npmrc",
      manual: "give npm a .npmrc line `//host/:_authToken=${NPM_TOKEN}` and mount the variable on the RUNs that run npm",
      docs: "docs.npmjs.com/cli/configuring-npm/npmrc",
    },
  ],
};
