import { redact, redactValue } from './redact.js';
import type { Access, Artifact, ConfigItem, DbKind, FileFacts, RuleCandidate } from './types.js';
import type { Language } from './language.js';

/**
 * Sources, sinks, rule candidates, configuration and procedures of one script, line by line.
 * Pure: the file's name, language and text in, facts out.
 */

const CMD = (names: string) => new RegExp(String.raw`(?:^|[\s;|&(\x60'"\[/])(${names})(?=[\s;|&)'"\]\x60]|$)`);

const CURL = CMD('curl');
const WGET = CMD('wget');
const XFER = CMD('sftp|scp|rsync|lftp|ftp|smbclient');
const MAIL = CMD('mailx|mail|mutt|sendmail|msmtp');
const QUEUE_CMD = CMD('kafka-console-producer|kafka-console-consumer|kcat|kafkacat|rabbitmqadmin|amqp-publish|amqp-consume');

// A line that names none of these holds no fact: most lines are skipped after this one test.
const INTERESTING = /psql|pg_|mysql|maria|sql|expdp|impdp|\bexp\b|bcp|curl|wget|ftp|scp|rsync|smbclient|mail|mutt|msmtp|kafka|kcat|rabbit|amqp|where|case|jdbc|:\/\/|driver|dbi:|awk|sed|sort|join|export|\$\{|request|httpx|urllib|session|aiohttp|paramiko|smtp|send|pika|kombu|pymqi|stomp|sqs|callproc|environ|getenv|\$ENV|LWP|HTTP::|Net::|MIME|Email::|\.csv|\.tsv|\.xls|\.ods|spool|load\s+data|create|exec|call|<<|select|update|delete|insert|merge|psycopg|oracle|pyodbc|import|::|dual|nvl|varchar2|sysdate|@@|getdate|nvarchar|nocount|^\s*go\s*$|delimiter|engine|auto_increment|pass|pwd|open\(|to_csv|to_excel|writer|reader|^\s*(?:export\s+|local\s+)?[A-Za-z_]\w*=/i;

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

const hostOf = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?(\[[^\]]+\]|[^/:?#\s'"]+)/i.exec(url)?.[1];
const URL_RE = /\bhttps?:\/\/[^\s'"<>`)]+/i;
const DATA_FILE = /([\w$.{}/~%-]*[\w}]\.(csv|tsv|xlsx|xls|ods))(?![\w])/gi;

const isComment = (lang: Language, line: string) => (lang === 'sql' ? /^\s*--/.test(line) : /^\s*#(?!!)/.test(line));

export function scanScript(file: string, lang: Language, text: string): FileFacts {
  const facts: FileFacts = { schedules: [], accesses: [], rules: [], config: [], artifacts: [], secretArgs: [], units: [] };
  const lines = text.split(/\r?\n/);
  const add = (a: Omit<Access, 'file'>) => facts.accesses.push({ file, ...a, text: redact(a.text.trim().slice(0, 2000)).slice(0, 300) });
  const rule = (r: Omit<RuleCandidate, 'file'>) => facts.rules.push({ file, ...r, text: redact(r.text.trim().slice(0, 2000).replace(/\s+/g, ' ')).slice(0, 300) });
  const conf = (c: Omit<ConfigItem, 'file'>, checked = false) => facts.config.push({ file, ...c, value: (checked ? c.value : redactValue(c.name, c.value.slice(0, 2000))).slice(0, 200) });
  const fromEnv = (name: string, def?: string) => (def ? `(from the environment; default ${redactValue(name, def)})` : '(from the environment)');
  const art = (a: Omit<Artifact, 'file'>) => facts.artifacts.push({ file, ...a });

  // Variables holding URLs or data-file names, so `requests.get(URL)` and `open(filename, "w")` resolve.
  const urlVars = new Map<string, string>();
  const vars = new Map<string, string>();
  const fileVars = new Map<string, string>();
  for (const l of lines) {
    const m = /^\s*(?:export\s+|my\s+|local\s+)?\$?([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(l);
    if (!m) continue;
    const url = URL_RE.exec(m[2]!)?.[0];
    if (url) urlVars.set(m[1]!, url);
    vars.set(m[1]!, m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2'));
    if (/\.(csv|tsv|xlsx?|ods)\b/i.test(m[2]!)) {
      // 'report_' + day + '.csv' reads as report_{day}.csv
      const name = m[2]!.split('+').map((p) => {
        const t = p.trim();
        const q = /^(['"])(.*)\1$/.exec(t);
        return q ? q[2] : /^[A-Za-z_]\w*$/.test(t) ? `{${t}}` : /^['"]|['"]$/.test(t) ? t.replace(/['";]/g, '') : '{}';
      }).join('');
      const df = new RegExp(DATA_FILE.source, 'i').exec(name);
      if (df) fileVars.set(m[1]!, df[1]!);
    }
  }
  const expand = (t: string) => t.replace(/^\$\{?(\w+)\}?$/, (x, v: string) => vars.get(v) ?? x);
  const fileVarRes = [...fileVars].map(([v, f]) => [new RegExp(`(?:\\(|\\$\\{?|\\s)${v}\\b(?!\\s*=[^=])`), new RegExp(`^\\s*(?:export\\s+)?\\$?${v}\\s*=`), v, f] as const);
  const usesLwp = /\b(LWP::|HTTP::Tiny|HTTP::Request)/.test(text);
  const odbcKinds = new Set<DbKind>();

  let inBlock = false; // SQL /* ... */
  let heredoc: { end: RegExp; sql: boolean } | undefined;
  let sqlNear = -100; // last line that held a SQL verb
  let dialectSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const n = i + 1;
    if (heredoc) {
      if (heredoc.end.test(raw)) {
        heredoc = undefined;
        continue;
      }
    }
    const sqlContext = lang === 'sql' || heredoc?.sql === true;
    if (sqlContext) {
      if (inBlock) {
        if (raw.includes('*/')) inBlock = false;
        continue;
      }
      if (/^\s*\/\*/.test(raw) && !raw.includes('*/')) {
        inBlock = true;
        continue;
      }
      if (/^\s*--/.test(raw)) continue;
    } else if (isComment(lang, raw)) continue;
    // Facts quote a few hundred characters: a minified or generated line is read in its first 4,000.
    const line = raw.length > 4000 ? raw.slice(0, 4000) : raw;
    if (!INTERESTING.test(line) && !(fileVarRes.length && fileVarRes.some(([re]) => re.test(line)))) continue;
    if (/\b(select|update|delete|insert|merge)\b/i.test(line)) sqlNear = n;

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
      for (let j = i + 1; j < Math.min(lines.length, i + 5) && /^\s*(and|or)\b/i.test(lines[j]!); j++) quote += ` ${lines[j]!.trim()}`;
      rule({ line: n, tool: 'sql-where', text: quote.slice(quote.search(/\bwhere\b/i)) });
    }
    if (/\bcase\b/i.test(line) && (sqlContext || n - sqlNear <= 12) && lang !== 'shell' || (/\bcase\b/i.test(line) && heredoc?.sql)) {
      const span = lines.slice(i, i + 8).join(' ');
      if (/\bcase\b[\s\S]*?\bwhen\b/i.test(span)) {
        const start = span.search(/\bcase\b/i);
        const end = span.slice(start).search(/\bend\b/i);
        rule({ line: n, tool: 'sql-case', text: span.slice(start, end > 0 ? start + end + 3 : start + 200) });
      }
    }

    // Connection strings and database URLs, in any language.
    for (const m of line.matchAll(/\bjdbc:([a-z]+(?::sqlserver)?)[:/][^\s'"]*/gi)) {
      const kind = JDBC_KIND[m[1]!.toLowerCase()];
      add({ line: n, kind: 'database', client: 'jdbc', ...(kind ? { database: kind } : {}), host: /\/\/([^/:;?'"\s]+)/.exec(m[0])?.[1] ?? /@([\w.-]+)/.exec(m[0])?.[1], text: m[0] });
      conf({ line: n, kind: 'connection', name: 'jdbc', value: m[0] });
    }
    for (const m of line.matchAll(/\b(postgres(?:ql)?|pgsql|mysql|mariadb|oracle|mssql|sqlserver|sqlite)(?:\+\w+)?:\/\/[^\s'"]*/gi)) {
      add({ line: n, kind: 'database', client: 'url', database: URL_KIND[m[1]!.toLowerCase()]!, host: hostOf(m[0]), text: m[0] });
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
      add({ line: n, kind: 'database', client: `DBI ${dbi[1]}`, ...(kind ? { database: kind } : {}), host: /host=([^;'"]+)/.exec(dbi[2]!)?.[1], text: line });
      conf({ line: n, kind: 'connection', name: `dbi:${dbi[1]}`, value: dbi[0] });
    }

    if ((lang === 'shell' || lang === 'python' || lang === 'perl') && !heredoc?.sql) {
      // Commands, also where Python or Perl hands them to a shell (os.system, subprocess, backticks).
      for (const [re, kind, direction] of SHELL_DB) {
        const m = re.exec(line);
        if (!m) continue;
        const after = line.slice(m.index + m[0].length);
        const host = /(?:\s-h\s*|--host[= ])([\w.-]+)/.exec(after)?.[1] ?? (kind === 'sqlserver' ? /(?:\s-S\s*)([\w.\\-]+)/.exec(after)?.[1] : undefined) ?? (kind === 'oracle' ? /\S+\/\S*@([\w.$-]+)/.exec(after)?.[1] : undefined);
        const login = kind === 'oracle' ? /(?:^|\s)(['"]?[\w$.{}]+\/\S*@?[\w.$:/-]*)/.exec(after)?.[1] : undefined;
        if (login && !login.startsWith('/')) conf({ line: n, kind: 'connection', name: m[1]!, value: `${m[1]} ${login}` });
        add({ line: n, kind: 'database', client: m[1]!, database: kind, ...(direction ? { direction } : {}), ...(host && !host.startsWith('$') ? { host } : {}), text: line });
        if (/<<-?\s*['"]?(\w+)/.test(after)) heredoc = { end: new RegExp(`^\\s*${/<<-?\s*['"]?(\w+)/.exec(after)![1]}\\s*$`), sql: true };
        break;
      }
      const curl = CURL.exec(line);
      if (curl) {
        const after = line.slice(curl.index);
        const method = /(?:-X\s*|--request[= ])['"]?([A-Z]+)/.exec(after)?.[1] ?? (/\s-I\b|--head\b/.test(after) ? 'HEAD' : /\s-T\b|--upload-file/.test(after) ? 'PUT' : /\s(?:-d|-F|--data[\w-]*|--form|--json)\b/.test(after) ? 'POST' : 'GET');
        const url = URL_RE.exec(after)?.[0] ?? [...urlVars].find(([k]) => new RegExp(`\\$\\{?${k}\\b`).test(after))?.[1];
        add({ line: n, kind: 'http', client: 'curl', method, ...(url ? { host: hostOf(url) } : {}), direction: method === 'GET' || method === 'HEAD' ? 'read' : 'write', text: line });
      }
      const wget = WGET.exec(line);
      if (wget) {
        const after = line.slice(wget.index);
        const method = /--method[= ]([A-Z]+)/.exec(after)?.[1] ?? (/--post-(?:data|file)/.test(after) ? 'POST' : 'GET');
        const url = URL_RE.exec(after)?.[0] ?? [...urlVars].find(([k]) => new RegExp(`\\$\\{?${k}\\b`).test(after))?.[1];
        add({ line: n, kind: 'http', client: 'wget', method, ...(url ? { host: hostOf(url) } : {}), direction: method === 'GET' ? 'read' : 'write', text: line });
      }
      const xfer = XFER.exec(line);
      if (xfer) {
        const after = line.slice(xfer.index + xfer[0].length);
        const tokens = after.trim().split(/\s+/).map(expand);
        const remoteAt = tokens.findIndex((t) => /^(?:[\w.$-]+@)?[\w.${}-]+:(?!\/\/)/.test(t) && !/^-/.test(t));
        const viaSsh = /-e\s*['"]?ssh\b/.test(after);
        if (xfer[1] !== 'rsync' || remoteAt >= 0 || viaSsh) {
          const host = remoteAt >= 0 ? /^(?:[\w.$-]+@)?([\w.${}-]+):/.exec(tokens[remoteAt]!)?.[1] : (/(?:^|\s)[\w.-]+@([\w.-]+)/.exec(after) ?? /(?:^|\s)([a-z][\w-]*(?:\.[\w-]+)+)(?:\s|$)/i.exec(after))?.[1];
          const positional = tokens.filter((t) => t && !t.startsWith('-') && t !== 'ssh');
          const direction = xfer[1] === 'sftp' || xfer[1] === 'lftp' || xfer[1] === 'ftp' || remoteAt < 0 ? undefined : positional[positional.length - 1] === tokens[remoteAt] ? 'write' : 'read';
          add({ line: n, kind: 'transfer', client: xfer[1] === 'rsync' ? 'rsync over ssh' : xfer[1]!, ...(direction ? { direction } : {}), ...(host && !host.startsWith('$') ? { host } : {}), text: line });
        }
      }
      const mail = MAIL.exec(line);
      if (mail) add({ line: n, kind: 'mail', client: mail[1]!.split(/\s/)[0]!, direction: 'write', text: line });
      const queue = QUEUE_CMD.exec(line);
      if (queue) add({ line: n, kind: 'queue', client: queue[1]!, direction: /consume/.test(queue[1]!) ? 'read' : 'write', text: line });
    }

    if (lang === 'shell' && !heredoc?.sql) {
      const secretArg = /^\s*(?:export\s+|local\s+)?(\w*(?:pass|pwd|secret|token)\w*)=["']?\$\{?(\d)\}?/i.exec(line);
      if (secretArg) facts.secretArgs.push(Number(secretArg[2]));
      const assign = /^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (assign) conf({ line: n, kind: 'env', name: assign[1]!, value: assign[2]!.replace(/^(["'])(.*)\1$/, '$2') });
      for (const m of line.matchAll(/\$\{([A-Z][A-Z0-9_]*):?[?-]([^}]*)\}/g)) conf({ line: n, kind: 'env', name: m[1]!, value: fromEnv(m[1]!, m[2]) }, true);
      const awk = /(?:^|[\s|;&(])((?:g|n|m)?awk)\b((?:\s+-\S+(?:\s+(?!['"])\S+)?)*)\s+(['"])([\s\S]*?)(\3|$)/.exec(line);
      if (awk) rule({ line: n, tool: 'awk', text: `${awk[1]}${awk[2]} ${awk[3]}${awk[4]}${awk[5]}` });
      const sed = /(?:^|[\s|;&(])(sed\b(?:\s+-\S+)*\s+(['"])[\s\S]*?\2)/.exec(line);
      if (sed) rule({ line: n, tool: 'sed', text: sed[1]! });
      const sort = /(?:^|[\s|;&(])(sort(?:\s+-{1,2}[^\s|;&>]+(?:\s+(?:['"][^'"]*['"]|\d[\w.,]*))?)+)/.exec(line);
      if (sort) rule({ line: n, tool: 'sort', text: sort[1]! });
      const join = /(?:^|[\s|;&(])(join(?:\s+(?:-[a-z0-9]+(?:\s+\S+)?|[^\s|;&>]+)){2,})/.exec(line);
      if (join && !/^join\s+(the|a|an)\b/.test(join[1]!)) rule({ line: n, tool: 'join', text: join[1]! });
      const heredocStart = /<<-?\s*['"]?(\w+)['"]?/.exec(line);
      if (heredocStart && !heredoc) heredoc = { end: new RegExp(`^\\s*${heredocStart[1]}\\s*$`), sql: /\b(sql|psql|mysql|sqlite3|isql|db2|bteq)\b/i.test(line) };
    }

    if (lang === 'python') {
      for (const [re, , kind] of PY_DB) {
        const m = re.exec(line);
        if (!m || !/\bimport\b|\.connect\(|\.create_pool\(|\.makedsn\(/.test(line)) continue;
        add({ line: n, kind: 'database', client: m[1]!, ...(kind ? { database: kind } : {}), text: line });
        break;
      }
      const req = /\b(requests|httpx|session|urllib\.request|urllib2|aiohttp\.ClientSession\(\))\.(get|post|put|patch|delete|head|request|urlopen)\(\s*(?:url\s*=\s*)?(?:(['"])(\w+)\3\s*,\s*)?([^,)]*)/.exec(line);
      if (req) {
        const method = req[2] === 'request' ? (req[4] ?? 'GET').toUpperCase() : req[2] === 'urlopen' ? (/data\s*=/.test(line) ? 'POST' : 'GET') : req[2]!.toUpperCase();
        const arg = req[5]!.trim();
        const url = URL_RE.exec(arg)?.[0] ?? urlVars.get(arg.replace(/^url\s*=\s*/, ''));
        add({ line: n, kind: 'http', client: req[1]!, method, ...(url ? { host: hostOf(url) } : {}), direction: method === 'GET' || method === 'HEAD' ? 'read' : 'write', text: line });
      }
      if (/\bimport\s+(paramiko|pysftp|ftplib)|\b(?:paramiko\.SFTPClient|pysftp\.Connection|ftplib\.FTP(?:_TLS)?)\(/.test(line)) add({ line: n, kind: 'transfer', client: /paramiko|pysftp|ftplib/.exec(line)![0], text: line });
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
      if (/\buse\s+(Net::SFTP|Net::FTP|Net::SCP)/.test(line)) add({ line: n, kind: 'transfer', client: /Net::\w+/.exec(line)![0], text: line });
      for (const m of line.matchAll(/\$ENV\{\s*['"]?(\w+)['"]?\s*\}/g)) conf({ line: n, kind: 'env', name: m[1]!, value: fromEnv(m[1]!) }, true);
    }

    // CSV and spreadsheet files named on the line (literally or through a variable).
    const named = new Map<string, string>();
    for (const m of line.matchAll(DATA_FILE)) named.set(m[1]!, m[1]!);
    for (const [use, assign, v, f] of fileVarRes) if (use.test(line) && !assign.test(line)) named.set(v, f);
    for (const [token, target] of named) {
      if (facts.accesses.some((a) => a.line === n && a.kind === 'file' && a.target === target)) continue;
      const at = line.indexOf(token);
      const before = at < 0 ? line : line.slice(0, at);
      const after = at < 0 ? '' : line.slice(at + token.length);
      const inOpen = /open\([^)]*$/.test(before);
      const write = /(?:>>?|\bspool\s+|-o\s+|\binto\s+outfile\s+'|\bto\s+')\s*['"]?[^\s'"]*$/i.test(before) || (inOpen && /^[^)]*['"][wa]b?\+?['"]/.test(after)) || /\bto_(?:csv|excel)\(|csv\.writer\(|\.writerow/.test(line);
      const read = !write && (/(?:<|\bcat\s+|-a\s+|\buuencode\s+|\bfrom\s+'|\binfile\s+')\s*['"]?[^\s'"]*$/i.test(before) || inOpen || /read_(?:csv|excel)\(|csv\.(?:Dict)?[rR]eader\(/.test(line));
      const sheet = /\.(xlsx?|ods)$/i.test(target);
      add({ line: n, kind: 'file', client: sheet ? 'spreadsheet' : 'csv', ...(write ? { direction: 'write' as const } : read ? { direction: 'read' as const } : {}), target, text: line });
    }
  }

  // pyodbc learns its kind from the ODBC driver named in the same file.
  if (odbcKinds.size === 1) for (const a of facts.accesses) if (a.kind === 'database' && !a.database && /odbc/.test(a.client)) a.database = [...odbcKinds][0];
  // A file named without direction where the same file also has a directed mention: keep the directed one.
  facts.accesses = facts.accesses.filter((a) => a.kind !== 'file' || a.direction || !facts.accesses.some((b) => b !== a && b.kind === 'file' && b.target === a.target && b.direction));
  return facts;
}
