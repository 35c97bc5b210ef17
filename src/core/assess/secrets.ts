import { REDACTED } from './redact.js';
import type { Access, ConfigItem, Schedule, Where } from './types.js';

/**
 * Secrets the new system must be given, by name (an environment variable, a configuration key, a
 * connection's user and database): never a value. The team provisions each one in its secret
 * store before the first run. Pure.
 */

export interface Secret extends Where {
  /** The name to provision: `DB_PASSWORD`, `password of sacar@balanceo (sqlplus)`. */
  name: string;
  kind: 'env' | 'config-key' | 'connection' | 'argument';
}

const SECRET_NAME = /pass(?:word|wd)?|pwd|secret|token|api_?key|credential/i;

function connectionName(text: string, client: string): string {
  const url = /:\/\/([^\s:/@'"]+):REDACTED@([^\s/:'"?]+)/.exec(text);
  if (url) return `password of ${url[1]}@${url[2]} (${client})`;
  const ora = /([\w$.{}-]+)\/REDACTED@([\w$.{}/:-]+)/.exec(text);
  if (ora) return `password of ${ora[1]}@${ora[2]} (${client})`;
  const user = /(?:^|\s)(?:-u\s*|--user[= ]|-U\s*)['"]?([\w.$@{}-]+)/.exec(text);
  const host = /(?:^|\s)(?:-h\s*|--host[= ]|-S\s*)['"]?([\w.$:{}-]+)/.exec(text);
  if (user) return `password of ${user[1]}${host ? `@${host[1]}` : ''} (${client})`;
  const key = /([\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|credential)[\w-]*)["']?\s*(?:=|:=|:|=>)\s*["']?REDACTED/i.exec(text);
  if (key) return `${key[1]} (${client})`;
  return `password (${client})`;
}

/** Each secret once, by name, with the first place it was seen. */
export function findSecrets(config: readonly ConfigItem[], accesses: readonly Access[], schedules: readonly Schedule[]): Secret[] {
  const out: Secret[] = [];
  const seen = new Set<string>();
  const add = (s: Secret) => {
    // The same variable is one secret wherever it is read; a password known only by its client is one per file.
    const key = s.kind === 'env' ? s.name : `${s.name}\0${s.file}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };
  for (const c of config) {
    if (c.kind === 'env' && (SECRET_NAME.test(c.name) || c.value.includes(REDACTED)) && c.name !== 'EnvironmentFile') add({ file: c.file, line: c.line, name: c.name, kind: 'env' });
    else if (c.kind === 'connection' && c.value.includes(REDACTED)) add({ file: c.file, line: c.line, name: connectionName(c.value, c.name), kind: 'connection' });
  }
  // A connection whose password comes from a variable already listed is not a second secret.
  const named = new Set(out.map((x) => `${x.file}:${x.line}`));
  for (const a of accesses) if (a.text.includes(REDACTED) && !named.has(`${a.file}:${a.line}`)) add({ file: a.file, line: a.line, name: connectionName(a.text, a.client), kind: a.kind === 'database' ? 'connection' : 'config-key' });
  for (const s of schedules) {
    // Only where the script read says which argument is its password.
    if (!s.script || !s.command.includes(REDACTED)) continue;
    const script = s.script.split('/').pop();
    add({ file: s.file, line: s.line, name: `password passed on the command line to ${script}`, kind: 'argument' });
  }
  return out;
}
