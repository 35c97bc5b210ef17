import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { yamlProblem } from '../yaml-message.js';
import { validCron } from './cron.js';
import { describeCron } from './cron-words.js';
import type { Language } from './language.js';
import { redact } from './redact.js';
import type { Access, AccessKind, DbKind, Schedule } from './types.js';

/**
 * Rules as data: patterns a team adds for its own tools (a loader wrapper, a mainframe transfer
 * tool, a site-specific database client) in a YAML file, without a release of this tool. The
 * schema is documented in docs/assess.md ("Rules as data"). Pure: text in, rules or an
 * InputError naming the rule and the field out; rules and a file's text in, facts out.
 */

export type RuleKind = AccessKind | 'source' | 'sink' | 'schedule';
export type MatchMode = 'word' | 'literal' | 'regex';

export interface RuleSpec {
  id: string;
  kind: RuleKind;
  pattern: string;
  match?: MatchMode;
  ignore_case?: boolean;
  direction?: 'read' | 'write';
  label?: string;
  database?: DbKind;
  languages?: Language[];
}

export interface Rule extends Required<Pick<RuleSpec, 'id' | 'kind' | 'pattern' | 'match'>> {
  label: string;
  direction?: 'read' | 'write';
  database?: DbKind;
  languages?: Set<Language>;
  /** Where the rule came from: a file's display name, or "built-in". */
  origin: string;
  re: RegExp;
  /** Lower-cased text every match contains: most lines are skipped by one `includes`. */
  needle?: string;
}

/** A fact a rule found: the access or schedule, with the rule's id. */
export type RuleAccess = Access & { rule: string };
export type RuleSchedule = Schedule & { rule: string };

export const RULE_KINDS: RuleKind[] = ['database', 'transfer', 'http', 'queue', 'file', 'mail', 'source', 'sink', 'schedule'];
const MATCHES: MatchMode[] = ['word', 'literal', 'regex'];
const DB_KINDS: DbKind[] = ['postgresql', 'mysql', 'oracle', 'sqlserver', 'sqlite'];
const LANGUAGES: Language[] = ['shell', 'python', 'perl', 'sql', 'crontab', 'system-crontab', 'systemd', 'jenkins', 'report', 'config'];
const FIELDS = new Set(['id', 'kind', 'pattern', 'match', 'ignore_case', 'direction', 'label', 'database', 'languages']);

export const LIMITS = { rules: 500, patternLength: 200, labelLength: 80, repeat: 100, unbounded: 6, broad: 1, line: 2000, fileBytes: 256 * 1024 };

/**
 * Why a regular expression could take more than linear time, or undefined when it cannot. The
 * shapes that backtrack badly are refused: a quantified group that holds a quantifier or an
 * alternation (`(a+)+`, `(a|a)*`), back-references and look-arounds, repetition counts over 100,
 * more than one unbounded repeat of a wide atom (`.*a.*b`), and more than six unbounded quantifiers.
 */
export function regexProblem(src: string): string | undefined {
  if (src.length > LIMITS.patternLength) return `is ${src.length} characters; at most ${LIMITS.patternLength}`;
  const frames: { quant: boolean; alt: boolean }[] = [{ quant: false, alt: false }];
  let unbounded = 0;
  let broad = 0;
  let i = 0;
  // Reads a quantifier at position j: its length, whether it repeats, whether it is unbounded.
  const quantAt = (j: number): { len: number; repeats: boolean; unbounded: boolean; error?: string } | undefined => {
    const c = src[j];
    let q: { len: number; repeats: boolean; unbounded: boolean; error?: string } | undefined;
    if (c === '*' || c === '+') q = { len: 1, repeats: true, unbounded: true };
    else if (c === '?') q = { len: 1, repeats: false, unbounded: false };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(j));
      if (!m) return undefined;
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
      if (lo > LIMITS.repeat || (hi !== Infinity && hi > LIMITS.repeat)) return { len: m[0].length, repeats: true, unbounded: false, error: `repeats ${m[0]}: counts above ${LIMITS.repeat} are refused` };
      q = { len: m[0].length, repeats: hi > 1, unbounded: hi === Infinity };
    }
    if (q && src[j + q.len] === '?') q.len++; // lazy
    return q;
  };
  while (i < src.length) {
    const c = src[i]!;
    const top = frames[frames.length - 1]!;
    if (c === '(') {
      if (/^\(\?<?[=!]/.test(src.slice(i))) return 'has a look-ahead or look-behind; rules take plain patterns';
      frames.push({ quant: false, alt: false });
      if (src.startsWith('(?:', i)) i += 3;
      else if (src.startsWith('(?<', i)) {
        const close = src.indexOf('>', i);
        if (close < 0) return 'has a (?< without its >';
        i = close + 1;
      } else i++;
      continue;
    }
    if (c === '|') {
      top.alt = true;
      i++;
      continue;
    }
    if (c === ')') {
      if (frames.length === 1) return 'has a ) without its (';
      const group = frames.pop()!;
      i++;
      const q = quantAt(i);
      if (q?.error) return q.error;
      if (q) {
        if (q.repeats && group.quant) return 'repeats a group that holds a quantifier (nested quantifiers take exponential time)';
        if (q.repeats && group.alt) return 'repeats a group that holds an alternation (|); write the alternatives as separate rules';
        if (q.unbounded) unbounded++;
        i += q.len;
      }
      frames[frames.length - 1]!.quant ||= group.quant || !!q;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && quantAt(i))) return `has a quantifier "${c}" with nothing before it, or two in a row`;
    // An atom: an escape, a class or a character, then perhaps its quantifier.
    const wide = c === '.' || (c === '\\' && /[SWD]/.test(src[i + 1] ?? ''));
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return 'ends with a lone backslash';
      if (/[1-9]/.test(n) || n === 'k') return 'has a back-reference, which can take exponential time';
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return 'has a [ without its ]';
      i = j + 1;
    } else i++;
    const q = quantAt(i);
    if (q) {
      if (q.error) return q.error;
      top.quant = true;
      if (q.unbounded) unbounded++;
      if (q.unbounded && wide) broad++;
      i += q.len;
    }
  }
  if (frames.length > 1) return 'has a ( without its )';
  if (broad > LIMITS.broad) return `has ${broad} unbounded repeats of a wide atom (.* \\S+); at most ${LIMITS.broad}`;
  if (unbounded > LIMITS.unbounded) return `has ${unbounded} unbounded quantifiers (* + {n,}); at most ${LIMITS.unbounded}`;
  return undefined;
}

/** The longest run of plain characters every match of a regex must contain (none when it has a top-level |). */
export function requiredLiteral(src: string): string | undefined {
  let depth = 0;
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      end();
      i++;
    } else if (c === '[') {
      end();
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
    } else if (c === '(') {
      end();
      depth++;
    } else if (c === ')') {
      end();
      depth--;
    } else if (c === '|') {
      if (depth === 0) return undefined;
      end();
    } else if (/[*+?{]/.test(c)) {
      // The character before a quantifier may be absent from a match.
      run = run.slice(0, -1);
      end();
      if (c === '{') while (i < src.length && src[i] !== '}') i++;
    } else if (depth === 0 && /[\w -]/.test(c)) run += c;
    else end();
  }
  end();
  return best.length >= 2 ? best : undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

let linear: boolean | undefined;
/** V8's linear-time engine (the `l` flag), when the process enabled it; user patterns run on it. */
function linearFlag(): string {
  if (linear === undefined) {
    try {
      new RegExp('a', 'l');
      linear = true;
    } catch {
      linear = false;
    }
  }
  return linear ? 'l' : '';
}

function fail(origin: string, where: string, message: string): never {
  throw new InputError(`${origin}: ${where}: ${message}`, origin);
}

/** Reads a rules file (YAML). Every problem is an InputError naming the file, the rule (index and id) and the field. */
export function parseRules(text: string, origin: string): Rule[] {
  if (text.length > LIMITS.fileBytes) fail(origin, 'file', `is ${text.length} bytes; a rules file holds at most ${LIMITS.fileBytes}`);
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0 });
  } catch (e) {
    fail(origin, 'YAML', yamlProblem(e as Error));
  }
  return checkRules(doc, origin);
}

/** Checks a rules document already read (YAML, or the built-in rules written as data in code). */
export function checkRules(doc: unknown, origin: string): Rule[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) fail(origin, 'file', 'must be a mapping with a `rules:` list (see docs/assess.md, "Rules as data")');
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) if (k !== 'rules' && k !== 'version') fail(origin, `field "${k}"`, 'is not a field of a rules file (version, rules)');
  if (top.version !== undefined && top.version !== 1) fail(origin, 'field "version"', `is ${JSON.stringify(top.version)}; this tool reads version 1`);
  if (!Array.isArray(top.rules)) fail(origin, 'field "rules"', 'must be a list of rules');
  const list = top.rules as unknown[];
  if (list.length > LIMITS.rules) fail(origin, 'field "rules"', `has ${list.length} rules; at most ${LIMITS.rules}`);
  const seen = new Set<string>();
  return list.map((raw, index) => {
    const idText = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? ` (id "${String((raw as { id: string }).id).slice(0, 64)}")` : '';
    const where = (field: string) => `rule ${index + 1}${idText}, field "${field}"`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(origin, `rule ${index + 1}`, 'must be a mapping (id, kind, pattern, ...)');
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!FIELDS.has(k)) fail(origin, where(k), `is not a rule field (${[...FIELDS].join(', ')})`);
    const str = (k: string, required: boolean): string | undefined => {
      const v = r[k];
      if (v === undefined || v === null) {
        if (required) fail(origin, where(k), 'is missing');
        return undefined;
      }
      if (typeof v !== 'string' || v === '') fail(origin, where(k), 'must be a non-empty string');
      return v;
    };
    const oneOf = <T extends string>(k: string, allowed: readonly T[]): T | undefined => {
      const v = str(k, false);
      if (v !== undefined && !allowed.includes(v as T)) fail(origin, where(k), `is "${v.slice(0, 40)}"; one of ${allowed.join(', ')}`);
      return v as T | undefined;
    };
    const id = str('id', true)!;
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(id)) fail(origin, where('id'), 'must be 1-63 of a-z, 0-9, ".", "_", "-", starting with a letter or digit');
    if (seen.has(id)) fail(origin, where('id'), `"${id}" is used by an earlier rule; ids are unique`);
    seen.add(id);
    const kind = oneOf('kind', RULE_KINDS);
    if (!kind) fail(origin, where('kind'), `is missing; one of ${RULE_KINDS.join(', ')}`);
    const pattern = str('pattern', true)!;
    const match = oneOf('match', MATCHES) ?? 'word';
    if (r.ignore_case !== undefined && typeof r.ignore_case !== 'boolean') fail(origin, where('ignore_case'), 'must be true or false');
    const direction = oneOf('direction', ['read', 'write'] as const);
    const database = oneOf('database', DB_KINDS);
    if (database && kind !== 'database') fail(origin, where('database'), 'is only for kind: database');
    const label = str('label', false);
    if (label && label.length > LIMITS.labelLength) fail(origin, where('label'), `is ${label.length} characters; at most ${LIMITS.labelLength}`);
    if (label && /[\x00-\x1f\x7f]/.test(label)) fail(origin, where('label'), 'holds a control character');
    let languages: Set<Language> | undefined;
    if (r.languages !== undefined) {
      if (!Array.isArray(r.languages) || !r.languages.length) fail(origin, where('languages'), `must be a list of: ${LANGUAGES.join(', ')}`);
      for (const l of r.languages) if (!LANGUAGES.includes(l as Language)) fail(origin, where('languages'), `has "${String(l).slice(0, 40)}"; each one of ${LANGUAGES.join(', ')}`);
      languages = new Set(r.languages as Language[]);
    }
    const re = compile(pattern, match, r.ignore_case === true, kind, (m) => fail(origin, where('pattern'), m));
    return {
      id,
      kind,
      pattern,
      match,
      label: label ?? id,
      ...(direction ? { direction } : kind === 'source' ? { direction: 'read' as const } : kind === 'sink' ? { direction: 'write' as const } : {}),
      ...(database ? { database } : {}),
      ...(languages ? { languages } : {}),
      origin,
      re,
      ...((match !== 'regex' ? pattern : requiredLiteral(pattern)) ? { needle: (match !== 'regex' ? pattern : requiredLiteral(pattern)!).toLowerCase() } : {}),
    };
  });
}

function compile(pattern: string, match: MatchMode, ignoreCase: boolean, kind: RuleKind, bad: (m: string) => never): RegExp {
  if (pattern.length > LIMITS.patternLength) bad(`is ${pattern.length} characters; at most ${LIMITS.patternLength}`);
  if (/[\r\n]/.test(pattern)) bad('holds a line break; rules match one line at a time');
  let src: string;
  if (match === 'regex') {
    const problem = regexProblem(pattern);
    if (problem) bad(`the regex ${problem}`);
    src = pattern;
  } else {
    const lit = escapeRe(pattern);
    // A word: not part of a longer name (`acmeload` is not found in `acmeloader` or `my_acmeload`).
    src = match === 'word' ? `(?<![\\w.-])${lit}(?![\\w-])` : lit;
  }
  if (kind === 'schedule' && (match !== 'regex' || !/\(\?<cron>/.test(pattern))) bad('a schedule rule is a regex with a named group (?<cron>...) holding the five cron fields or a macro, and optionally (?<command>...)');
  const flags = ignoreCase ? 'i' : '';
  try {
    // The word form's look-behind is ours and linear; user regexes run on the linear engine when there
    // is one and it takes the pattern (it has no case-insensitive mode: those rest on regexProblem).
    return new RegExp(src, match === 'regex' ? flags + linearFlag() : flags);
  } catch (e) {
    try {
      return new RegExp(src, flags);
    } catch {
      bad(`is not a valid regular expression (${(e as Error).message.slice(0, 120)})`);
    }
  }
}

const needleCache = new WeakMap<readonly Rule[], RegExp | null>();
/** Every rule's literal in one case-insensitive search (null when there is none). */
function needlesOf(rules: readonly Rule[]): RegExp | null {
  let re = needleCache.get(rules);
  if (re === undefined) {
    const needles = [...new Set(rules.map((r) => r.needle).filter((n): n is string => !!n))];
    re = needles.length ? new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i') : null;
    needleCache.set(rules, re);
  }
  return re;
}

const SCRIPTISH = new Set<Language>(['shell', 'python', 'perl', 'sql', 'crontab', 'system-crontab', 'jenkins', 'systemd']);
const comment = (lang: Language, line: string) => (lang === 'sql' ? /^\s*--/.test(line) : /^\s*(#|\/\/)/.test(line) && !/^\s*#!/.test(line));

/** What the rules find in one file, line by line (comments skipped; each line cut at 2,000 characters). */
export function applyRules(rules: readonly Rule[], file: string, language: Language, text: string): { accesses: RuleAccess[]; schedules: RuleSchedule[] } {
  const accesses: RuleAccess[] = [];
  const schedules: RuleSchedule[] = [];
  const mine = rules.filter((r) => (r.languages ? r.languages.has(language) : SCRIPTISH.has(language)));
  if (!mine.length) return { accesses, schedules };
  // One search of the file for every rule's literal at once: most files name none of them.
  const any = needlesOf(rules);
  const hit = !any || any.test(text);
  const lower = hit ? text.toLowerCase() : '';
  const live = mine.filter((r) => (r.needle ? hit && lower.includes(r.needle) : true));
  if (!live.length) return { accesses, schedules };
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.trim() || comment(language, raw)) continue;
    const line = raw.length > LIMITS.line ? raw.slice(0, LIMITS.line) : raw;
    let low: string | undefined;
    for (const r of live) {
      if (r.needle && !(low ??= line.toLowerCase()).includes(r.needle)) continue;
      const m = r.re.exec(line);
      if (!m) continue;
      if (r.kind === 'schedule') {
        const s = scheduleOf(r, m, file, i + 1, line);
        if (s) schedules.push(s);
        continue;
      }
      const kind: AccessKind = r.kind === 'source' || r.kind === 'sink' ? 'file' : r.kind;
      accesses.push({
        file,
        line: i + 1,
        kind,
        client: r.label,
        ...(r.direction ? { direction: r.direction } : {}),
        ...(r.database ? { database: r.database } : {}),
        ...(m.groups?.host ? { host: m.groups.host.slice(0, 200) } : {}),
        ...(m.groups?.target ? { target: m.groups.target.slice(0, 300) } : {}),
        text: redact(line.trim()).slice(0, 300),
        rule: r.id,
      });
    }
  }
  return { accesses, schedules };
}

const MACROS: Record<string, string> = { '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *' };

function scheduleOf(r: Rule, m: RegExpExecArray, file: string, line: number, text: string): RuleSchedule | undefined {
  const expression = (m.groups?.cron ?? '').trim().replace(/\s+/g, ' ');
  const cron = MACROS[expression.toLowerCase()] ?? (validCron(expression.split(' ')) ? expression : undefined);
  if (!cron) return undefined;
  const command = redact((m.groups?.command ?? text).trim()).slice(0, 500);
  return { file, line, kind: 'crontab', expression, cron, command, words: describeCron(cron), rule: r.id };
}
