/**
 * Secrets never leave the scanner: every text a fact quotes goes through `redact`. It errs on the
 * side of hiding: a value that only looks like a password is hidden too.
 */

export const REDACTED = 'REDACTED';

export const isReference = (v: string) => /^[$%`]|^\{\{|^<|^\*+$/.test(v) || v === '' || v === REDACTED;

const RULES: [RegExp, (m: string, ...g: string[]) => string][] = [
  // scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*):([^\s@/'"]+)@/gi, (m, a, p) => (isReference(p!) ? m : `${a}:${REDACTED}@`)],
  // name=value or name: value, where the name says password/secret/token (quoted or bare values)
  [
    /(\b[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|credential)[\w-]*["']?\s*(?:=|:=|:|=>)\s*)(["']?)([^\s"';,)&]*)/gi,
    (m, a, q, v) => (isReference(v!) ? m : `${a}${q}${REDACTED}`),
  ],
  // mysql -pSECRET (attached; -p alone prompts)
  [/((?:^|[\s;|&(/])(?:mysql|mysqldump|mysqlimport|mysqladmin)\b[^\n;|]*?\s-p)([^\s'"]+)/g, (m, a, v) => (isReference(v!) ? m : `${a}${REDACTED}`)],
  // Oracle's user/password@db as an argument of its clients, or in a connect string
  [
    /((?:sqlplus|sqlldr|expdp|impdp|exp|imp|rman)\b[^\n/]*?\s(?:-[sSL]\s+)*['"]?[\w$.{}]+\/)([^\s@'"/]+)(@|\s|['"]|$)/gi,
    (m, a, v, e) => (isReference(v!) ? m : `${a}${REDACTED}${e}`),
  ],
  [/(\bconn(?:ect)?\s+['"]?[\w$.{}]+\/)([^\s@'"/]+)(@|\s|['"]|$)/gi, (m, a, v, e) => (isReference(v!) ? m : `${a}${REDACTED}${e}`)],
  [/(\.connect\(\s*['"][\w.$]+\/)([^@'"]+)(@)/g, (_m, a, _v, e) => `${a}${REDACTED}${e}`],
  // cx_Oracle/oracledb.connect("user", "password", ...)
  [/((?:cx_Oracle|oracledb)\.connect\(\s*(?:user\s*=\s*)?['"][^'"]*['"]\s*,\s*(?:password\s*=\s*)?)(['"])([^'"]*)\2/g, (_m, a, q) => `${a}${q}${REDACTED}${q}`],
  // Authorization headers and basic auth on the command line
  [/(authorization:\s*(?:basic|bearer|token)\s+)([^\s'"]+)/gi, (m, a, v) => (isReference(v!) ? m : `${a}${REDACTED}`)],
  [/((?:^|\s)(?:-u|--user)\s+['"]?[^\s:'"]+:)([^\s'"@]+)/g, (m, a, v) => (isReference(v!) ? m : `${a}${REDACTED}`)],
];

/** The text with every secret it holds replaced by REDACTED; `known` are secrets seen elsewhere. */
export function redact(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const [re, fn] of RULES) out = out.replace(re, fn as (m: string, ...a: string[]) => string);
  for (const s of known) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/** A value kept under a name that says it is secret is hidden whole. */
export function redactValue(name: string, value: string): string {
  return /pass|pwd|secret|token|api_?key|credential/i.test(name) && !isReference(value.trim()) ? REDACTED : redact(value);
}
