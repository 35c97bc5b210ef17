import { describe, expect, it } from 'vitest';
import { describeCron, parseCrontab } from '../src/core/assess/cron.js';
import { withSuggestedDefaults } from '../src/core/assess/defaults.js';
import { jenkinsSchedules } from '../src/core/assess/jenkins.js';
import { languageOf } from '../src/core/assess/language.js';
import { redact } from '../src/core/assess/redact.js';
import { assessmentRegion, replaceRegion } from '../src/core/assess/report.js';
import { buildInventory, resolveScript } from '../src/core/assess/scan.js';
import { scanScript } from '../src/core/assess/script.js';
import { answersOf } from '../src/core/assess/suggest.js';
import { calendarToCron, parseUnit, timerSchedules } from '../src/core/assess/systemd.js';
import type { TemplateSpec } from '../src/core/template/types.js';

describe('crontab lines', () => {
  it.each([
    ['user crontab', '15 2 * * * /opt/etl/run.sh', false, { expression: '15 2 * * *', cron: '15 2 * * *', command: '/opt/etl/run.sh', words: 'every day at 02:15' }],
    ['system crontab user field', '0 5 * * 1-5 etl /opt/etl/load.sh --full', true, { user: 'etl', command: '/opt/etl/load.sh --full', words: 'at 05:00 on Monday to Friday' }],
    ['root in a user crontab is a user field', '*/10 * * * * root /usr/bin/sync.sh', false, { user: 'root', words: 'every 10 minutes' }],
    ['a system crontab line without its user field', '0 3 * * * /opt/etl/nightly.sh', true, { kind: 'system-crontab', command: '/opt/etl/nightly.sh' }],
    ['@daily macro', '@daily /opt/x.sh', false, { expression: '@daily', cron: '0 0 * * *', words: 'every day at 00:00 (@daily)' }],
    ['@reboot has no cron form', '@reboot /opt/start.sh', false, { expression: '@reboot', words: 'once, when the system starts (@reboot)' }],
    ['ranges, lists and steps', '0 8-18/2 1,15 * *  /a.sh', false, { cron: '0 8-18/2 1,15 * *' }],
    ['names of months and days', '30 6 * jan-mar mon /a.sh', false, { words: 'at 06:30 on Monday in January to March' }],
    ['% ends the command', '0 1 * * * /bin/dump.sh > /tmp/d_$(date +\\%F).sql % input', false, { command: '/bin/dump.sh > /tmp/d_$(date +%F).sql' }],
  ])('%s', (_name, line, system, want) => {
    const { schedules } = parseCrontab('crontab', line, { system });
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject(want);
    if ((want as { expression?: string }).expression === '@reboot') expect(schedules[0]!.cron).toBeUndefined();
    if (_name.includes('without its user')) expect(schedules[0]!.user).toBeUndefined();
  });

  it.each([
    ['a comment', '# 0 2 * * * /old.sh'],
    ['minute out of range', '61 2 * * * /a.sh'],
    ['hour out of range', '0 24 * * * /a.sh'],
    ['too few fields', '0 2 * * /a.sh'],
    ['a system line without a command', '0 2 * * * root'],
    ['an unknown macro', '@fortnightly /a.sh'],
  ])('not an entry: %s', (_n, line) => {
    expect(parseCrontab('crontab', line, { system: line.includes('root') }).schedules).toEqual([]);
  });

  it('CRON_TZ applies to the entries after it, and environment lines are configuration', () => {
    const { schedules, env } = parseCrontab('crontab', 'MAILTO=ops@example.com\n0 1 * * * /a.sh\nCRON_TZ=Europe/Paris\n30 6 * * * /b.sh\n', { system: false });
    expect(schedules.map((s) => [s.line, s.timeZone])).toEqual([[2, undefined], [4, 'Europe/Paris']]);
    expect(schedules[1]!.words).toBe('every day at 06:30 (Europe/Paris)');
    expect(env.map((e) => e.name)).toEqual(['MAILTO', 'CRON_TZ']);
  });

  it.each([
    ['*/15 * * * *', 'every 15 minutes'],
    ['0 * * * *', 'every hour, on the hour'],
    ['5 */4 * * *', 'every 4 hours at minute 5'],
    ['0 0 1 * *', 'at 00:00 on day 1 of the month'],
    ['30 2,14 * * *', 'every day at 02:30 and 14:30'],
    ['0 8 * * 0,6', 'at 08:00 on Sunday and Saturday'],
    ['0 8 1 * 1', 'at 08:00 on day 1 of the month or on Monday'],
  ])('%s in words: %s', (expr, words) => {
    expect(describeCron(expr)).toBe(words);
  });
});

describe('systemd timers', () => {
  it.each([
    ['daily', '0 0 * * *', undefined],
    ['*-*-* 05:55:00', '55 5 * * *', undefined],
    ['Mon..Fri 06:00', '0 6 * * 1-5', undefined],
    ['Mon-Fri *-*-* 11:30:00', '30 11 * * 1-5', undefined],
    ['*:0/2', '*/2 * * * *', undefined],
    ['*-*-01 02:00:00 Europe/Berlin', '0 2 1 * *', 'Europe/Berlin'],
    ['weekly', '0 0 * * 1', undefined],
    ['2025-*-* 01:00', undefined, undefined],
    ['*-*-* 01:00:30', undefined, undefined],
  ])('OnCalendar=%s → %s', (value, cron, tz) => {
    expect(calendarToCron(value)).toEqual({ cron, timeZone: tz });
  });

  it('pairs a timer with its service (Unit= or the same name) and takes ExecStart as the command', () => {
    const timer = parseUnit('etc/nightly.timer', '[Timer]\nOnCalendar=*-*-* 03:15:00\nPersistent=true\n')!;
    const other = parseUnit('etc/other.timer', '[Timer]\nOnCalendar=hourly\nUnit=load.service\n')!;
    const svc = parseUnit('etc/nightly.service', '[Service]\nExecStart=-/opt/etl/nightly.sh --all\n')!;
    const load = parseUnit('etc/load.service', '[Service]\nExecStart=/usr/bin/python3 /opt/load.py\n')!;
    const s = timerSchedules([timer, other, svc, load]);
    expect(s.map((x) => [x.file, x.line, x.cron, x.unit, x.command])).toEqual([
      ['etc/nightly.timer', 2, '15 3 * * *', 'nightly.service', '/opt/etl/nightly.sh --all'],
      ['etc/other.timer', 2, '0 * * * *', 'load.service', '/usr/bin/python3 /opt/load.py'],
    ]);
  });
});

describe('Jenkins triggers', () => {
  it('reads cron() specs, TZ= lines and H, with the first sh step as the command', () => {
    const text = "pipeline {\n  triggers {\n    cron('''TZ=Europe/London\n# nightly\nH 2 * * 1-5''')\n  }\n  stages { stage('x') { steps { sh './load.sh --all' } } }\n}\n";
    const s = jenkinsSchedules('Jenkinsfile', text);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ line: 5, expression: 'H 2 * * 1-5', cron: '0 2 * * 1-5', timeZone: 'Europe/London', command: './load.sh --all' });
  });
  it('reads @daily and double quotes', () => {
    expect(jenkinsSchedules('ci/Jenkinsfile', 'triggers { cron("@daily") }').map((s) => s.cron)).toEqual(['0 0 * * *']);
  });
});

describe('which scanner reads a file', () => {
  it.each([
    ['etc/cron.d/etl', '', 'system-crontab'],
    ['etc/crontab', '', 'system-crontab'],
    ['var/spool/cron/crontabs/etl', '', 'crontab'],
    ['jobs/etl.cron', '', 'crontab'],
    ['bin/cronbackup.txt', '', 'crontab'],
    ['bin/load', '#!/usr/bin/env python3', 'python'],
    ['bin/run', '#!/bin/ksh', 'shell'],
    ['lib/x.pl', '', 'perl'],
    ['db/proc.pkb', '', 'sql'],
    ['units/a.timer', '', 'systemd'],
    ['Jenkinsfile', '', 'jenkins'],
    ['reports/sales.jrxml', '', 'report'],
    ['README.md', '', 'config'],
  ])('%s', (file, first, lang) => {
    expect(languageOf(file, first)).toBe(lang);
  });
});

const one = (lang: Parameters<typeof scanScript>[1], text: string) => scanScript('x', lang, text).accesses;

describe('sources and sinks', () => {
  it.each([
    ['psql', 'shell', 'psql -h db1.corp -U etl -c "select 1"', { kind: 'database', client: 'psql', database: 'postgresql', host: 'db1.corp' }],
    ['pg_dump reads', 'shell', '/usr/bin/pg_dump mydb | gzip > x.gz', { client: 'pg_dump', database: 'postgresql', direction: 'read' }],
    ['mysql', 'shell', 'mysql -u app -h 10.0.0.5 sales < load.sql', { database: 'mysql', host: '10.0.0.5' }],
    ['sqlplus through a variable path', 'shell', '$ORACLE_HOME/bin/sqlplus -s scott/tiger@ORCL @report.sql', { database: 'oracle', host: 'ORCL' }],
    ['sqlcmd', 'shell', 'sqlcmd -S sql01\\prod -d billing -i nightly.sql', { database: 'sqlserver', host: 'sql01\\prod' }],
    ['sqlite3', 'shell', 'sqlite3 /data/app.db ".dump"', { database: 'sqlite' }],
    ['psycopg2', 'python', 'conn = psycopg2.connect(host="db")', { database: 'postgresql', client: 'psycopg2' }],
    ['oracledb', 'python', 'import oracledb', { database: 'oracle' }],
    ['pymysql', 'python', 'db = pymysql.connect(host="h")', { database: 'mysql' }],
    ['pymssql', 'python', 'import pymssql', { database: 'sqlserver' }],
    ['sqlite3 module', 'python', 'con = sqlite3.connect("a.db")', { database: 'sqlite' }],
    ['JDBC URL', 'config', 'db.url=jdbc:oracle:thin:@ora1.corp:1521/ORCL', { client: 'jdbc', database: 'oracle' }],
    ['JDBC SQL Server', 'config', 'url=jdbc:sqlserver://mssql1:1433;databaseName=x', { database: 'sqlserver', host: 'mssql1' }],
    ['SQLAlchemy URL', 'python', 'engine = create_engine("postgresql+psycopg2://u@pg.corp/db")', { client: 'url', database: 'postgresql', host: 'pg.corp' }],
    ['Perl DBI', 'perl', 'my $dbh = DBI->connect("dbi:mysql:database=x;host=my1", $u, $p);', { client: 'DBI mysql', database: 'mysql', host: 'my1' }],
    ['curl POST', 'shell', 'curl -s -X POST https://api.partner.com/v1/orders -d @orders.json', { kind: 'http', method: 'POST', host: 'api.partner.com' }],
    ['curl -d is a POST', 'shell', 'curl -d "a=1" https://h.example/x', { method: 'POST', host: 'h.example' }],
    ['curl URL in a variable', 'shell', 'URL="https://feeds.example.org/daily"\ncurl -o feed.xml "$URL"', { method: 'GET', host: 'feeds.example.org' }],
    ['wget', 'shell', 'wget -q https://files.example.com/rates.csv', { kind: 'http', method: 'GET', host: 'files.example.com' }],
    ['requests.post', 'python', 'r = requests.post("https://hooks.example.com/in", json=data)', { kind: 'http', method: 'POST', host: 'hooks.example.com' }],
    ['requests through a URL variable', 'python', 'URL = "https://api.example.io/v2"\nr = requests.get(url=URL)', { method: 'GET', host: 'api.example.io' }],
    ['scp push', 'shell', 'scp /tmp/x.gz backup@vault.corp:/srv/in/', { kind: 'transfer', client: 'scp', host: 'vault.corp', direction: 'write' }],
    ['rsync over ssh pull', 'shell', 'rsync -az -e ssh feed@ftp.partner.net:/out/ /data/in/', { client: 'rsync over ssh', host: 'ftp.partner.net', direction: 'read' }],
    ['sftp batch', 'shell', 'sftp -b cmds.txt drop@sftp.bank.com', { kind: 'transfer', client: 'sftp', host: 'sftp.bank.com' }],
    ['paramiko', 'python', 'import paramiko', { kind: 'transfer', client: 'paramiko' }],
    ['mailx', 'shell', 'mailx -s "Daily report" ops@example.com < report.txt', { kind: 'mail', client: 'mailx' }],
    ['smtplib', 'python', 's = smtplib.SMTP("mail.corp")', { kind: 'mail', client: 'smtplib' }],
    ['Perl Net::SMTP', 'perl', 'use Net::SMTP;', { kind: 'mail' }],
    ['pika', 'python', 'import pika', { kind: 'queue', client: 'pika' }],
    ['kafka console producer', 'shell', 'kafka-console-producer --topic orders < x.json', { kind: 'queue', direction: 'write' }],
    ['boto3 sqs', 'python', 'q = boto3.client("sqs")', { kind: 'queue', client: 'boto3 sqs' }],
    ['CSV written by redirection', 'shell', 'psql -At -c "select * from t" > /data/out/customers.csv', { kind: 'file', client: 'csv', direction: 'write', target: '/data/out/customers.csv' }],
    ['CSV read by pandas', 'python', 'df = pd.read_csv("in/orders.csv")', { kind: 'file', direction: 'read', target: 'in/orders.csv' }],
    ['spreadsheet written', 'python', 'df.to_excel("out/summary.xlsx")', { kind: 'file', client: 'spreadsheet', direction: 'write' }],
    ['spool in a SQL heredoc', 'shell', 'sqlplus -s u/p@db <<EOF\nspool /tmp/sales.csv\nselect 1 from dual;\nEOF', { kind: 'file', client: 'spool', direction: 'write', target: '/tmp/sales.csv' }],
    ['file named through a variable', 'python', "name = 'out_' + day + '.csv'\nf = open(name, 'w')", { kind: 'file', direction: 'write', target: 'out_{day}.csv' }],
  ])('%s', (_n, lang, text, want) => {
    const found = one(lang as never, text);
    expect(found, JSON.stringify(found)).toContainEqual(expect.objectContaining(want));
  });

  it.each([
    ['a commented-out command', 'shell', '# psql -c "drop table x"'],
    ['a word in a file name', 'shell', 'gzip -f ~/backups/site_$date.mysql'],
    ["Python's str.join is not join(1)", 'python', 'print(",".join(cols))'],
    ['pyodbc without a driver has no kind', 'python', 'conn = pyodbc.connect(dsn)'],
    ['local rsync is no transfer', 'shell', 'rsync -a /data/a/ /data/b/'],
  ])('no false fact: %s', (_n, lang, text) => {
    const facts = scanScript('x', lang as never, text);
    expect(facts.accesses.filter((a) => a.kind !== 'database' || a.database)).toEqual([]);
    expect(facts.rules).toEqual([]);
  });

  it('pyodbc takes its kind from the ODBC driver named in the file (the connection string and the connect call, not the import too)', () => {
    const a = one('python', "import pyodbc\ncs = 'DRIVER={ODBC Driver 17 for SQL Server};SERVER=sql1;DATABASE=x;UID=u;PWD=p4ss;'\nc = pyodbc.connect(cs)");
    expect(a.filter((x) => x.kind === 'database').map((x) => [x.line, x.database])).toEqual([[2, 'sqlserver'], [3, 'sqlserver']]);
  });
});

describe('business-rule candidates', () => {
  it.each([
    ['awk', "awk -F, '$3 > 1000 { print $1, $3 * 1.2 }' in.csv", 'awk', "awk -F, '$3 > 1000 { print $1, $3 * 1.2 }'"],
    ['sed', "sed -e 's/;/,/g' raw.txt > clean.txt", 'sed', "sed -e 's/;/,/g'"],
    ['sort -u', 'cut -d, -f1 a.csv | sort -t, -k2 -u > keys.txt', 'sort', 'sort -t, -k2 -u'],
    ['join', 'join -t, -1 1 -2 1 a.csv b.csv > c.csv', 'join', 'join -t, -1 1 -2 1 a.csv b.csv'],
  ])('%s in a shell script', (_n, line, tool, text) => {
    expect(scanScript('x.sh', 'shell', line).rules).toEqual([expect.objectContaining({ tool, text, line: 1 })]);
  });

  it('SQL WHERE with its AND lines, and CASE ... END, in SQL files and heredocs, not in comments', () => {
    const sql = "-- where nothing\nSELECT id,\n  CASE status WHEN 'A' THEN 'active' ELSE 'other' END AS s\nFROM t\nWHERE amount > 0\n  AND region = 'EU';\n/* UPDATE t SET x = 1\n WHERE y = 2 */\n";
    const r = scanScript('q.sql', 'sql', sql).rules;
    expect(r.map((x) => [x.tool, x.line, x.text])).toEqual([
      ['sql-case', 3, "CASE status WHEN 'A' THEN 'active' ELSE 'other' END"],
      ['sql-where', 5, "WHERE amount > 0 AND region = 'EU';"],
    ]);
    const sh = scanScript('r.sh', 'shell', 'case "$1" in\n  start) ;;\nesac\npsql db <<SQL\nselect * from a where b = 1;\nSQL\n').rules;
    expect(sh.map((x) => [x.tool, x.line])).toEqual([['sql-where', 5]]);
  });
});

describe('configuration, procedures and redaction', () => {
  it('lists environment variables and connection strings, never a password', () => {
    const f = scanScript('x.sh', 'shell', 'export PGHOST=db1\nDB_PASSWORD="s3cr3t!"\n: "${TARGET_DIR:-/data/out}"\nsqlplus scott/tiger@ORCL @a.sql\n');
    expect(f.config.map((c) => [c.name, c.value])).toEqual([
      ['PGHOST', 'db1'],
      ['DB_PASSWORD', 'REDACTED'],
      ['TARGET_DIR', '(from the environment; default /data/out)'],
      ['sqlplus', 'sqlplus scott/REDACTED@ORCL'],
    ]);
    expect(JSON.stringify(f)).not.toMatch(/s3cr3t|tiger/);
    const py = scanScript('x.py', 'python', 'h = os.environ["DB_HOST"]\np = os.getenv("API_TOKEN", "dev")\n').config;
    expect(py.map((c) => [c.name, c.value])).toEqual([['DB_HOST', '(from the environment)'], ['API_TOKEN', '(from the environment; default REDACTED)']]);
  });

  it.each([
    ['URL credentials', 'postgresql://etl:hunter22@db/x', 'postgresql://etl:REDACTED@db/x'],
    ['ODBC PWD', 'DRIVER={SQL Server};SERVER=s;UID=sa;PWD=P@ssw0rd;', 'DRIVER={SQL Server};SERVER=s;UID=sa;PWD=REDACTED;'],
    ['password= keyword', 'psycopg2.connect(user="u", password="hunter22")', 'psycopg2.connect(user="u", password="REDACTED")'],
    ['mysql -p attached', 'mysqldump -u root -phunter22 db', 'mysqldump -u root -pREDACTED db'],
    ['--password=', 'mysql --password=hunter22 db', 'mysql --password=REDACTED db'],
    ['sqlplus user/password@db', 'sqlplus -s scott/tiger@ORCL', 'sqlplus -s scott/REDACTED@ORCL'],
    ['cx_Oracle positional', 'cx_Oracle.connect("scott", "tiger", "h/x")', 'cx_Oracle.connect("scott", "REDACTED", "h/x")'],
    ['cx_Oracle connect string', "cx_Oracle.connect('lisa/asdft08@host:1521/x')", "cx_Oracle.connect('lisa/REDACTED@host:1521/x')"],
    ['curl basic auth', 'curl -u api:k3yk3y https://h/x', 'curl -u api:REDACTED https://h/x'],
    ['bearer header', 'curl -H "Authorization: Bearer abc.def" https://h', 'curl -H "Authorization: Bearer REDACTED" https://h'],
    ['a reference is kept', 'mysql -p$DB_PASS --password=${PW} db', 'mysql -p$DB_PASS --password=${PW} db'],
  ])('redacts %s', (_n, text, want) => {
    expect(redact(text)).toBe(want);
  });

  it('finds procedures defined and called', () => {
    const a = scanScript('p.sql', 'sql', 'CREATE OR REPLACE PROCEDURE "S1"."LOAD_DAY" (p in char) is\nbegin null; end;\nEXEC dbo.usp_nightly;\nCALL etl.refresh();\n').artifacts;
    expect(a.map((x) => [x.kind, x.name, x.line])).toEqual([['procedure', 'S1.LOAD_DAY', 1], ['procedure-call', 'dbo.usp_nightly', 3], ['procedure-call', 'etl.refresh', 4]]);
  });
});

describe('the inventory', () => {
  const files = [
    { file: 'legacy/crontab', text: '0 2 * * * /opt/etl/bin/load.sh scott tiger ORCL >> /var/log/load.log 2>&1\n30 6 * * 1 /opt/etl/bin/mystery.sh\n' },
    { file: 'legacy/bin/load.sh', text: '#!/bin/sh\nuser="$1"\npass="$2"\nsqlplus -s $user/$pass@$3 <<EOF\nspool /out/daily.csv\nselect * from sales where day = trunc(sysdate);\nEOF\nmailx -s "daily" ops@x < /out/daily.csv\n' },
    { file: 'legacy/api/push.py', text: 'import requests\nrequests.post("https://partner.example.com/in", data=open("/out/daily.csv"))\n' },
  ];
  const inv = buildInventory(files);

  it('resolves each schedule to its script inside the folders, and hides positional passwords', () => {
    expect(inv.schedules.map((s) => [s.line, s.script, s.command])).toEqual([
      [1, 'legacy/bin/load.sh', '/opt/etl/bin/load.sh scott REDACTED ORCL >> /var/log/load.log 2>&1'],
      [2, undefined, '/opt/etl/bin/mystery.sh'],
    ]);
    expect(JSON.stringify(inv)).not.toContain('tiger');
  });

  it('suggests answers with evidence', () => {
    expect(answersOf(inv.suggestions)).toEqual({
      legacy_stack: ['cron_shell', 'point_to_point', 'static_reports'],
      data_sources: ['csv', 'database', 'rest_api'],
      database_kind: 'oracle',
      patterns: ['etl', 'api', 'reporting'],
    });
    expect(inv.suggestions.database_kind!.evidence[0]).toMatchObject({ file: 'legacy/bin/load.sh', line: 4 });
  });

  it('picks the database kind seen in most files, and names the others', () => {
    const mixed = buildInventory([
      { file: 'a.sh', text: 'psql -c "select 1"' },
      { file: 'b.sh', text: 'psql -f x.sql' },
      { file: 'c.py', text: 'import pymysql' },
    ]);
    expect(mixed.suggestions.database_kind!.value).toBe('postgresql');
    expect(mixed.suggestions.database_kind!.evidence.at(-1)!.why).toBe('also mysql in 1 file');
  });

  it("matches a script by its name alone only within one system's folder, or across the folders given", () => {
    const cron = '0 1 * * * /opt/bin/run.sh\n';
    const of = (files: { file: string; text: string; root: string }[]) => buildInventory(files).schedules[0]!.script;
    expect(of([{ file: 'all/sysA/crontab', text: cron, root: 'all' }, { file: 'all/sysB/run.sh', text: 'true', root: 'all' }])).toBeUndefined();
    expect(of([{ file: 'all/sysA/crontab', text: cron, root: 'all' }, { file: 'all/sysA/jobs/run.sh', text: 'true', root: 'all' }])).toBe('all/sysA/jobs/run.sh');
    expect(of([{ file: 'spool/crontabs/etl', text: cron, root: 'spool' }, { file: 'scripts/x/run.sh', text: 'true', root: 'scripts' }])).toBe('scripts/x/run.sh');
    expect(of([{ file: 'legacy/crontab', text: cron, root: 'legacy' }, { file: 'legacy/x/run.sh', text: 'true', root: 'legacy' }])).toBe('legacy/x/run.sh');
  });

  it('a script name that fits two files equally resolves to neither', () => {
    expect(resolveScript('/x/run.sh', ['a/run.sh', 'b/run.sh'])).toBeUndefined();
    expect(resolveScript('/opt/b/run.sh', ['a/run.sh', 'b/run.sh'])?.script).toBe('b/run.sh');
    expect(resolveScript('cd /app && python3 -m jobs.nightly', ['app/jobs/nightly.py'])?.script).toBe('app/jobs/nightly.py');
  });

  it('fills the region between the markers and nothing else, keeping CRLF', () => {
    const doc = '# A\r\nmine\r\n<!-- assess:start -->\r\nOLD-CONTENT\r\n<!-- assess:end -->\r\nafter\r\n';
    const out = replaceRegion(doc, assessmentRegion(inv, (f, l) => `../${f}#L${l}`))!;
    expect(out.startsWith('# A\r\nmine\r\n<!-- assess:start -->\r\n')).toBe(true);
    expect(out.endsWith('<!-- assess:end -->\r\nafter\r\n')).toBe(true);
    expect(out).not.toContain('OLD-CONTENT');
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out).toContain('[legacy/crontab:1](../legacy/crontab#L1)');
    expect(out).toContain('| RC-001 | `where day = trunc(sysdate);` | sql-where | [legacy/bin/load.sh:6](../legacy/bin/load.sh#L6) |');
    expect(out).toContain('| legacy/bin/load.sh | oracle via sqlplus | `0 2 * * *` ([legacy/crontab:1](../legacy/crontab#L1)) | [legacy/bin/load.sh:4](../legacy/bin/load.sh#L4) |');
    expect(replaceRegion('no markers', 'x')).toBeUndefined();
  });

  it("becomes the defaults of the template's questions, each message naming its evidence", () => {
    const q = (key: string, extra: object = {}) => ({ key, type: 'multi' as const, message: key, required: true, multiline: false, integer: false, ...extra });
    const spec = {
      name: 't', version: '1.0.0', files: {} as never,
      questions: [
        q('legacy_stack', { choices: ['cron_shell', 'point_to_point', 'static_reports'].map((v) => ({ value: v, label: v })), default: ['manual_process'] }),
        q('patterns', { choices: ['etl', 'api', 'reporting'].map((v) => ({ value: v, label: v })), defaultFrom: [{ when: {}, add: ['etl'] }] }),
        q('owner', { type: 'text', default: 'x' }),
      ],
    } as unknown as TemplateSpec;
    const out = withSuggestedDefaults(spec, inv.suggestions).questions;
    expect(out[0]!.default).toEqual(['cron_shell', 'point_to_point', 'static_reports']);
    expect(out[0]!.message).toBe('legacy_stack (suggested by assess from legacy/crontab:1 and 5 more)');
    expect(out[1]!.defaultFrom).toBeUndefined();
    expect(out[1]!.default).toEqual(['etl', 'api', 'reporting']);
    expect(out[2]).toEqual(spec.questions[2]);
  });
});
