import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessLabel } from '../src/core/assess/report.js';
import { buildInventory, type Inventory } from '../src/core/assess/scan.js';
import { scanScript } from '../src/core/assess/script.js';
import { DEFAULT_LIMITS, walk } from '../src/edge/assess-walk.js';
import { ROOT } from './helpers/cli.js';

/**
 * Each kind of gap issue 22 lists, on real files (test/fixtures/assess/heldout and assess-gaps, named
 * in SOURCES.md) where one was found, and on a few lines otherwise.
 */

const read = (dir: string): Inventory => {
  const full = path.join(ROOT, 'test/fixtures', dir);
  const w = walk([full], full, DEFAULT_LIMITS);
  return buildInventory(w.sources, w.notes);
};
const held = read('assess/heldout');
const gaps = read('assess-gaps');
const of = (inv: Inventory, file: string) => inv.accesses.filter((a) => a.file === file);
const sched = (inv: Inventory, file: string) => inv.schedules.filter((s) => s.file === file).map((s) => [s.line, s.cron ?? s.expression, s.script ?? '-', s.installed ?? false]);

describe('schedules that are not in a crontab file', () => {
  it('cron lines a script appends to /etc/crontabs/root (the commented ones are not schedules)', () => {
    expect(sched(held, 'pjstack/entrypoint.sh')).toEqual([
      [7, '0 3 * * 1-5', 'pjstack/backup_diario.sh', true],
      [9, '0 4 * * 6', 'pjstack/backup_sabado.sh', true],
    ]);
    expect(held.schedules.find((s) => s.file === 'pjstack/entrypoint.sh')!.words).toBe('at 03:00 on Monday to Friday');
  });

  it('(crontab -l; echo "$SCHEDULE $SCRIPT") | crontab -, with both held in variables of the file', () => {
    expect(sched(held, 'seclab/mysql_server/scripts/setup_cron.sh')).toEqual([
      [17, '45 22 * * *', 'seclab/mysql_server/scripts/backup_mysql.sh', true],
      [27, '40 16 * * *', 'seclab/mysql_server/scripts/backup_mysqlconfig.sh', true],
    ]);
    // The line is installed at line 11; the grep at line 8 only checks for it.
    expect(sched(held, 'seclab/CA-server/scripts/cron_setup_backup.sh')).toEqual([[11, '0 1 * * *', 'seclab/CA-server/scripts/backup_ca_config.sh', true]]);
  });

  it('a line whose time fields are filled in at deploy time is reported, with the unknown fields said so', () => {
    const s = held.schedules.find((x) => x.file === 'mysql-backuper/entrypoint.sh')!;
    expect(s).toMatchObject({ line: 21, expression: '${SCHEDULE}', placeholders: ['${SCHEDULE}'], script: 'mysql-backuper/database_backup.sh', installed: true });
    expect(s.cron).toBeUndefined();
    expect(s.words).toBe('set at deploy time: all five fields (${SCHEDULE}) not known from the scanned files');
    // A crontab template whose minute and hour a sed fills in.
    const t = buildInventory([{ file: 'cron/etl.crontab', text: 'MINUTE HOUR * * 1-5 /opt/etl/run.sh\n' }, { file: 'deploy.sh', text: "sed -i \"s/MINUTE/$M/;s/HOUR/$H/\" cron/etl.crontab\n" }]).schedules;
    expect(t).toEqual([expect.objectContaining({ expression: 'MINUTE HOUR * * 1-5', placeholders: ['MINUTE', 'HOUR'], words: 'set at deploy time: minute MINUTE and hour HOUR not known from the scanned files' })]);
    expect(t[0]!.cron).toBeUndefined();
  });

  it('crontab lines kept inside a shell script', () => {
    expect(sched(held, 'proyectogrupal/cronjobs/crons_etl.bash')).toEqual([
      [15, '00 01 * * *', 'proyectogrupal/cronjobs/cron_2_transform.sh', false],
      [16, '00 04 * * *', 'proyectogrupal/cronjobs/cron_3_cargar.sh', false],
    ]);
  });

  it('heredocs into crontab - and into /etc/crontab (a system crontab: its user field read)', () => {
    const a = scanScript('setup.sh', 'shell', 'crontab - <<EOF\n0 3 * * * /opt/etl/nightly.sh\nEOF\ncat >> /etc/crontab <<END\n30 4 * * 0 etl /opt/etl/weekly.sh\nEND\necho done\n').schedules;
    expect(a.map((s) => [s.line, s.kind, s.cron, s.user, s.command])).toEqual([
      [2, 'crontab', '0 3 * * *', undefined, '/opt/etl/nightly.sh'],
      [5, 'system-crontab', '30 4 * * 0', 'etl', '/opt/etl/weekly.sh'],
    ]);
  });
});

describe('sources and sinks the scanners missed', () => {
  it('a command continued over lines with \\ (the bucket is on the next line)', () => {
    expect(of(held, 'k8s-vendor-matcher/09-download-expanded-ips.sh').filter((a) => a.kind === 'storage').map((a) => [a.line, a.client, a.direction, a.target])).toEqual([
      [5, 'bq', 'write', 'gs://ii_bq_scratch_dump/vendor-$TIMESTAMP-*.csv'],
      [12, 'gsutil', 'read', 'gs://ii_bq_scratch_dump/vendor-$TIMESTAMP-*.csv'],
    ]);
  });

  it('hosts and directions set in variables of the same file', () => {
    const a = scanScript('push.sh', 'shell', 'HOST=ftp.example.com\nUSER=etl\nftp -n $HOST <<END\nuser etl x\nput out.csv\nEND\nsftp ${USER}@${HOST} <<EOF\nget in.csv\nEOF\n').accesses.filter((x) => x.kind === 'transfer');
    expect(a.map((x) => [x.line, x.client, x.host, x.direction])).toEqual([
      [3, 'ftp', 'ftp.example.com', 'write'],
      [7, 'sftp', 'ftp.example.com', 'read'],
    ]);
  });

  it('URLs held in Python constants, lists and default arguments', () => {
    const text = [
      'import requests',
      'BASE_URL = "https://api.example.com/v2"',
      'SOURCES = ("https://feeds.example.org/a.csv", "https://feeds.example.org/b.csv")',
      'def fetch(url=BASE_URL):',
      '    return requests.get(url)',
      'def post(endpoint="https://hooks.example.net/in"):',
      '    requests.post(endpoint, json={})',
      'for u in SOURCES:',
      '    requests.get(u)',
    ].join('\n');
    const a = scanScript('job.py', 'python', text).accesses.filter((x) => x.kind === 'http');
    expect(a.map((x) => [x.line, x.method, x.host])).toEqual([
      [5, 'GET', 'api.example.com'],
      [7, 'POST', 'hooks.example.net'],
      [9, 'GET', 'feeds.example.org'],
    ]);
  });

  it('cloud storage: gsutil, rclone, boto3 and the AWS SDK for Ruby, each with its direction', () => {
    const rows = (inv: Inventory, f: string) => of(inv, f).filter((a) => a.kind === 'storage').map((a) => [a.client, a.direction, a.target]);
    expect(rows(held, 'proyectogrupal/cronjobs/cron_3_cargar.sh')).toEqual([['gsutil', 'write', 'gs://1_transform/'], ['gsutil', 'write', 'gs://2_pipelines']]);
    expect(rows(held, 'pjstack/upload.sh')).toEqual([['rclone', 'write', 'mega:/BackupsLegendarios']]);
    expect(rows(held, 'engdemo/batch_s3_etl.py')).toEqual([['boto3 s3', 'write', 's3']]);
    expect(rows(held, 'seferbiz/backup_server.rake')).toEqual([['aws-sdk s3', 'write', 's3']]);
    const a = scanScript('x.sh', 'shell', 'aws s3 cp s3://bucket-in/daily/x.csv /data/in/\nazcopy copy /data/out "https://acct.blob.core.windows.net/out" --recursive\n').accesses;
    expect(a.map((x) => [x.kind, x.client, x.direction, x.target])).toEqual([
      ['storage', 'aws s3', 'read', 's3://bucket-in/daily/x.csv'],
      ['storage', 'azcopy', 'write', 'https://acct.blob.core.windows.net/out'],
    ]);
    expect(accessLabel(a[0]!)).toBe('cloud storage via aws s3 from s3://bucket-in/daily/x.csv, read');
  });

  it('parquet files written and read', () => {
    expect(of(held, 'engdemo/batch_s3_etl.py').filter((a) => a.kind === 'file').map((a) => [a.client, a.direction])).toEqual([['parquet', 'write']]);
    expect(of(held, 'engdemo/batch_rds_etl.py').filter((a) => a.kind === 'file').map((a) => [a.client, a.direction])).toEqual([['parquet', 'read']]);
  });

  it('Perl DBI connections built from variables', () => {
    expect(of(held, 'koha/patron_export.pl').filter((a) => a.kind === 'database').map((a) => [a.line, a.database, a.direction])).toEqual([[21, 'oracle', 'read']]);
    const a = scanScript('x.pl', 'perl', 'my $host = "db7.corp";\nmy $dsn = "dbi:mysql:$database:$host:3306";\nmy $dbh = DBI->connect($dsn, $user, $pw);\nmy $sth = $dbh->prepare("insert into t values (?)");\n').accesses;
    expect(a.map((x) => [x.line, x.database, x.host, x.direction])).toEqual([[2, 'mysql', 'db7.corp', 'write']]);
  });

  it('PHP, Ruby and Node batch scripts are read: database clients, HTTP, transfers, files, mail', () => {
    expect(of(held, 'tracknew/automata/db_connect.php').map((a) => [a.kind, a.client, a.database, a.host])).toEqual([['database', 'PDO', 'mysql', 'localhost']]);
    // The connection is made in the included file: its kind is this script's.
    expect(of(held, 'tracknew/automata/FTPDirecto/EJ_EVENTS.php').map((a) => [a.kind, a.database ?? a.target ?? a.host, a.direction])).toEqual([
      ['database', 'mysql', 'read'],
      ['file', 'C:/inetpub/wwwroot/track/automata/events.csv', 'write'],
      ['transfer', '198.41.33.80', 'write'],
    ]);
    expect(of(held, 'tracknew/mailxhorascron.php').map((a) => [a.kind, a.method, a.host])).toEqual([['http', 'GET', 'www.gpsimple.cl']]);
    expect(of(held, 'seferbiz/backup_server.rake').map((a) => [a.kind, a.client, a.direction])).toEqual([['database', 'pg_dump', 'read'], ['storage', 'aws-sdk s3', 'write']]);
    expect(of(gaps, 'sqlcron/index.js').map((a) => [a.kind, a.client, a.database ?? '', a.direction])).toEqual([['database', 'mysql', 'mysql', 'read'], ['mail', 'nodemailer', '', 'write']]);
    expect(JSON.stringify(gaps)).not.toContain('newthing123');
  });
});

describe('false findings', () => {
  it('no database kind from paths and names that contain mysql or mariadb, nor from a word in an echo or a mail subject', () => {
    expect(of(held, 'seclab/mysql_server/scripts/backup_mysqlconfig.sh').filter((a) => a.kind === 'database')).toEqual([]);
    expect(of(held, 'seclab/mysql_server/scripts/backup_mysql.sh').map((a) => [a.line, a.kind])).toEqual([[5, 'database'], [17, 'transfer']]);
    const a = scanScript('x.sh', 'shell', 'echo "starting mysql backup"\nmailx -s "mysql dump done" ops@example.com < /tmp/log\nrm -rf /var/lib/mysql/tmp\nMYSQL_HOME=/opt/mariadb\n').accesses;
    expect(a.map((x) => [x.line, x.kind])).toEqual([[2, 'mail']]);
  });

  it("no Oracle from a Python variable named exp", () => {
    expect(scanScript('x.py', 'python', 'import math\nexp = math.exp(2)\nprint(exp)\n').accesses).toEqual([]);
  });

  it('downloads of code, installers, keys and package lists are never data sources; a data file from the same kind of host is', () => {
    for (const f of ['proyectogrupal/1_setup_1_etl.bash', 'proyectogrupal/6_trnsfrm_gmaps_yelp.sh', 'proyectogrupal/cronjobs/cron_0_setup.sh', 'proyectogrupal/cronjobs/cron_1_extract.sh', 'proyectogrupal/cronjobs/cron_2_transform.sh']) expect(of(held, f), f).toEqual([]);
    expect(of(held, 'proyectogrupal/2_extract_datoscrudos.bash').filter((a) => a.kind === 'http').map((a) => [a.line, a.host])).toEqual([
      [9, 'drive.google.com'], [18, 'drive.google.com'], [21, 'drive.google.com'], [22, 'drive.google.com'], [30, 'www2.census.gov'],
    ]);
    const a = scanScript('x.sh', 'shell', 'curl -fsSL https://get.docker.com | sh\nwget https://bootstrap.pypa.io/get-pip.py\nwget https://github.com/x/y/releases/download/v1.2/tool-linux-amd64.tar.gz\nwget https://example.org/pkg_1.0_amd64.deb\nwget https://raw.githubusercontent.com/org/data/main/prices.csv\n').accesses;
    expect(a.map((x) => [x.line, x.host])).toEqual([[5, 'raw.githubusercontent.com']]);
  });

  it('one database fact per connection, not one for the import and one for the connect call', () => {
    for (const f of ['engdemo/batch_rds_etl.py', 'engdemo/batch_s3_etl.py', 'engdemo/incremental_s3_etl.py']) expect(of(held, f).filter((a) => a.kind === 'database'), f).toHaveLength(1);
  });

  it('an SFTP download is "sftp from", an upload "sftp to"', () => {
    const a = scanScript('x.sh', 'shell', 'sftp etl@files1:/out/report.csv /data/in/\nsftp -b batch.txt etl@files2\n').accesses;
    expect(a.map((x) => [x.direction, accessLabel(x)])).toEqual([
      ['read', 'sftp from files1, read'],
      [undefined, 'sftp with files2'],
    ]);
    expect(of(held, 'seclab/CA-server/scripts/backup_ca_config.sh').map(accessLabel)).toEqual(['sftp to 10.0.0.4, write']);
  });
});
