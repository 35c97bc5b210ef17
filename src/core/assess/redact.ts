/**
 * Secrets never leave the scanner: every text a fact quotes goes through `redact`, and the whole
 * inventory goes through `redactDeep` once more before anything prints or writes it. It errs on the
 * side of hiding: a value that only looks like a password is hidden too. Every pattern here is
 * bounded, so a pass is linear in the text.
 */

export const REDACTED = 'REDACTED';

export const isReference = (v: string) =>
  /^[$%`]|^\{\{|^#\{|^<|^\*+$|^(?:os\.environ|os\.getenv|getenv\(|ENV\[|process\.env|System\.getenv|config\[|settings\.|secrets\.)/.test(v) || v === '' || v === REDACTED;

/** A rule runs only on text holding its needle (a cheap test), then its pattern replaces. */
type Rule = [RegExp, RegExp, (m: string, ...g: string[]) => string];

/** Replace the value (group `v`) unless it is a reference; `q` is its quote, kept. */
const hide = (m: string, a: string, q: string, v: string, rest = '') => (isReference(v) ? m : `${a}${q}${REDACTED}${q}${rest}`);

const RULES: Rule[] = [
  // Private keys and AWS access key ids, wherever they appear.
  [/BEGIN/, /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]{0,8000}?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)/g, () => REDACTED],
  [/AKIA|ASIA/, /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, () => REDACTED],
  // scheme://user:password@host
  [/:\/\//, /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@'"]{0,200}):([^\s@/'"]{1,200})@/gi, (m, a, p) => (isReference(p!) ? m : `${a}:${REDACTED}@`)],
  // A SAS signature in an Azure URL (?sv=...&sig=...)
  [/sig=/i, /([?&]sig=)([^&\s'"]{1,500})/gi, (m, a, v) => hide(m, a!, '', v!)],
  // name=value, name: value, name => value, where the name says password/secret/token (quoted values whole)
  [
    /pass|pwd|secret|token|key|credential/i,
    /(\b[\w.-]{0,40}(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|credential|private[_-]?key|access[_-]?key)[\w-]{0,40}["']?\s{0,5}(?:=|:=|:|=>)\s{0,5})(?:(["'])([^"'\n]{0,300})\2|([^\s"';,)&|]{1,300}))/gi,
    (m, a, q, quoted, bare) => (q ? hide(m, a!, q, quoted!) : hide(m, a!, '', bare!)),
  ],
  // --password secret, -password 'secret' (the value after a space)
  [/pass|pwd/i, /((?:^|\s)--?(?:password|passwd|pass|pwd|db-password|ftp-password|http-password|dbpass)\s{1,5})(["']?)([^\s"']{1,200})\2/gi, (m, a, q, v) => hide(m, a!, q!, v!)],
  // mysql/mariadb -pSECRET, -p"SECRET", -p'SECRET' (-p alone prompts)
  [
    /mysql|maria/,
    /((?:^|[\s;|&(/"'`])(?:mysql|mysqldump|mysqlimport|mysqladmin|mysqlshow|mysqlcheck|mysqlpump|mariadb|mariadb-dump|mariadb-admin|mariadb-import)\b[^\n;|]{0,300}?\s-p)(?:(["'])([^"'\n]{0,200})\2|([^\s'"]{1,200}))/g,
    (m, a, q, quoted, bare) => (q ? hide(m, a!, q, quoted!) : hide(m, a!, '', bare!)),
  ],
  // sqlcmd/osql/bcp/isql -P secret
  [/sqlcmd|osql|isql|bcp|tsql/, /((?:^|[\s;|&(/"'`])(?:sqlcmd|osql|isql|bcp|tsql)\b[^\n;|]{0,300}?\s-P\s{0,3})(["']?)([^\s"']{1,200})\2/g, (m, a, q, v) => hide(m, a!, q!, v!)],
  // sshpass -p secret; ncftpput/ncftpget -p secret
  [/sshpass/, /(\bsshpass\b(?:\s+-[a-zA-Z](?=\s))*\s+-p\s{0,3})(["']?)([^\s"']{1,200})\2/g, (m, a, q, v) => hide(m, a!, q!, v!)],
  [/ncftp/, /(\bncftp\w{0,8}\b[^\n;|]{0,300}?\s-p\s{1,3})(["']?)([^\s"']{1,200})\2/g, (m, a, q, v) => hide(m, a!, q!, v!)],
  // lftp -u user,password (also `open -u user,password`)
  [/-u|--user/, /((?:^|\s)(?:-u|--user)\s{1,5}["']?[^\s,'"]{1,100},)([^\s'"]{1,200})/g, (m, a, v) => hide(m, a!, '', v!)],
  // smbclient -U user%password, --user=DOMAIN\user%password
  [/-U|--user/, /((?:^|\s)(?:-U|--user(?:name)?)(?:=|\s{1,5})["']?[^\s%'"]{1,100}%)([^\s'"]{1,200})/g, (m, a, v) => hide(m, a!, '', v!)],
  // Oracle's user/password@db as an argument of its clients, or in a connect string
  [
    /sqlplus|sqlldr|expdp|impdp|exp|imp|rman/i,
    /((?:sqlplus|sqlldr|expdp|impdp|exp|imp|rman)\b[^\n/]{0,300}?\s(?:-[sSL]\s+)*['"]?[\w$.{}]{1,100}\/)([^\s@'"/]{1,200})(@|\s|['"]|$)/gi,
    (m, a, v, e) => (isReference(v!) ? m : `${a}${REDACTED}${e}`),
  ],
  [/conn/i, /(\bconn(?:ect)?\s+['"]?[\w$.{}]{1,100}\/)([^\s@'"/]{1,200})(@|\s|['"]|$)/gi, (m, a, v, e) => (isReference(v!) ? m : `${a}${REDACTED}${e}`)],
  [/\.connect\(/, /(\.connect\(\s*['"][\w.$]{1,100}\/)([^@'"]{1,200})(@)/g, (_m, a, _v, e) => `${a}${REDACTED}${e}`],
  // Positional passwords: cx_Oracle.connect("user", "password", ...), DBI->connect(dsn, user, 'password'),
  // new PDO(dsn, user, 'password'), mysqli_connect(host, user, 'password'), pymysql.connect(host, user, 'password'), oci_connect(user, 'password')
  [/cx_Oracle|oracledb/, /((?:cx_Oracle|oracledb)\.connect\(\s*(?:user\s*=\s*)?['"][^'"]{0,200}['"]\s*,\s*(?:password\s*=\s*)?)(['"])([^'"]{0,200})\2/g, (_m, a, q) => `${a}${q}${REDACTED}${q}`],
  [/DBI->/, /(DBI->connect(?:_cached)?\(\s*[^,()]{1,300},\s*[^,()]{1,200},\s*)(["'])([^"'\n]{0,200})\2/g, (m, a, q, v) => hide(m, a!, q!, v!)],
  [/PDO/, /((?:new\s+PDO|\bPDO)\s*\(\s*[^,()]{1,300},\s*[^,()]{1,200},\s*)(["'])([^"'\n]{0,200})\2/g, (m, a, q, v) => hide(m, a!, q!, v!)],
  [/mysql|connect/, /((?:mysqli_connect|mysqli_real_connect|new\s+mysqli|mysql_connect|mysql_pconnect|(?:pymysql|MySQLdb|mysql\.connector|pymssql|_mssql|mariadb)\.connect)\s*\(\s*[^,()]{1,200},\s*[^,()]{1,200},\s*)(["'])([^"'\n]{0,200})\2/g, (m, a, q, v) => hide(m, a!, q!, v!)],
  [/oci_/, /((?:oci_connect|oci_pconnect|oci_new_connect)\s*\(\s*[^,()]{1,200},\s*)(["'])([^"'\n]{0,200})\2/g, (m, a, q, v) => hide(m, a!, q!, v!)],
  // SQL: CREATE/ALTER USER ... IDENTIFIED BY secret
  [/identified/i, /(\bidentified\s+by\s+)(["']?)([^\s"';]{1,200})\2/gi, (m, a, q, v) => hide(m, a!, q!, v!)],
  // Authorization headers and basic auth on the command line
  [/authorization/i, /(authorization:\s{0,5}(?:basic|bearer|token)\s+)([^\s'"]{1,2000})/gi, (m, a, v) => hide(m, a!, '', v!)],
  [/-u|--user/, /((?:^|\s)(?:-u|--user)\s{1,5}['"]?[^\s:'"]{1,100}:)([^\s'"@]{1,200})/g, (m, a, v) => hide(m, a!, '', v!)],
];

// A string no rule can change has none of these: every rule's pattern needs one of them.
const MAYBE = /:\/\/|sig=|pass|pwd|secret|token|api.?key|credential|private.?key|access.?key|(?:^|\s)-[pPuU]|--user|-U|sqlplus|sqlldr|expdp|impdp|\bexp\b|\bimp\b|rman|conn|PDO|mysql|maria|oci_|identified|authorization|AKIA|ASIA|BEGIN|sshpass|ncftp/i;
const DELIMITER = /[\s'"=:;,@/()<>|&`]/;
const WORD = /[^\s'"=:;,@/()<>|&`]+/g;

/** The text with every secret it holds replaced by REDACTED; `known` are secrets seen elsewhere. */
export function redact(text: string, known: readonly string[] = []): string {
  let out = text;
  // Most strings (file names, kinds, words) hold nothing any rule looks for: one test, then done.
  if (MAYBE.test(text)) for (const [needle, re, fn] of RULES) if (needle.test(out)) out = out.replace(re, fn as (m: string, ...a: string[]) => string);
  const secrets = known.filter((s) => s.length >= 4);
  if (secrets.length <= 20) for (const s of secrets) out = out.split(s).join(REDACTED);
  else {
    // Many known secrets (one per scheduled command): whole words looked up in a set, one pass over the text.
    const words = new Set(secrets.filter((s) => !DELIMITER.test(s)));
    out = out.replace(WORD, (w) => (words.has(w) ? REDACTED : w));
    for (const s of secrets) if (DELIMITER.test(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

/** A value kept under a name that says it is secret is hidden whole. */
export function redactValue(name: string, value: string): string {
  return /pass|pwd|secret|token|api_?key|credential/i.test(name) && !isReference(value.trim()) ? REDACTED : redact(value);
}

/** Every string in a value (objects, arrays), redacted: the one pass every output goes through. */
export function redactDeep<T>(value: T, known: readonly string[] = []): T {
  if (typeof value === 'string') return redact(value, known) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, known)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, known);
    return out as T;
  }
  return value;
}
