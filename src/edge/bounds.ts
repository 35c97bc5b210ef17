/**
 * How long each step that waits on another program or on the network may take before it is
 * stopped (SIGKILL) and reported. SECURITY.md lists them. Each can be set, in seconds, through
 * CREATE_MIGRATION_TIMEOUT_<NAME> (tests shorten them; a slow network may lengthen them).
 */
const DEFAULT_SECONDS = {
  /** One `git clone` or `git fetch` of a `fleet --repos` URL, or of a `--template` URL. */
  network: 300,
  /** The python3 that compiles a template's Python and parses its TOML (`template check`). */
  python: 120,
} as const;

export type Bound = keyof typeof DEFAULT_SECONDS;

export function boundMs(name: Bound, env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env[`CREATE_MIGRATION_TIMEOUT_${name.toUpperCase()}`]);
  return Math.round((Number.isFinite(given) && given > 0 ? given : DEFAULT_SECONDS[name]) * 1000);
}
