/**
 * Commands written in front of `docker build` on the same command line (`sudo docker build …`,
 * `ssh host docker build …`, `nice -n 5 docker build …`). A rewritten build reads its secret from
 * docker's environment (`--secret id=…,env=VAR`), so it is rewritten only when that environment is
 * the one the script sees and docker runs here, on these files. Every row says so from the tool's
 * own manual page; a command that is not in the table is left for a person.
 */

export interface Wrapper {
  /** The command's file name. */
  name: string;
  /** With this subcommand only (`docker exec`). */
  sub?: string;
  /** Does docker get this shell's environment? */
  env: boolean;
  /** Does docker run on this host, with this filesystem (so `src=` paths and the Dockerfile are the same)? */
  local: boolean;
  /** Options that clear the environment although `env` is true (`env -i`). */
  clears?: string[];
  /** Operands the wrapper takes before the command (`timeout 60 docker …`). */
  operands?: number;
  /** Why it is left for a person, for the rows that are. */
  why?: string;
}

export const WRAPPERS: readonly Wrapper[] = [
  // Pass the environment unchanged and exec the command here.
  { name: "time", env: true, local: true },
  { name: "nice", env: true, local: true },
  { name: "nohup", env: true, local: true },
  { name: "ionice", env: true, local: true },
  { name: "stdbuf", env: true, local: true },
  { name: "exec", env: true, local: true },
  { name: "command", env: true, local: true },
  { name: "setsid", env: true, local: true },
  { name: "timeout", env: true, local: true, operands: 1 },
  { name: "chrt", env: true, local: true, operands: 1 },
  { name: "taskset", env: true, local: true, operands: 1 },
  { name: "flock", env: true, local: true, operands: 1 },
  // xargs runs the command with its own environment (POSIX); watch through `sh -c`, environment kept.
  { name: "xargs", env: true, local: true },
  { name: "watch", env: true, local: true },
  {
    name: "env",
    env: true,
    local: true,
    clears: ["-", "-i", "--ignore-environment", "-u", "--unset", "-S", "--split-string"],
    why: "env clears or rewrites the environment docker gets",
  },
  // Another user: the environment is reset by policy (sudoers env_reset, doas keepenv, su/runuser login shells).
  { name: "sudo", env: false, local: true, why: "sudo resets the environment (env_reset), so docker would not get the secret's variable" },
  { name: "doas", env: false, local: true, why: "doas resets the environment unless keepenv is configured" },
  { name: "su", env: false, local: true, why: "su may start a login shell with a fresh environment" },
  { name: "runuser", env: false, local: true, why: "runuser may start a login shell with a fresh environment" },
  { name: "pkexec", env: false, local: true, why: "pkexec runs the command with a minimal environment" },
  { name: "setpriv", env: false, local: true, why: "setpriv can reset the environment (--reset-env) and changes the user who reads it" },
  { name: "sg", env: false, local: true, why: "sg runs the command through a new shell as another group" },
  { name: "systemd-run", env: false, local: true, why: "systemd-run starts the command as a service with the manager's environment" },
  // Elsewhere: another host, container, namespace or root, where the variable and the paths differ.
  { name: "ssh", env: false, local: false, why: "ssh runs docker on another host, where this environment (and these files) are not" },
  { name: "docker", sub: "exec", env: false, local: false, why: "docker exec runs docker in a container that does not get this environment" },
  { name: "docker", sub: "run", env: false, local: false, why: "docker run runs docker in a container that does not get this environment" },
  { name: "podman", sub: "exec", env: false, local: false, why: "podman exec runs docker in a container that does not get this environment" },
  { name: "podman", sub: "run", env: false, local: false, why: "podman run runs docker in a container that does not get this environment" },
  { name: "kubectl", sub: "exec", env: false, local: false, why: "kubectl exec runs docker in a pod that does not get this environment" },
  { name: "oc", sub: "exec", env: false, local: false, why: "oc exec runs docker in a pod that does not get this environment" },
  { name: "nsenter", env: true, local: false, why: "nsenter runs docker in other namespaces, where the files and the docker daemon may differ" },
  { name: "chroot", env: true, local: false, why: "chroot runs docker under another root, where the Dockerfile and secret paths differ" },
  { name: "unshare", env: true, local: false, why: "unshare runs docker in new namespaces, where the files and the docker daemon may differ" },
  { name: "parallel", env: false, local: false, why: "GNU parallel may run the command on other hosts (--sshlogin), which get no environment without --env" },
];

/** Shell words that open a command without being one (`if docker build …; then`). */
const KEYWORDS = new Set(["if", "then", "else", "elif", "while", "until", "do", "!", "{"]);

/**
 * Why a build run through `words` (the words in front of the build command on its command line,
 * quotes removed) cannot be rewritten to read its secret from docker's environment; null when it
 * can (nothing in front, assignments, keywords, or wrappers that pass the environment here).
 */
export function wrapperProblem(words: string[]): string | null {
  let i = 0;
  const next = (): string | undefined => {
    while (i < words.length) {
      const w = i === 0 ? words[i]!.replace(/^[@+-]+/, "") : words[i]!; // make's recipe prefixes
      i++;
      if (w !== "" && !KEYWORDS.has(w)) return w;
    }
    return undefined;
  };
  for (let w = next(); w !== undefined; w = next()) {
    if (/^[A-Za-z_]\w*=/.test(w)) continue;
    const base = w.slice(w.lastIndexOf("/") + 1);
    const rest = words.slice(i);
    const row = WRAPPERS.find((r) => r.name === base && (r.sub === undefined || rest.includes(r.sub)));
    if (!row) return `runs docker through \`${w}\`, which may not pass it the environment`;
    if (!row.env || !row.local) return row.why ?? `${row.name} does not pass docker this environment`;
    // Options and their numeric values, then the wrapper's operands: what follows is the next command.
    let operands = row.operands ?? 0;
    while (i < words.length) {
      const o = words[i]!;
      if (row.clears?.some((c) => o === c || (c.startsWith("--") ? o.startsWith(`${c}=`) : c.length === 2 && o.startsWith(c) && o.length > 2 && !o.startsWith("--"))))
        return row.why!;
      if (o.startsWith("-") || /^\d+(?:\.\d+)?[smhd]?$/.test(o) || /^0x[0-9a-f]+$/i.test(o)) i++;
      else if (row.name === "env" && /^[A-Za-z_]\w*=/.test(o)) i++;
      else if (operands > 0) {
        operands--;
        i++;
      } else break;
    }
  }
  return null;
}
