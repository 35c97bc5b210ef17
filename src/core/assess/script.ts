import { nodeLine, phpLine, rubyLine, sqlDirection, storageAndColumnar, type ClientContext } from './clients.js';
import { commandView, logicalLines, runsAt, SHELL_CALL } from './commands.js';
import { parseEntry } from './cron.js';
import { redact, redactValue } from './redact.js';
import { isCodeDownload, storageCommand } from './storage.js';
import type { Access, Artifact, ConfigItem, DbKind, FileFacts, RuleCandidate, Schedule } from './types.js';
import type { Language } from './language.js';

/**
 * Sources, sinks, rule candidates, configuration and procedures of one script, line by line.
 * Pure: the file's name, language and text in, facts out.
 */

const CMD = (names: string) => new RegExp(String.raw`(?:^|[\s;|&(\x60'"\[/{])(${names})(?=[\s;|&)'"\]\x60]|$)`, 'g');

const CURL = CMD('curl');
const WGET = CMD('wget');
const XFER = CMD('sftp|scp|rsync|lftp|ftp|smbclient|ncftpput|ncftpget|curlftpfs');
const STORAGE = CMD('aws|gsutil|gcloud|azcopy|rclone|s3cmd|bq|az');
const DOWNLOADER = CMD('gdown|aria2c');
const CONTAINER_CP = CMD('kubectl|oc|docker|podman');
const HEROKU = CMD('heroku');
const MAIL = CMD('mailx|mail|mutt|sendmail|msmtp');
const QUEUE_CMD = CMD('kafka-console-producer|kafka-console-consumer|kcat|kafkacat|rabbitmqadmin|amqp-publish|amqp-consume');

// A line that names none of these holds no fact: most lines are skipped after this one test.
const INTERESTING = /kubectl|\boc\s|docker|podman|heroku|->(?:query|prepare|exec)\s*\(|_query\s*\(|oci_parse|cron|gsutil|gcloud|azcopy|rclone|s3cmd|aws\s|\bbq\s|\baz\s|gdown|aria2c|boto|s3fs|gcsfs|storage|blob|parquet|feather|orc\(|avro|PDO|mysqli|pg_connect|oci_|sqlsrv|curl_|CURLOPT|ftp_|ssh2_|Mysql2|OCI8|TinyTds|SQLite3|PG\.|PG::|Net::|HTTParty|RestClient|Faraday|URI|axios|fetch\(|got[.(]|https?\.|Pool\(|Client\(|createConnection|createPool|getConnection|sendMail|fastPut|fastGet|uploadFrom|downloadTo|put_object|get_object|upload|download|deliver|psql|pg_|mysql|maria|sql|expdp|impdp|\bexp\b|bcp|curl|wget|ftp|scp|rsync|smbclient|mail|mutt|msmtp|kafka|kcat|rabbit|amqp|where|case|jdbc|:\/\/|driver|dbi:|awk|sed|sort|join|export|\$\{|request|httpx|urllib|session|aiohttp|paramiko|smtp|send|pika|kombu|pymqi|stomp|sqs|callproc|environ|getenv|\$ENV|LWP|HTTP::|Net::|MIME|Email::|\.csv|\.tsv|\.xls|\.ods|spool|load\s+data|create|exec|call|<<|select|update|delete|insert|merge|psycopg|oracle|pyodbc|import|::|dual|nvl|varchar2|sysdate|@@|getdate|nvarchar|nocount|^\s*go\s*$|delimiter|engine|auto_increment|pass|pwd|open\(|to_csv|to_excel|writer|reader|^\s*(?:export\s+|local\s+)?[A-Za-z_]\w*=/i;

const SHELL_DB: [RegExp, DbKind, 'read' | 'write' | undefined][] = [
  [CMD('pg_dump|pg_dumpall'), 'postgresql', 'read'],
  [CMD('pg_restore'), 'postgresql', 'write'],
  [CMD('psql'), 'postgresql', undefined],
  [CMD('mysqldump|mariadb-dump'), 'mysql', 'read'],
  [CMD('mysqlimport'), 'mysql', 'write'],
  [CMD('mysql|mariadb|mysqladmin'), 'mysql', undefined],
  [CMD('expdp|exp'), 'oracle', 'read'],
  [CMD('sqlldr|impdp'), 'oracle', 'write'],
  [CMD('sqlplus|sqlcl'), 'oracle', undefined],
  [CMD('sqlcmd|osql|bcp'), 'sqlserver', undefined],
  [CMD('sqlite3'), 'sqlite', undefined],
];

const PY_DB: [RegExp, string, DbKind | undefined][] = [
  [/\b(psycopg2|psycopg|asyncpg|pg8000)\b/, '', 'postgresql'],
  [/\b(cx_Oracle|oracledb)\b/, '', 'oracle'],
  [/\b(pymysql|MySQLdb|mysql\.connector|mariadb)\b/, '', 'mysql'],
  [/\b(pymssql)\b/, '', 'sqlserver'],
  [/\b(sqlite3)\b/, '', 'sqlite'],
  [/\b(pyodbc|pypyodbc)\b/, '', undefined],
];

const URL_KIND: Record<string, DbKind> = { postgres: 'postgresql', postgresql: 'postgresql', pgsql: 'postgresql', mysql: 'mysql', mariadb: 'mysql', oracle: 'oracle', mssql: 'sqlserver', sqlserver: 'sqlserver', sqlite: 'sqlite' };
const JDBC_KIND: Record<string, DbKind> = { postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mysql', oracle: 'oracle', sqlserver: 'sqlserver', 'jtds:sqlserver': 'sqlserver', sqlite: 'sqlite' };
const DBI_KIND: Record<string, DbKind> = { pg: 'postgresql', pgpp: 'postgresql', mysql: 'mysql', mariadb: 'mysql', oracle: 'oracle', sqlite: 'sqlite' };

function odbcKind(driver: string): DbKind | undefined {
  if (/sql\s*server|sqlncli|msodbcsql/i.test(driver)) return 'sqlserver';
  if (/postgres/i.test(driver)) return 'postgresql';
  if (/mysql|maria/i.test(driver)) return 'mysql';
  if (/oracle/i.test(driver)) return 'oracle';
  if (/sqlite/i.test(driver)) return 'sqlite';
  return undefined;
}

// Marks of one SQL dialect that no other here shares (a file written for that database).
const DIALECTS: [RegExp, DbKind][] = [
  [/\$BODY\$|\blanguage\s+'?plpgsql\b|::(?:text|int|integer|bigint|numeric|date|timestamptz?|interval|jsonb?|regclass)\b/i, 'postgresql'],
  [/\bvarchar2\b|\bdbms_output\b|\bnvl\(|\bfrom\s+dual\b|\bsysdate\b(?!\s*\()|\bpls_integer\b/i, 'oracle'],
  [/^\s*GO\s*$|@@(?:error|identity|rowcount|trancount)\b|\bgetdate\(\)|\bnvarchar\b|\bset\s+nocount\b/i, 'sqlserver'],
  [/^\s*delimiter\s+\S|\bengine\s*=\s*innodb\b|\bauto_increment\b/i, 'mysql'],
];

const hostOf = (url: string) => /^[a-z][a-z0-9+.-]{0,30}:\/\/(?:[^@/\s]{0,200}@)?(\[[^\]]{1,100}\]|[^/:?#\s'"$]{1,200})/i.exec(url)?.[1];
const URL_RE = /\bhttps?:\/\/[^\s'"<>`)]+/i;

const NAME_CHARS = new Set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.{}/~%*-\\');

/** CSV and spreadsheet names on a line (at most 20): each extension found once, its name read backwards at most 200 characters. */
function dataFiles(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/\.(?:csv|tsv|xlsx|xls|ods)(?![\w])/gi)) {
    if (out.length >= 20) break;
    let k = m.index;
    while (k > 0 && m.index - k < 200 && NAME_CHARS.has(line[k - 1]!)) k--;
    // A Windows drive (C:/data/out.csv) belongs to the name.
    if (k >= 2 && line[k - 1] === ':' && /[A-Za-z]/.test(line[k - 2]!) && (k === 2 || !/\w/.test(line[k - 3]!)) && /[/\\]/.test(line[k] ?? '')) k -= 2;
    if (k < m.index && /[\w}*]/.test(line[m.index - 1]!)) out.push(line.slice(k, m.index + m[0].length));
  }
  return out;
}

// Every command name the patterns below look for: a line with none of them skips them all.
const ANY_COMMAND = /kubectl|oc\s+cp|docker|podman|heroku|pg_|psql|mysql|maria|exp|imp|sqlldr|sqlplus|sqlcl|sqlcmd|osql|bcp|sqlite3|curl|wget|gdown|aria2c|aws|gsutil|gcloud|azcopy|rclone|s3cmd|bq|az|ftp|scp|rsync|smbclient|mail|mutt|msmtp|kafka|kcat|rabbitmq|amqp/;

const COMMENT: Partial<Record<Language, RegExp>> = {
  sql: /^\s*--/,
  php: /^\s*(?:\/\/|#(?!!)|\*)/,
  node: /^\s*(?:\/\/|\*)/,
};
const isComment = (lang: Language, line: string) => (COMMENT[lang] ?? /^\s*#(?!!)/).test(line);
const BLOCK_COMMENTS = new Set<Language>(['sql', 'php', 'node']);
const COMMAND_LANGS = new Set<Language>(['shell', 'python', 'perl', 'ruby', 'php', 'node', 'config']);

/** The first match of a command pattern that runs where it stands (see commands.ts), with its name and where its arguments start. */
function command(re: RegExp, view: string, lang: Language, shellCall: boolean): { name: string; at: number; end: number } | undefined {
  re.lastIndex = 0;
  let tries = 0;
  for (let m = re.exec(view); m && tries < 20; m = re.exec(view), tries++) {
    const end = m.index + m[0].length;
    const at = end - m[1]!.length;
    if (runsAt(view, at, lang, shellCall)) return { name: m[1]!, at, end };
  }
  return undefined;
}

/** What the commands of a heredoc (sftp/ftp/lftp batch) do: put is a write, get a read. Reads at most 500 lines. */
function batchDirection(lines: string[], from: number, end: RegExp): 'read' | 'write' | undefined {
  let put = false;
  let get = false;
  for (let j = from; j < lines.length && j < from + 500 && !end.test(lines[j]!); j++) {
    const l = lines[j]!;
    if (/^\s*(?:m?put|reput|send|mirror\s+(?:.*\s)?(?:-R|--reverse))\b/i.test(l)) put = true;
    else if (/^\s*(?:m?get|reget|recv|mirror)\b/i.test(l)) get = true;
  }
  return put && !get ? 'write' : get && !put ? 'read' : undefined;
}

/** What `-e "..."` (lftp) or `-c '...'` (smbclient) commands do. */
function inlineDirection(after: string): 'read' | 'write' | undefined {
  const cmds = /\s-(?:e|c)\s+(["'])([^"']{0,1000})\1/.exec(after)?.[2];
  if (!cmds) return undefined;
  const put = /(?:^|;)\s*(?:m?put|mirror\s+(?:.*\s)?(?:-R|--reverse))\b/.test(cmds);
  const get = /(?:^|;)\s*(?:m?get|mirror)\b/.test(cmds) && !/mirror\s+(?:.*\s)?(?:-R|--reverse)/.test(cmds);
  return put && !get ? 'write' : get && !put ? 'read' : undefined;
}

/** The text a statement echoes, quotes removed, up to its first unquoted redirection, pipe or separator. */
function echoed(line: string): string | undefined {
  const m = /(?:^|[\s;&|(`])(?:echo|printf)((?:\s+-[a-zA-Z]{1,3})*)\s+/.exec(line);
  if (!m) return undefined;
  let out = '';
  let quote = '';
  for (let k = m.index + m[0].length; k < line.length && k < m.index + 4000; k++) {
    const c = line[k]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && k + 1 < line.length) out += line[++k];
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (/[>|;&)]/.test(c)) break;
    else out += c;
  }
  return out.replace(/\\n$/, '').trim();
}

export function scanScript(file: string, lang: Language, text: string): FileFacts {
  const facts: FileFacts = { schedules: [], accesses: [], rules: [], config: [], artifacts: [], secretArgs: [], units: [] };
  // A file that names nothing any reader below looks for (notes, data, most configuration) is done.
  if (!INTERESTING.test(text) && !(lang === 'shell' && /^\s*(?:@\w|[\d*])/m.test(text))) return facts;
  const { text: lines, lineNo } = logicalLines(text.split(/\r?\n/), lang);
  const seen = new Set<string>();
  const add = (a: Omit<Access, 'file'>) => {
    // One fact per line, kind, client and object: a construct matched twice is reported once.
    const key = `${a.line}\u0000${a.kind}\u0000${a.client}\u0000${a.direction ?? ''}\u0000${a.target ?? a.host ?? a.database ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    facts.accesses.push({ file, ...a, text: redact(a.text.trim().slice(0, 2000)).slice(0, 300) });
  };
  const rule = (r: Omit<RuleCandidate, 'file'>) => facts.rules.push({ file, ...r, text: redact(r.text.trim().slice(0, 2000).replace(/\s+/g, ' ')).slice(0, 300) });
  const conf = (c: Omit<ConfigItem, 'file'>, checked = false) => facts.config.push({ file, ...c, value: (checked ? c.value : redactValue(c.name, c.value.slice(0, 2000))).slice(0, 200) });
  const fromEnv = (name: string, def?: string) => (def ? `(from the environment; default ${redactValue(name, def)})` : '(from the environment)');
  const art = (a: Omit<Artifact, 'file'>) => facts.artifacts.push({ file, ...a });
  const scheduled = new Set<string>();
  const schedule = (n: number, entryText: string, system: boolean, installed: boolean) => {
    const e = parseEntry(entryText, { system, placeholders: installed });
    if (!e) return;
    const s: Schedule = { file, line: n, kind: system ? 'system-crontab' : 'crontab', ...e, ...(installed ? { installed } : {}) };
    const key = `${n}\u0000${s.expression}`;
    if (!scheduled.has(key)) {
      scheduled.add(key);
      facts.schedules.push(s);
    }
  };

  // Variables holding URLs or data-file names, so `requests.get(URL)` and `open(filename, "w")` resolve.
  // At most 500 of each: a file of assignments costs no more than its length.
  const urlVars = new Map<string, string>();
  const aliases = new Map<string, string>();
  const vars = new Map<string, string>();
  const fileVars = new Map<string, string>();
  for (const l of lines) {
    if (l.length <= 4000 && lang === 'python' && aliases.size < 500) {
      const loop = /^\s*for\s+([A-Za-z_]\w{0,80})\s+in\s+([A-Za-z_][\w.]{0,80})\s*:/.exec(l);
      if (loop) aliases.set(loop[1]!, loop[2]!);
    }
    if (l.length > 4000 || !l.includes('=')) continue;
    const m = /^\s*(?:export\s+|my\s+|our\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)?|const\s+|let\s+|var\s+)?[$@]?([A-Za-z_]\w{0,80})\s*(?::\s*[\w[\], ]{1,40})?\s*=(?!=)\s*(.*)$/.exec(l);
    if (m && vars.size < 500) {
      const url = URL_RE.exec(m[2]!)?.[0];
      if (url && !urlVars.has(m[1]!)) urlVars.set(m[1]!, url);
      let value = m[2]!.trim();
      if (value.endsWith(';')) value = value.slice(0, -1).trim();
      if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1);
      vars.set(m[1]!, value);
      if (fileVars.size < 200 && /\.(csv|tsv|xlsx?|ods)\b/i.test(m[2]!)) {
        // 'report_' + day + '.csv' reads as report_{day}.csv
        const name = m[2]!.split('+').map((p) => {
          const t = p.trim();
          const q = /^(['"])(.*)\1;?$/.exec(t);
          return q ? q[2] : /^[A-Za-z_]\w*$/.test(t) ? `{${t}}` : /^['"]|['"]$/.test(t) ? t.replace(/['";]/g, '') : '{}';
        }).join('');
        const df = dataFiles(name)[0];
        if (df) fileVars.set(m[1]!, df);
      }
    }
    // URLs in default arguments, keyword arguments and tuples: def fetch(url="https://..."), URLS = ("https://...", ...)
    if ((lang === 'python' || lang === 'ruby' || lang === 'node' || lang === 'php') && urlVars.size < 500 && l.includes('(')) {
      if (l.includes('http')) for (const d of l.matchAll(/\b([A-Za-z_]\w{0,80})\s*(?::\s*[\w[\]]{1,30})?\s*=\s*[([]?\s*(['"`])(https?:\/\/[^'"`\s]{1,500})\2/g)) if (!urlVars.has(d[1]!)) urlVars.set(d[1]!, d[3]!);
      // def fetch(url=BASE_URL) and for u in SOURCES: the name stands for the constant's URL.
      for (const d of l.matchAll(/[(,]\s*([A-Za-z_]\w{0,80})\s*(?::\s*[\w[\]]{1,30})?\s*=\s*([A-Za-z_]\w{0,80})\s*(?=[,)])/g)) if (aliases.size < 500) aliases.set(d[1]!, d[2]!);
    }
  }
  const literal = (v: string | undefined) => (v !== undefined && !/[$`]/.test(v) && v.length < 500 ? v : undefined);
  // `${HOST}`, `$HOST` and `#{host}` replaced by the file's literal value of that variable, once.
  // A value that itself names another variable (GCS_PATH="gs://$BUCKET_NAME/") is expanded one level further.
  const expandOnce = (t: string, deeper: boolean): string =>
    t.replace(/\$\{(\w+)\}|\$(\w+)|#\{(\w+)\}/g, (x, a?: string, b?: string, c?: string) => {
      const v = vars.get((a ?? b ?? c)!);
      if (v === undefined || v.length >= 500 || v.includes('`')) return x;
      const inner = deeper && v.includes('$') ? expandOnce(v, false) : v;
      return inner.includes('$(') || /\$\w|\$\{/.test(inner) ? x : inner;
    });
  const expandAll = (t: string) => expandOnce(t, true);
  const expand = (t: string) => t.replace(/^\$\{?(\w+)\}?$/, (x, v: string) => vars.get(v) ?? x);
  const fileVarRes = [...fileVars].map(([v, f]) => [new RegExp(`(?:\\(|\\$\\{?|\\s)${v}\\b(?!\\s*=[^=])`), new RegExp(`^\\s*(?:export\\s+)?\\$?${v}\\s*=`), v, f] as const);
  const usesLwp = /\b(LWP::|HTTP::Tiny|HTTP::Request)/.test(text);
  const odbcKinds = new Set<DbKind>();
  const dbDirection = sqlDirection(text);
  const fileShellCall = lang !== 'shell' && lang !== 'config' && SHELL_CALL.test(text);
  const urlHosts = new Set([...urlVars.values()].map((u) => hostOf(u)).filter(Boolean));
  // Keyed by the pattern object (patterns are module constants) and, for the other texts, by a key.
  const memo = new Map<RegExp | string, RegExpExecArray | null>();
  const inFile = (re: RegExp, of = text, key = '') => {
    let hit = key ? undefined : memo.get(re);
    if (hit !== undefined) return hit;
    // A pattern written inline is a new object at each call: its source is the key then.
    const k = `${key}\u0000${re.source}`;
    hit = memo.get(k);
    if (hit === undefined) memo.set(k, (hit = re.exec(of)));
    if (!key) memo.set(re, hit);
    return hit;
  };
  let withoutHttpGets: string | undefined;
  const ctx: ClientContext = {
    add: () => undefined,
    sqlDirection: dbDirection,
    urlOf: (expr) => {
      const name = expr.replace(/^(?:url\s*=\s*|\$|self\.|this\.|@)/, '').trim();
      return urlVars.get(name) ?? urlVars.get(aliases.get(name) ?? '') ?? (/^[A-Za-z_]\w*$/.test(name) && urlHosts.size === 1 ? [...urlVars.values()][0] : undefined);
    },
    hostOf,
    valueOf: (name) => literal(vars.get(name.replace(/^\$/, ''))),
    inFile: (re) => inFile(re),
  };
  // Python database drivers: one fact per connection, at the connect call; at the import when nothing connects.
  const pyConnects = lang === 'python' && /\.(?:connect|create_pool)\s*\(/.test(text);
  const php = { connected: false, used: false };
  // Of configuration files, only those that run commands (Dockerfile, Makefile, Procfile) are read for commands.
  const commands = COMMAND_LANGS.has(lang) && (lang !== 'config' || /(?:^|\/)(?:Dockerfile[^/]*|Containerfile|Makefile|[^/]*\.mk|Procfile)$/i.test(file));
  if (lang === 'php') for (const inc of text.matchAll(/\b(?:include|require)(?:_once)?\s*\(?\s*(?:__DIR__\s*\.\s*)?['"]([^'"]{1,200}\.php)['"]/g)) (facts.includes ??= []).push(inc[1]!.replace(/^\/+/, ''));

  let inBlock = false; // /* ... */
  let heredoc: { end: RegExp; sql: boolean; cron?: { system: boolean } } | undefined;
  let sqlNear = -100; // last line that held a SQL verb
  let dialectSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const n = lineNo[i]!;
    if (heredoc) {
      if (heredoc.end.test(raw)) {
        heredoc = undefined;
        continue;
      }
      if (heredoc.cron) {
        // A crontab written by a heredoc: each body line an entry.
        if (raw.trim() && !raw.trim().startsWith('#')) schedule(n, expandAll(raw.trim()), heredoc.cron.system, true);
        continue;
      }
    }
    const sqlContext = lang === 'sql' || heredoc?.sql === true;
    if (sqlContext || BLOCK_COMMENTS.has(lang)) {
      if (inBlock) {
        if (raw.includes('*/')) inBlock = false;
        continue;
      }
      if (/^\s*\/\*/.test(raw) && !raw.includes('*/')) {
        inBlock = true;
        continue;
      }
      if (/^\s*\/\*.*\*\/\s*$/.test(raw)) continue;
    }
    if (sqlContext) {
      if (/^\s*--/.test(raw)) continue;
    } else if (isComment(lang, raw)) continue;
    // Facts quote a few hundred characters: a minified or generated line is read in its first 4,000.
    const line = raw.length > 4000 ? raw.slice(0, 4000) : raw;
    const maybeEntry = lang === 'shell' && /^\s*(?:@\w|[\d*])/.test(line);
    if (!maybeEntry && !INTERESTING.test(line) && !(fileVarRes.length && fileVarRes.some(([re]) => re.test(line)))) continue;
    if (/\b(select|update|delete|insert|merge)\b/i.test(line)) sqlNear = n;
    const lineFacts = facts.accesses.length;

    // Cron entries a script installs or keeps: echo "0 3 * * 1-5 /x.sh" >> /etc/crontabs/root, (crontab -l; echo "$SCHEDULE $SCRIPT") | crontab -, plain entry lines.
    if ((lang === 'shell' || (lang === 'config' && commands)) && !heredoc) {
      const said = echoed(line);
      if (said !== undefined) {
        const entry = expandAll(said);
        const cronContext = /cron/i.test(line);
        const e = parseEntry(entry, { system: false, placeholders: cronContext });
        if (e && (cronContext || e.cron)) schedule(n, entry, /\/etc\/crontab\b|cron\.d\//.test(line) && !/\bcrontab\s/.test(line) && parseEntry(entry, { system: true }) !== undefined && /^\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+[a-z_][\w-]*\s/.test(entry), true);
      } else if (lang === 'shell' && /^\s*(?:@\w|[\d*])/.test(line)) {
        const e = parseEntry(line, { system: false });
        if (e && e.cron !== undefined && /^\s*(?:@\w+|[\d*/,-]+(?:\s+[\d*/,A-Za-z-]+){4})\s+\S/.test(line)) schedule(n, line.trim(), false, false);
      }
    }

    if (sqlContext && !dialectSeen) {
      const d = DIALECTS.find(([re]) => re.test(line));
      if (d) {
        dialectSeen = true;
        add({ line: n, kind: 'database', client: 'SQL dialect', database: d[1], text: line });
      }
    }
    if (sqlContext) {
      const proc = /\bcreate\s+(?:or\s+replace\s+)?(?:definer\s*=\s*\S+\s+)?(procedure|proc|function|package\s+body|package|trigger)\s+([\w."[\]$]+)/i.exec(line);
      if (proc) art({ line: n, kind: 'procedure', name: proc[2]!.replace(/["[\]]/g, '') });
      const call = /^\s*(?:exec(?:ute)?|call)\s+([A-Za-z_][\w.$]*)/i.exec(line);
      if (call && !/^(immediate|sql)$/i.test(call[1]!)) art({ line: n, kind: 'procedure-call', name: call[1]! });
      const spool = /^\s*spool\s+(\S+)/i.exec(line);
      if (spool && !/^off;?$/i.test(spool[1]!)) {
        const target = spool[1]!.replace(/;$/, '');
        add({ line: n, kind: 'file', client: 'spool', direction: 'write', target, text: line });
      }
      if (/\bload\s+data\s+(?:local\s+)?infile\b/i.test(line)) add({ line: n, kind: 'file', client: 'LOAD DATA', direction: 'read', target: /infile\s+'([^']+)'/i.exec(line)?.[1], text: line });
    }

    // SQL rule candidates: WHERE and CASE, in SQL and in SQL held by other code.
    if (/\bwhere\s+\S/i.test(line) && (sqlContext || n - sqlNear <= 12)) {
      let quote = line;
      for (let j = i + 1; j < Math.min(lines.length, i + 5) && /^\s*(and|or)\b/i.test(lines[j]!.slice(0, 4000)); j++) quote += ` ${lines[j]!.slice(0, 4000).trim()}`;
      rule({ line: n, tool: 'sql-where', text: quote.slice(quote.search(/\bwhere\b/i)) });
    }
    if ((/\bcase\b/i.test(line) && (sqlContext || n - sqlNear <= 12) && lang !== 'shell') || (/\bcase\b/i.test(line) && heredoc?.sql)) {
      // The CASE and what follows it, at most 2,000 characters: one look per line, however many CASEs it holds.
      const from = line.search(/\bcase\b/i);
      let span = line.slice(from, from + 2000);
      for (let j = i + 1; j < lines.length && j < i + 8 && span.length < 2000; j++) span += ` ${lines[j]!.slice(0, 2000 - span.length)}`;
      const when = span.search(/\bwhen\b/i);
      if (when > 0) {
        const end = span.slice(when).search(/\bend\b/i);
        rule({ line: n, tool: 'sql-case', text: span.slice(0, end > 0 ? when + end + 3 : 200) });
      }
    }

    // Connection strings and database URLs, in any language.
    for (const m of line.matchAll(/\bjdbc:([a-z]+(?::sqlserver)?)[:/][^\s'"]*/gi)) {
      const kind = JDBC_KIND[m[1]!.toLowerCase()];
      add({ line: n, kind: 'database', client: 'jdbc', ...(kind ? { database: kind } : {}), host: /\/\/([^/:;?'"\s]+)/.exec(m[0])?.[1] ?? /@([\w.-]+)/.exec(m[0])?.[1], text: m[0] });
      conf({ line: n, kind: 'connection', name: 'jdbc', value: m[0] });
    }
    for (const m of line.matchAll(/\b(postgres(?:ql)?|pgsql|mysql|mariadb|oracle|mssql|sqlserver|sqlite)(?:\+\w+)?:\/\/[^\s'"]*/gi)) {
      const host = hostOf(m[0]);
      add({ line: n, kind: 'database', client: 'url', database: URL_KIND[m[1]!.toLowerCase()]!, ...(host ? { host } : {}), ...(lang !== 'config' && dbDirection ? { direction: dbDirection } : {}), text: m[0] });
      conf({ line: n, kind: 'connection', name: m[1]!.toLowerCase(), value: m[0] });
    }
    const odbc = /\bdriver\s*=\s*\{?([^};'"]+)\}?/i.exec(line);
    if (odbc && /;/.test(line)) {
      const kind = odbcKind(odbc[1]!);
      if (kind) odbcKinds.add(kind);
      add({ line: n, kind: 'database', client: 'odbc', ...(kind ? { database: kind } : {}), host: /\bserver\s*=\s*([^;'"]+)/i.exec(line)?.[1], text: line });
      conf({ line: n, kind: 'connection', name: 'odbc', value: line.trim() });
    }
    const dbi = /\bdbi:(\w+):([^'"\s]*)/i.exec(line);
    if (dbi) {
      const kind = DBI_KIND[dbi[1]!.toLowerCase()];
      // dbi:Pg:dbname=x;host=h, or dbi:mysql:database:host:port
      const host = /host=([^;'"]+)/.exec(dbi[2]!)?.[1] ?? (!dbi[2]!.includes('=') ? dbi[2]!.split(':')[1] : undefined);
      const shown = host && host.startsWith('$') ? literal(vars.get(host.slice(1))) : host;
      add({ line: n, kind: 'database', client: `DBI ${dbi[1]}`, ...(kind ? { database: kind } : {}), ...(dbDirection ? { direction: dbDirection } : {}), ...(shown && /^[\w.-]+$/.test(shown) ? { host: shown } : {}), text: line });
      conf({ line: n, kind: 'connection', name: `dbi:${dbi[1]}`, value: dbi[0] });
    }

    if (commands && !heredoc?.sql && ANY_COMMAND.test(line)) {
      // Commands where they run: in shell, and where Python, Perl, Ruby, PHP or Node hand them to a shell.
      const view = commandView(line);
      // A string handed to a shell on this line, or a command line kept in a variable of a file that runs them.
      const shellCall = SHELL_CALL.test(line) || (fileShellCall && (/\b(?:cmd|command|cmdline|shell|script|dump|args?)\w*\s*=\s*[[(]?\s*f?["'`]/i.test(line) || /=\s*f?["'`].{0,300}?(?:\s\|\s|\s>|\s-\w|&&|;)/.test(line)));
      for (const [re, kind, direction] of SHELL_DB) {
        const c = command(re, view, lang, shellCall);
        if (!c) continue;
        const after = line.slice(c.end);
        const host = /(?:\s-h\s*|--host[= ])([\w.$-]+)/.exec(after)?.[1] ?? (kind === 'sqlserver' ? /(?:\s-S\s*)([\w.\\-]+)/.exec(after)?.[1] : undefined) ?? (kind === 'oracle' ? /\S+\/\S*@([\w.$-]+)/.exec(after)?.[1] : undefined);
        const hostShown = host?.startsWith('$') ? literal(vars.get(host.replace(/^\$\{?|\}$/g, ''))) : host;
        const login = kind === 'oracle' ? /(?:^|\s)(['"]?[\w$.{}]+\/\S*@?[\w.$:/-]*)/.exec(after)?.[1] : undefined;
        if (login && !login.startsWith('/')) conf({ line: n, kind: 'connection', name: c.name, value: `${c.name} ${login}` });
        add({ line: n, kind: 'database', client: c.name, database: kind, ...(direction ? { direction } : {}), ...(hostShown && /^[\w.\\-]+$/.test(hostShown) ? { host: hostShown } : {}), text: line });
        if (/<<-?\s*['"]?(\w+)/.test(after)) heredoc = { end: new RegExp(`^\\s*${/<<-?\s*['"]?(\w+)/.exec(after)![1]}\\s*$`), sql: true };
        break;
      }
      for (const [re, client] of [[CURL, 'curl'], [WGET, 'wget']] as const) {
        const c = command(re, view, lang, shellCall);
        if (!c) continue;
        const after = line.slice(c.at);
        const method = client === 'curl'
          ? (/(?:-X\s*|--request[= ])['"]?([A-Z]+)/.exec(after)?.[1] ?? (/\s-I\b|--head\b/.test(after) ? 'HEAD' : /\s-T\b|--upload-file/.test(after) ? 'PUT' : /\s(?:-d|-F|--data[\w-]*|--form|--json)\b/.test(after) ? 'POST' : 'GET'))
          : (/--method[= ]([A-Z]+)/.exec(after)?.[1] ?? (/--post-(?:data|file)/.test(after) ? 'POST' : 'GET'));
        // The URL after the command, else on the line (echo "$URL" | xargs wget), else a variable's, else the one host the file's URLs name.
        const url = (URL_RE.exec(expandAll(after)) ?? URL_RE.exec(expandAll(line)))?.[0]?.replace(/[;,.]+$/, '') ?? [...urlVars].find(([k]) => new RegExp(`\\$\\{?${k}\\b`).test(line))?.[1] ?? (urlHosts.size === 1 ? [...urlVars.values()][0] : undefined);
        // Fetching code, a package, an installer or a key is setup, not a data source.
        if (url && (method === 'GET' || method === 'HEAD') && isCodeDownload(url, after)) continue;
        add({ line: n, kind: 'http', client, method, ...(url ? { host: hostOf(url) } : {}), direction: method === 'GET' || method === 'HEAD' ? 'read' : 'write', text: line });
      }
      const dl = command(DOWNLOADER, view, lang, shellCall);
      if (dl) {
        const after = expandAll(line.slice(dl.end));
        const url = URL_RE.exec(after)?.[0];
        if (!(url && isCodeDownload(url, after))) add({ line: n, kind: 'http', client: dl.name, method: 'GET', host: url ? hostOf(url) : dl.name === 'gdown' ? 'drive.google.com' : undefined, direction: 'read', text: line });
      }
      const st = command(STORAGE, view, lang, shellCall);
      if (st) {
        const use = storageCommand(st.name, expandAll(line.slice(st.end)));
        if (use?.bigquery) add({ line: n, kind: 'database', client: 'bq (BigQuery)', direction: use.bigquery, text: line });
        if (use && (use.direction || use.target) && (use.client !== 'bq' || use.target)) add({ line: n, kind: 'storage', client: use.client, ...(use.direction ? { direction: use.direction } : {}), ...(use.target ? { target: use.target } : {}), text: line });
      }
      const cp = command(CONTAINER_CP, view, lang, shellCall);
      if (cp && /^\s+cp\s/.test(line.slice(cp.end))) {
        // kubectl/oc/docker cp: a path in a pod or container is pod:path; the last argument is where data goes.
        const args = line.slice(cp.end).trim().split(/\s+/).slice(1).filter((t) => !t.startsWith('-'));
        const remote = (t: string) => /^[\w.$/{}-]+:(?!\/\/)/.test(t);
        const last = args[args.length - 1] ?? '';
        if (args.some(remote)) add({ line: n, kind: 'transfer', client: cp.name, direction: remote(last) ? 'write' : 'read', text: line });
      }
      const heroku = command(HEROKU, view, lang, shellCall);
      if (heroku && /\s(?:pg:backups(?::capture|:download)?|pgbackups:capture|pg:pull|pg:psql)\b/.test(line.slice(heroku.end))) add({ line: n, kind: 'database', client: 'heroku pg', database: 'postgresql', direction: /pg:psql/.test(line) ? undefined : 'read', text: line });
      const xfer = command(XFER, view, lang, shellCall);
      if (xfer) {
        const name = xfer.name;
        const after = line.slice(xfer.end);
        const tokens = after.trim().split(/\s+/).map((t) => expandAll(expand(t.replace(/^['"]|['"]$/g, ''))));
        const remoteAt = tokens.findIndex((t) => /^(?:[\w.$-]+@)?[\w.${}-]+:(?!\/\/)/.test(t) && !/^-/.test(t));
        const viaSsh = /-e\s*['"]?ssh\b/.test(after);
        if (name !== 'rsync' || remoteAt >= 0 || viaSsh) {
          // Options that take a value, so a user name or a port is not read as the host.
          const valued = /^-(?:u|U|p|P|e|c|o|b|i|F|W|I|l|B|J|D|m|n|T|-user|-port)$/;
          const positional: string[] = [];
          for (let k = 0; k < tokens.length; k++) {
            const t = tokens[k]!;
            if (!t || /^(?:<|>|\||;|&|2>)/.test(t)) break;
            if (t.startsWith('-')) {
              if (valued.test(t) && !(name === 'ftp' && t === '-n')) k++;
              continue;
            }
            if (t !== 'ssh') positional.push(t);
          }
          let host = remoteAt >= 0 ? /^(?:[\w.$-]+@)?([\w.${}-]+):/.exec(tokens[remoteAt]!)?.[1] : undefined;
          if (!host) host = (/(?:^|\s)[\w.${}-]+@([\w.-]+)/.exec(tokens.join(' ')) ?? /(?:^|\s)([a-z][\w-]*(?:\.[\w-]+)+)(?:\s|$)/i.exec(tokens.join(' ')))?.[1];
          if (!host && /^(?:ftp|lftp|sftp|ncftpput|ncftpget)$/.test(name) && positional[0] && /^(?:[\w-]+:\/\/)?[\w.-]+$/.test(positional[0])) host = positional[0].replace(/^[\w-]+:\/\//, '');
          if (!host && name === 'smbclient') host = /^\/\/([\w.-]+)/.exec(positional[0] ?? '')?.[1];
          if (!host && name === 'lftp') host = hostOf(tokens.find((t) => /^s?ftps?:\/\//.test(t)) ?? '');
          let direction: 'read' | 'write' | undefined;
          if (name === 'scp' || name === 'rsync') direction = remoteAt < 0 ? undefined : positional[positional.length - 1] === tokens[remoteAt] ? 'write' : 'read';
          else if (name === 'ncftpput') direction = 'write';
          else if (name === 'ncftpget') direction = 'read';
          else {
            const hd = /<<-?\s*['"]?(\w+)/.exec(after);
            direction = hd ? batchDirection(lines, i + 1, new RegExp(`^\\s*${hd[1]}\\s*$`)) : inlineDirection(after);
            // sftp host:/remote/file [local]: a download.
            if (!direction && name === 'sftp' && remoteAt >= 0 && /:\/?\S*[^/]$/.test(tokens[remoteAt]!) && !hd && !/\s-b\s/.test(after)) direction = 'read';
          }
          add({ line: n, kind: 'transfer', client: name === 'rsync' ? 'rsync over ssh' : name, ...(direction ? { direction } : {}), ...(host && !host.includes('$') ? { host } : {}), text: line });
        }
      }
      const mail = command(MAIL, view, lang, shellCall);
      if (mail) add({ line: n, kind: 'mail', client: mail.name.split(/\s/)[0]!, direction: 'write', text: line });
      const queue = command(QUEUE_CMD, view, lang, shellCall);
      if (queue) add({ line: n, kind: 'queue', client: queue.name, direction: /consume/.test(queue.name) ? 'read' : 'write', text: line });
    }

    if (lang === 'shell' && !heredoc?.sql) {
      const secretArg = /^\s*(?:export\s+|local\s+)?(\w*(?:pass|pwd|secret|token)\w*)=["']?\$\{?(\d)\}?/i.exec(line);
      if (secretArg) facts.secretArgs.push(Number(secretArg[2]));
      const assign = /^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (assign) conf({ line: n, kind: 'env', name: assign[1]!, value: assign[2]!.replace(/^(["'])(.*)\1$/, '$2') });
      for (const m of line.matchAll(/\$\{([A-Z][A-Z0-9_]*):?[?-]([^}]*)\}/g)) conf({ line: n, kind: 'env', name: m[1]!, value: fromEnv(m[1]!, m[2]) }, true);
      const awk = /(?:^|[\s|;&(])((?:g|n|m)?awk)\b((?:\s+-\S{1,100}(?:\s+(?![-'"])\S{1,200})?){0,20})\s+(['"])([\s\S]{0,1000}?)(\3|$)/.exec(line);
      if (awk) rule({ line: n, tool: 'awk', text: `${awk[1]}${awk[2]} ${awk[3]}${awk[4]}${awk[5]}` });
      const sed = /(?:^|[\s|;&(])(sed\b(?:\s+-\S+)*\s+(['"])[\s\S]*?\2)/.exec(line);
      if (sed) rule({ line: n, tool: 'sed', text: sed[1]! });
      const sort = /(?:^|[\s|;&(])(sort(?:\s+-{1,2}[^\s|;&>]+(?:\s+(?:['"][^'"]*['"]|\d[\w.,]*))?)+)/.exec(line);
      if (sort) rule({ line: n, tool: 'sort', text: sort[1]! });
      const join = /(?:^|[\s|;&(])(join(?:\s+(?:-[a-z0-9]+(?:\s+\S+)?|[^\s|;&>]+)){2,})/.exec(line);
      if (join && !/^join\s+(the|a|an)\b/.test(join[1]!)) rule({ line: n, tool: 'join', text: join[1]! });
      const heredocStart = /<<-?\s*['"]?(\w+)['"]?/.exec(line);
      if (heredocStart && !heredoc) {
        const cronTarget = /\bcrontab\b|cron\.d\/|\/etc\/cron/.test(line);
        heredoc = { end: new RegExp(`^\\s*${heredocStart[1]}\\s*$`), sql: !cronTarget && /\b(sql|psql|mysql|sqlite3|isql|db2|bteq)\b/i.test(line), ...(cronTarget ? { cron: { system: /\/etc\/crontab\b|cron\.d\//.test(line) && !/\bcrontab\s+-/.test(line) } } : {}) };
      }
    }

    if (lang === 'python') {
      for (const [re, , kind] of PY_DB) {
        const m = re.exec(line);
        if (!m) continue;
        const connect = /\.(?:connect|create_pool)\s*\(/.test(line);
        if (!(connect || (!pyConnects && /\bimport\b/.test(line)))) continue;
        add({ line: n, kind: 'database', client: m[1]!, ...(kind ? { database: kind } : {}), ...(dbDirection ? { direction: dbDirection } : {}), text: line });
        break;
      }
      const req = /\b(requests|httpx|session|urllib\.request|urllib2|aiohttp\.ClientSession\(\))\.(get|post|put|patch|delete|head|request|urlopen)\(\s*(?:url\s*=\s*)?(?:(['"])(\w+)\3\s*,\s*)?([^,)]*)/.exec(line);
      if (req) {
        const method = req[2] === 'request' ? (req[4] ?? 'GET').toUpperCase() : req[2] === 'urlopen' ? (/data\s*=/.test(line) ? 'POST' : 'GET') : req[2]!.toUpperCase();
        const arg = req[5]!.trim();
        const url = URL_RE.exec(arg)?.[0] ?? ctx.urlOf(arg.replace(/^url\s*=\s*/, '').replace(/^f?(['"])(.*)\1$/, '$2').replace(/^\{(\w+)\}.*$/, '$1'));
        if (!(url && (method === 'GET' || method === 'HEAD') && isCodeDownload(url, ''))) add({ line: n, kind: 'http', client: req[1]!, method, ...(url ? { host: hostOf(url) } : {}), direction: method === 'GET' || method === 'HEAD' ? 'read' : 'write', text: line });
      }
      if (/\bimport\s+(paramiko|pysftp|ftplib)|\b(?:paramiko\.SFTPClient|pysftp\.Connection|ftplib\.FTP(?:_TLS)?)\(/.test(line)) {
        const put = !!inFile(/\.(?:put|storbinary|storlines|putfo)\(/);
        withoutHttpGets ??= text.replace(/\b(?:requests|os\.environ|environ|dict|config|cfg|kwargs|params|headers|session)\.get\(/g, '');
        const get = !!inFile(/\.(?:get|retrbinary|retrlines|getfo)\(/, withoutHttpGets, 'py:');
        add({ line: n, kind: 'transfer', client: /paramiko|pysftp|ftplib/.exec(line)![0], ...(put !== get ? { direction: put ? 'write' : 'read' } : {}), text: line });
      }
      if (/\bsmtplib\.SMTP(?:_SSL)?\(|\.send_message\(|\.sendmail\(/.test(line)) add({ line: n, kind: 'mail', client: 'smtplib', direction: 'write', text: line });
      const q = /\b(pika|kombu|confluent_kafka|kafka|pymqi|stomp)\b/.exec(line);
      if (q && /\bimport\b/.test(line)) add({ line: n, kind: 'queue', client: q[1]!, text: line });
      if (/\.(?:client|resource)\(\s*['"]sqs['"]/.test(line)) add({ line: n, kind: 'queue', client: 'boto3 sqs', text: line });
      const callproc = /\.callproc\(\s*['"]([\w.$]+)/.exec(line);
      if (callproc) art({ line: n, kind: 'procedure-call', name: callproc[1]! });
      for (const m of line.matchAll(/os\.(?:environ\.get|getenv)\(\s*['"](\w+)['"](?:\s*,\s*([^)]*))?\)|os\.environ\[\s*['"](\w+)['"]\s*\](?!\s*=[^=])/g)) {
        conf({ line: n, kind: 'env', name: (m[1] ?? m[3])!, value: fromEnv((m[1] ?? m[3])!, m[2]?.trim()) }, true);
      }
    }

    if (lang === 'python' || lang === 'ruby' || lang === 'node' || lang === 'php') {
      ctx.add = (a) => add({ line: n, ...a, text: line });
      storageAndColumnar(line, ctx, lang);
      if (lang === 'php') phpLine(line, ctx, php);
      if (lang === 'ruby') rubyLine(line, ctx);
      if (lang === 'node') nodeLine(line, ctx);
    }

    if (lang === 'perl') {
      if (usesLwp) {
        const m = /HTTP::Request->new\(\s*['"]?(GET|POST|PUT|DELETE|PATCH|HEAD)['"]?\s*(?:=>|,)\s*([^,)]*)/.exec(line) ?? /->(get|post|put|delete|head)\(\s*([^,)]*)/.exec(line) ?? /\b(get|getstore|head)\(\s*(['"]https?:[^,)]*)/.exec(line);
        if (m) {
          const url = URL_RE.exec(m[2]!)?.[0] ?? urlVars.get(m[2]!.replace(/^\$/, '').trim());
          const method = m[1] === 'getstore' ? 'GET' : m[1]!.toUpperCase();
          add({ line: n, kind: 'http', client: 'LWP', method, ...(url ? { host: hostOf(url) } : {}), text: line });
        }
      }
      if (/\b(Net::SMTP|MIME::Lite|Mail::Sendmail|Email::Sender)\b/.test(line) && /\buse\b/.test(line)) add({ line: n, kind: 'mail', client: /Net::SMTP|MIME::Lite|Mail::Sendmail|Email::Sender/.exec(line)![0], direction: 'write', text: line });
      if (/\buse\s+(Net::SFTP|Net::FTP|Net::SCP)/.test(line)) {
        const put = !!inFile(/->(?:put|put_file)\b/);
        withoutHttpGets ??= text.replace(/\$ua->get|\$\w*(?:ua|agent|http|lwp|mech)\w*->get/gi, '');
        const get = !!inFile(/->(?:get|get_file)\b/, withoutHttpGets, 'pl:');
        add({ line: n, kind: 'transfer', client: /Net::\w+/.exec(line)![0], ...(put !== get ? { direction: put ? 'write' : 'read' } : {}), text: line });
      }
      for (const m of line.matchAll(/\$ENV\{\s*['"]?(\w+)['"]?\s*\}/g)) conf({ line: n, kind: 'env', name: m[1]!, value: fromEnv(m[1]!) }, true);
    }

    // CSV and spreadsheet files named on the line (literally or through a variable); not the files a transfer or a message names.
    const named = new Map<string, string>();
    const movedHere = facts.accesses.slice(lineFacts).some((a) => a.kind === 'transfer' || a.kind === 'storage' || a.kind === 'http');
    const message = /^\s*(?:echo|printf|print|puts|say|logger)\b/.test(line) || /\bftp_\w+\(|\bssh2_scp/.test(line);
    if (!movedHere && !message) for (const f of dataFiles(line)) named.set(f, f);
    if (!movedHere && !message) for (const [use, assign, v, f] of fileVarRes) if (use.test(line) && !assign.test(line)) named.set(v, f);
    for (const [token, target] of named) {
      if (facts.accesses.slice(lineFacts).some((a) => a.kind === 'file' && a.target === target)) continue;
      const at = line.indexOf(token);
      const before = at < 0 ? line : line.slice(Math.max(0, at - 300), at);
      const after = at < 0 ? '' : line.slice(at + token.length, at + token.length + 300);
      const inOpen = /open\([^)]*$/.test(before);
      const write = /(?:>>?|\bspool\s+|-o\s+|\binto\s+outfile\s+'|\bto\s+')\s*['"]?[^\s'"]*$/i.test(before) || (inOpen && /^[^)]*['"][wa]b?\+?['"]/.test(after)) || /^\s*['"]?\s*,\s*['"]?>/.test(after) || /\bto_(?:csv|excel)\(|csv\.writer\(|\.writerow|file_put_contents\(|fputcsv\(|\bfwrite\(|\bfputs\(|writeFile(?:Sync)?\(|createWriteStream\(|File\.write\(/.test(line) || (/open\s*(?:my\s+)?\$?\w*\s*,\s*['"]>/.test(before));
      const read = !write && (/(?:<|\bcat\s+|-a\s+|\buuencode\s+|\bfrom\s+'|\binfile\s+')\s*['"]?[^\s'"]*$/i.test(before) || inOpen || /read_(?:csv|excel)\(|csv\.(?:Dict)?[rR]eader\(|fgetcsv\(|readFile(?:Sync)?\(|createReadStream\(|CSV\.(?:foreach|read|parse)\b/.test(line));
      const sheet = /\.(xlsx?|ods)$/i.test(target);
      add({ line: n, kind: 'file', client: sheet ? 'spreadsheet' : 'csv', ...(write ? { direction: 'write' as const } : read ? { direction: 'read' as const } : {}), target, text: line });
    }
  }

  // pyodbc learns its kind from the ODBC driver named in the same file.
  if (odbcKinds.size === 1) for (const a of facts.accesses) if (a.kind === 'database' && !a.database && /odbc/.test(a.client)) a.database = [...odbcKinds][0];
  // A file named without direction where the same file also has a directed mention: keep the directed one.
  // The same file written (or read) on several lines of one script is one fact: the first line says it.
  const fileSeen = new Set<string>();
  facts.accesses = facts.accesses.filter((a) => {
    if (a.kind !== 'file' || !a.target || !a.direction) return true;
    const k = `${a.client}\u0000${a.target}\u0000${a.direction}`;
    if (fileSeen.has(k)) return false;
    fileSeen.add(k);
    return true;
  });
  const directed = new Set(facts.accesses.filter((a) => a.kind === 'file' && a.direction).map((a) => a.target));
  facts.accesses = facts.accesses.filter((a) => a.kind !== 'file' || a.direction || !directed.has(a.target));
  // A file name only assigned to a variable that other lines use: those lines say what is done with it.
  const assigned = facts.accesses.filter((a) => a.kind === 'file' && !a.direction).map((a) => /^\s*[$@]?(\w+)\s*=\s*['"][^'"]*['"];?\s*$/.exec(a.text)?.[1]).filter((v): v is string => !!v && fileVars.has(v));
  if (assigned.length) {
    const used = new Set<string>();
    const uses = assigned.slice(0, 200).map((v) => [v, new RegExp(`[$@{(\\s]${v}\\b(?!\\s*=[^=])`)] as const);
    for (const l of lines) if (l.length < 4000) for (const [v, re] of uses) if (!used.has(v) && re.test(l)) used.add(v);
    facts.accesses = facts.accesses.filter((a) => {
      if (a.kind !== 'file' || a.direction) return true;
      const v = /^\s*[$@]?(\w+)\s*=\s*['"][^'"]*['"];?\s*$/.exec(a.text)?.[1];
      return !(v && used.has(v));
    });
  }
  return facts;
}
