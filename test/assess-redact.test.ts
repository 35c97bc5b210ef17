import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactDeep } from '../src/core/assess/redact.js';
import { textReport } from '../src/core/assess/report.js';
import { buildInventory } from '../src/core/assess/scan.js';
import { runCli, tempDir } from './helpers/cli.js';

/**
 * Every shape of secret a legacy script writes (issue 19), one row each: the secret never survives
 * `redact`, the text around it does. The same lines then go through the real CLI, and no output
 * (text, --json, docs/assessment.md after --write) carries any of them.
 */
const SHAPES: [string, string, string, string][] = [
  // [shape, file, line, secret]
  ['JDBC SQL Server ;password=', 'load.sh', 'java -cp x.jar Load "jdbc:sqlserver://db1:1433;databaseName=sales;user=etl;password=Jd8cS3rv"', 'Jd8cS3rv'],
  ['JDBC URL user:password@', 'load.sh', 'psql "postgresql://etl:Pg9Url7x@db2/sales" -c "select 1"', 'Pg9Url7x'],
  ['sqlcmd -P', 'load.sh', 'sqlcmd -S sql1 -U sa -P Sq1Cmd9z -Q "select 1"', 'Sq1Cmd9z'],
  ['sqlcmd -P quoted', 'load.sh', "sqlcmd -S sql1 -U sa -P 'Sq1Quo7e' -i x.sql", 'Sq1Quo7e'],
  ['bcp -P', 'load.sh', 'bcp sales.dbo.t out t.csv -S sql1 -U sa -P Bcp5ecr3 -c', 'Bcp5ecr3'],
  ['Perl DBI->connect(dsn, user, password)', 'x.pl', 'my $dbh = DBI->connect("dbi:Pg:dbname=sales;host=db3", "etl", "Dbi7Pass");', 'Dbi7Pass'],
  ["Perl DBI->connect(dsn, user, 'password')", 'x.pl', "my $dbh = DBI->connect($dsn, 'etl', 'Dbi8Quot');", 'Dbi8Quot'],
  ['sshpass -p', 'push.sh', 'sshpass -p Ssh9Pass scp out.csv etl@files1:/in/', 'Ssh9Pass'],
  ["sshpass -p'quoted'", 'push.sh', "sshpass -p'Ssh4Quot' sftp etl@files1", 'Ssh4Quot'],
  ['lftp -u user,password', 'push.sh', 'lftp -u etl,Lftp6pwd -e "put out.csv; bye" ftp.example.com', 'Lftp6pwd'],
  ['smbclient -U user%password', 'push.sh', "smbclient //fs1/share -U 'etl%Smb5pass' -c 'put out.csv'", 'Smb5pass'],
  ['smbclient --user=DOMAIN\\user%password', 'push.sh', 'smbclient //fs1/share --user=CORP\\etl%Smb6dom -c "get in.csv"', 'Smb6dom'],
  ['mysql -p"password"', 'dump.sh', 'mysqldump -u root -p"My7Quote" sales > sales.sql', 'My7Quote'],
  ["mysql -p'password'", 'dump.sh', "mysql -u root -p'My8Singl' -e 'select 1'", 'My8Singl'],
  ['mysql -ppassword', 'dump.sh', 'mysql -u root -pMy9Plain sales < load.sql', 'My9Plain'],
  ['mariadb-dump -p"password"', 'dump.sh', 'mariadb-dump --skip-ssl -h db -u"root" -p"Mar1aPwd" --all-databases > all.sql', 'Mar1aPwd'],
  ['--password=', 'dump.sh', 'mysqldump --user=root --password=Eq5Passw sales > s.sql', 'Eq5Passw'],
  ['--password value', 'dump.sh', 'pg_dump --password Sp4ceVal -h db sales > s.sql', 'Sp4ceVal'],
  ['PGPASSWORD=', 'dump.sh', 'PGPASSWORD=Pg5Envvv pg_dump -h db sales > s.sql', 'Pg5Envvv'],
  ['URL userinfo (ftp)', 'push.sh', 'curl -T out.csv ftp://etl:Ftp3Url9@ftp.example.com/in/', 'Ftp3Url9'],
  ['curl -u user:password', 'push.sh', 'curl -u etl:Curl7pwd https://api.example.com/upload -F f=@out.csv', 'Curl7pwd'],
  ['Authorization: Bearer', 'push.sh', 'curl -H "Authorization: Bearer Tok3nAbc123" https://api.example.com/v1/orders', 'Tok3nAbc123'],
  ['sqlplus user/password@db', 'rep.sh', 'sqlplus -s scott/Ora5Tgr@ORCL @report.sql', 'Ora5Tgr'],
  ['expdp user/password', 'rep.sh', 'expdp system/Exp4Pwd directory=D dumpfile=x.dmp', 'Exp4Pwd'],
  ['cx_Oracle.connect(user, password, dsn)', 'x.py', 'conn = cx_Oracle.connect("scott", "CxO9pwd", "db/ORCL")', 'CxO9pwd'],
  ['pymysql.connect(host, user, password)', 'x.py', 'conn = pymysql.connect("db", "etl", "PyMy8pwd", "sales")', 'PyMy8pwd'],
  ['password= keyword', 'x.py', 'conn = psycopg2.connect(host="db", user="etl", password="Psy7Kwd")', 'Psy7Kwd'],
  ['PHP new PDO(dsn, user, password)', 'x.php', '$conn = new PDO("mysql:host=db;dbname=x", "root", "Pdo6Pass");', 'Pdo6Pass'],
  ['PHP mysqli_connect(host, user, password)', 'x.php', "$c = mysqli_connect('db', 'root', 'Mysq1i5p', 'x');", 'Mysq1i5p'],
  ['PHP $pwd = "..."', 'x.php', '$pwd = "Stech3162..,";', 'Stech3162..,'],
  ['PHP oci_connect(user, password)', 'x.php', "$c = oci_connect('scott', 'Oci4Pass', 'db/ORCL');", 'Oci4Pass'],
  ['Ruby password:', 'x.rb', "conn = PG.connect(host: 'db', user: 'etl', password: 'Rb3Passw')", 'Rb3Passw'],
  ['ncftpput -p', 'push.sh', 'ncftpput -u etl -p Ncf7pass ftp.example.com /in out.csv', 'Ncf7pass'],
  ['IDENTIFIED BY', 'x.sql', 'CREATE USER etl IDENTIFIED BY Idb9Secret;', 'Idb9Secret'],
  ['Azure SAS signature', 'push.sh', 'azcopy copy out.csv "https://acct.blob.core.windows.net/in/out.csv?sv=2022-11-02&sig=Sas0Sig%2Bxyz"', 'Sas0Sig%2Bxyz'],
  ['AWS access key id', 'push.sh', 'export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP', 'AKIAABCDEFGHIJKLMNOP'],
  ['api key header', 'push.sh', 'curl -H "X-Api-Key: Key5abcdef" https://api.example.com/v1/x', 'Key5abcdef'],
];

describe('redaction of every secret shape', () => {
  it.each(SHAPES)('%s', (_shape, _file, line, secret) => {
    const out = redact(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
    // The rest of the line is kept: only the secret goes.
    expect(out.length).toBeGreaterThan(REDACTED.length + 5);
  });

  it('leaves references alone ($VAR, ${VAR}, environment lookups) and is idempotent', () => {
    for (const l of ['mysql -u root -p"$DB_PASS" x', 'sshpass -p "$SSHPASS" scp a b:', 'password=os.environ["PW"]', 'PGPASSWORD=${PW} psql']) expect(redact(l)).toBe(l);
    const once = redact(SHAPES.map((s) => s[2]).join('\n'));
    expect(redact(once)).toBe(once);
  });

  it('reaches every string of a nested value', () => {
    const v = redactDeep({ a: ['sqlcmd -P Sq1Cmd9z'], b: { c: 'lftp -u etl,Lftp6pwd host' }, n: 3, t: true });
    expect(JSON.stringify(v)).not.toMatch(/Sq1Cmd9z|Lftp6pwd/);
    expect(v).toMatchObject({ n: 3, t: true });
  });

  it('hides them in every field of a scan: texts, commands, configuration, rules', () => {
    const sources = SHAPES.map(([, file, line], i) => ({ file: `legacy/${i}/${file}`, text: `${line}\n` }));
    sources.push({ file: 'legacy/cron/etl.crontab', text: SHAPES.filter(([, f]) => f.endsWith('.sh')).map(([, , l]) => `0 2 * * * ${l}`).join('\n') });
    const inv = buildInventory(sources);
    const all = `${JSON.stringify(inv)}\n${textReport(inv).join('\n')}`;
    for (const [shape, , , secret] of SHAPES) expect(all, shape).not.toContain(secret);
  });

  it('the CLI prints none of them (text, --json) and writes none into docs/assessment.md', async () => {
    const tmp = tempDir();
    for (const [i, [, file, line]] of SHAPES.entries()) {
      mkdirSync(path.join(tmp, 'legacy', String(i)), { recursive: true });
      writeFileSync(path.join(tmp, 'legacy', String(i), file), `${file.endsWith('.sh') ? '#!/bin/sh\n' : ''}${line}\n`);
    }
    mkdirSync(path.join(tmp, 'legacy/cron'));
    writeFileSync(path.join(tmp, 'legacy/cron/etl.crontab'), SHAPES.filter(([, f]) => f.endsWith('.sh')).map(([, , l]) => `0 2 * * * ${l}`).join('\n'));
    const gen = await runCli(['proj', '--yes', '--no-git'], { cwd: tmp });
    expect(gen.code, gen.stderr).toBe(0);
    const text = await runCli(['assess', '../legacy'], { cwd: path.join(tmp, 'proj') });
    const json = await runCli(['assess', '../legacy', '--json'], { cwd: path.join(tmp, 'proj') });
    const write = await runCli(['assess', '../legacy', '--write'], { cwd: path.join(tmp, 'proj') });
    for (const r of [text, json, write]) expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(json.stdout).accesses.length).toBeGreaterThan(20);
    const doc = readFileSync(path.join(tmp, 'proj/docs/assessment.md'), 'utf8');
    expect(doc).toContain('sqlcmd');
    for (const [shape, , , secret] of SHAPES) for (const out of [text.stdout, text.stderr, json.stdout, write.stdout, doc]) expect(out, shape).not.toContain(secret);
  });
});

describe('legacy names and lines on the terminal', () => {
  it('control characters and escape sequences in file names and lines are shown escaped, never sent raw', async () => {
    const tmp = tempDir();
    mkdirSync(path.join(tmp, 'legacy'));
    const evil = 'job\u001b]0;owned\u0007\u001b[2J.sh';
    writeFileSync(path.join(tmp, 'legacy', evil), '#!/bin/sh\npsql -h db1 -c "select 1" # \u001b[31mred\u001b[0m \u202eevil\n');
    writeFileSync(path.join(tmp, 'legacy', 'etl.crontab'), `0 2 * * * /opt/${evil}\n0 3 * * * /opt/run.sh \u202eevil\n`);
    const r = await runCli(['assess', 'legacy'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(r.stdout).toContain('legacy/job\\x1b]0;owned\\x07\\x1b[2J.sh');
    expect(r.stdout).toContain('\\u202eevil');
    // --json keeps the names as they are (JSON escapes them itself).
    const j = await runCli(['assess', 'legacy', '--json'], { cwd: tmp });
    expect(JSON.parse(j.stdout).files.map((f: { file: string }) => f.file)).toContain(`legacy/${evil}`);
  });
});
