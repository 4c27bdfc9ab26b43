/**
 * Whether output is coloured, as users of other command-line tools expect: `--color` and
 * `--no-color` decide; else FORCE_COLOR (set and not `0`/`false`: on, also into a pipe, as in
 * a CI log; `0`/`false`: off, also on a terminal); else NO_COLOR (set and not empty: off); else
 * on only for a terminal.
 */
export function wantsColor(flag: boolean | undefined, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true;
}
