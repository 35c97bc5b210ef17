import type { Language } from './language.js';

/**
 * Where a word on a line is a command that runs, rather than a word in a message, a path or a
 * variable name: `mysqldump -u x` runs mysqldump; `echo "mysql backup"`, `/etc/mysql/mariadb.cnf`
 * and Python's `exp = 2` do not. Pure; every scan here is bounded per line.
 */

/** Physical lines joined where a shell or Python line ends with `\`; each logical line keeps its first line number. */
export function logicalLines(lines: string[], lang: Language): { text: string[]; lineNo: number[] } {
  const text: string[] = [];
  const lineNo: number[] = [];
  const joins = lang === 'shell' || lang === 'python' || lang === 'ruby' || lang === 'config';
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const first = i + 1;
    if (joins) {
      // A joined line is capped like any other: a file of backslashes stays linear.
      while (/\\$/.test(line) && !/\\\\$/.test(line) && i + 1 < lines.length && line.length < 8000) {
        line = `${line.slice(0, -1)} ${lines[++i]!.trimStart()}`;
      }
    }
    text.push(line);
    lineNo.push(first);
  }
  return { text, lineNo };
}

// Messages: echo/printf/logger arguments and mail subjects name tools without running them.
const MESSAGE = /\b(echo|printf|logger|print|puts|warn|die|say|log(?:_\w{1,20})?|notify|Write-Host|(?:logger|logging|log|console|LOG|LOGGER)\.\w{1,12})((?:\s+-[a-zA-Z]{1,3})*)(\s+|\s*\(\s*)("(?:[^"\\]|\\.){0,2000}"|'[^']{0,2000}'|f"(?:[^"\\]|\\.){0,2000}"|[^|;&>\n(]{1,2000})/g;
const SUBJECT = /(\s-s\s+)("(?:[^"\\]|\\.){0,500}"|'[^']{0,500}')/g;

/** The line with what messages say blanked out (same length, so positions still hold). */
export function commandView(line: string): string {
  const blank = (s: string) => s.replace(/[^\s"']/g, ' ');
  return line.replace(MESSAGE, (_m, cmd: string, opts: string, gap: string, arg: string) => `${cmd}${opts}${gap}${blank(arg)}`).replace(SUBJECT, (_m, a: string, s: string) => `${a}${blank(s)}`);
}

const WRAPPERS = new Set(['sudo', 'nice', 'ionice', 'timeout', 'nohup', 'time', 'env', 'exec', 'xargs', 'command', 'stdbuf', 'flock', 'then', 'do', 'else', 'if', 'while', 'until', '!', 'docker', 'podman', 'kubectl', 'oc', 'ssh', 'su', 'runuser', 'chroot', 'sh', 'bash', 'ksh', 'zsh', 'eval', 'watch', 'chronic', 'cronic', 'setsid', 'caffeinate', 'gosu', 'su-exec', 'unbuffer', '{']);

/** Does this line hand a command string to a shell (Python, Perl, Ruby, PHP, Node)? */
export const SHELL_CALL = /\b(?:os\.system|os\.popen|subprocess\.\w+|check_output|check_call|Popen|system|exec|execSync|execFile\w*|spawn\w*|shell_exec|passthru|popen|proc_open|sh|Open3\.\w+|IO\.popen|qx|run)\s*[([]|`|\bqx[({/]|%x[({]|\bsh\s+["']|\bsystem\s+["']/;

/**
 * Is the word starting at `start` (its end at `end`) in `view` a command in a position where it runs?
 * In shell: at the start of a statement, after a wrapper (sudo, docker exec, ssh, nice...), or first
 * in a string handed to a shell. In other languages: first in a string that the line hands to a shell.
 */
export function runsAt(view: string, start: number, lang: Language, shellCall: boolean): boolean {
  // The whole token: a path to the command is fine (/usr/bin/psql), a word inside a path or name is not.
  let t = start;
  while (t > 0 && start - t < 300 && !/[\s;|&(`'"[{]/.test(view[t - 1]!)) t--;
  const prefix = view.slice(t, start);
  if (prefix && !/^(?:[\w.~${}-]*\/)+$/.test(prefix)) return false;
  const before = view.slice(Math.max(0, t - 300), t);
  const shellish = lang === 'shell' || lang === 'config';
  const quoted = /["'`[]\s*$/.test(before);
  if (!shellish) {
    // Inside a string this line hands to a shell: judged like a shell statement from the string's start.
    if (!shellCall) return false;
    const q = Math.max(before.lastIndexOf('"'), before.lastIndexOf("'"), before.lastIndexOf('`'), before.lastIndexOf('['));
    if (q < 0) return false;
    const inString = before.slice(q + 1);
    const cut = Math.max(inString.lastIndexOf(';'), inString.lastIndexOf('|'), inString.lastIndexOf('&'), inString.lastIndexOf('('));
    return wrapped(inString.slice(cut + 1).trim().split(/\s+/).filter(Boolean));
  }
  // The statement this word is in: what follows the last separator.
  let sep = before.length - 1;
  // The last separator; the brace of ${VAR} is not one.
  while (sep >= 0 && !(/[;|&(`]/.test(before[sep]!) || (before[sep] === '{' && before[sep - 1] !== '$'))) sep--;
  let stmt = before.slice(sep + 1).trim();
  if (quoted) {
    // First in a quoted string: runs when the string goes to a shell (sh -c "...", su -c '...', ssh host "...").
    stmt = stmt.replace(/["'[]$/, '').trim();
    if (stmt === '') return true;
    const words = stmt.split(/\s+/).filter((w) => !/^\w+=/.test(w));
    return words.length > 0 && (WRAPPERS.has(words[0]!.split('/').pop()!) || words[0] === 'RUN' || words[0] === 'CMD');
  }
  return wrapped(stmt.split(/\s+/).filter(Boolean));
}

// Wrappers that take positional arguments before the command they run.
const POSITIONALS: Record<string, number> = { timeout: 1, ssh: 1, su: 1, runuser: 1, chroot: 1, flock: 1, docker: 2, podman: 2, kubectl: 2, oc: 2, watch: 0 };
const VALUED = /^-(?:u|g|n|s|k|i|p|l|o|e|w|c|C|F|E|P|L|I|d|-user|-group|-signal|-kill-after|-workdir|-env|-namespace|-container)$/;

/** Do these words, before a command, only wrap it (sudo -u x, docker exec -i c, ssh host, nice -n 19, VAR=1)? */
function wrapped(words: string[]): boolean {
  let k = 0;
  while (k < words.length) {
    const w = words[k]!.split('/').pop()!;
    if (/^\w+=/.test(words[k]!)) {
      k++;
      continue;
    }
    if (!WRAPPERS.has(w) && w !== 'RUN' && w !== 'CMD' && w !== 'ENTRYPOINT') return false;
    k++;
    let need = POSITIONALS[w] ?? 0;
    if ((w === 'docker' || w === 'podman' || w === 'kubectl' || w === 'oc') && /^(?:compose|container)$/.test(words[k] ?? '')) k++;
    while (k < words.length) {
      const t = words[k]!;
      if (t === '--') {
        k++;
        break;
      }
      if (t.startsWith('-')) {
        k++;
        if (VALUED.test(t) && k < words.length && !words[k]!.startsWith('-') && !(w === 'su' && t === '-')) k++;
        continue;
      }
      if (need > 0) {
        need--;
        k++;
        continue;
      }
      break;
    }
  }
  return true;
}
