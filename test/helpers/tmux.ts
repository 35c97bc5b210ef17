import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A command in a real terminal (tmux, on a server of its own), for what only the screen shows:
 * what is left on it after a prompt ends. `screen()` is the visible pane as text.
 */
export class TmuxTerm {
  private readonly socket = `cm-test-${randomBytes(4).toString('hex')}`;

  constructor(cwd: string, argv: string[], env: NodeJS.ProcessEnv, size = { cols: 100, rows: 40 }) {
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // The shell stays after the command so its last screen and exit code can be read.
    const r = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(size.cols), '-y', String(size.rows), '-c', cwd, `${quoted}; echo "[exit $?]"; sleep 60`], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux: ${r.stderr}`);
  }

  private tmux(...args: string[]) {
    return spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux('capture-pane', '-p').stdout;
  }

  /** Waits (polling, up to 20 s) until the screen matches. */
  waitFor(pattern: RegExp): string {
    const until = Date.now() + 20_000;
    for (;;) {
      const s = this.screen();
      if (pattern.test(s)) return s;
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; screen:\n${s}`);
      spawnSync('sleep', ['0.1']);
    }
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  close(): void {
    this.tmux('kill-server');
  }
}
