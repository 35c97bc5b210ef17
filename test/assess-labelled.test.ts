import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../src/core/assess/scan.js';
import { DEFAULT_LIMITS, walk } from '../src/edge/assess-walk.js';
import { ROOT } from './helpers/cli.js';

/**
 * A labelled set read from public repositories (test/fixtures/assess/SOURCES.md): what a careful
 * person reading each file would list. Recall and precision are computed over it and printed.
 */

const FIXTURES = path.join(ROOT, 'test/fixtures/assess');

// Every active cron entry, timer and Jenkins trigger: [file, line, cron fields, script found in the folders].
const MSO = 'mso45/cronbackup.txt';
const SCHEDULES: [string, number, string, string?][] = [
  ['dhis2/pg_backup.cron', 1, '0 23 * * *', 'dhis2/pg_backup.sh'],
  ['media-server/backup.timer', 10, '55 5 * * *', 'media-server/backup.sh'],
  ['dc-help/Jenkinsfile', 6, '0 0 2 * *'],
  ['pheno-db/pheno_pg_dump_automated.sql', 2, '0 8 * * *'],
  ['pheno-db/pheno_pg_dump_automated.sql', 5, '0 3 * * *'],
  [MSO, 1, '00 06 * * *'],
  [MSO, 5, '00 08 * * *', 'mso45/MSO_FIN_COLLECTION_REG.sh'],
  [MSO, 6, '55 11 * * *', 'mso45/MSO_FIN_COLLECTION_REG.sh'],
  [MSO, 7, '25 14 * * *', 'mso45/MSO_FIN_COLLECTION_REG.sh'],
  [MSO, 8, '55 19 * * *', 'mso45/MSO_FIN_COLLECTION_REG.sh'],
  [MSO, 88, '00 00 * * *'],
  [MSO, 90, '30 00 * * *'],
  [MSO, 92, '40 00 * * *'],
  [MSO, 94, '00 03 * * *'],
  [MSO, 96, '10 03 * * *'],
  [MSO, 98, '25 03 * * *'],
  [MSO, 100, '40 03 * * *'],
  [MSO, 102, '45 03 * * *'],
  [MSO, 104, '50 03 * * *'],
  [MSO, 106, '55 03 * * *'],
  [MSO, 108, '00 04 * * *'],
  [MSO, 113, '30 01 * * *'],
  [MSO, 118, '30 00,04,07,09 * * *'],
  [MSO, 119, '30 02,06 * * *'],
  [MSO, 120, '30 03 * * *'],
  [MSO, 121, '30 01,05,08 * * *'],
  [MSO, 123, '00 01,02,03,04,05,06,07,08,09,10 * * *'],
  // Held out: labelled before assess was first run on them.
  ['imladris/crontab', 1, '*/5 * * * *'],
  ['imladris/crontab', 2, '*/10 * * * *'],
  ['imladris/crontab', 3, '0 3 * * *'],
  ['imladris/crontab', 4, '17 3 * * 1,3,5'],
  ['imladris/crontab', 5, '17 15 * * 1,3,5'],
  ['imladris/crontab', 6, '37 2 * * 4'],
  ['imladris/crontab', 7, '43 3 * * 2'],
];

// The database each script talks to (none: it talks to no database).
const DATABASES: [string, string | null][] = [
  ['dhis2/pg_backup.sh', 'postgresql'],
  ['pheno-db/pheno_pg_dump_automated.sql', 'postgresql'],
  ['withdata/rest_to_postgre.py', 'postgresql'],
  ['easey/procedure_bulk_file_requeue_check.sql', 'postgresql'],
  ['eldie/cumpleanosdeldia.sh', 'oracle'],
  ['eldie/controles.sh', 'oracle'],
  ['mso45/MSO_FIN_COLLECTION_REG.sh', 'oracle'],
  ['mso45/MSO_FIN_STB_ACT_RPT.sh', 'oracle'],
  ['savior/savior_cardno_101419.sh', 'oracle'],
  ['sbxtreme/export_data_db_to_csv.py', 'oracle'],
  ['oracle-report/reports.py', 'oracle'],
  ['tipo/BATCH_JUDGE.sql', 'oracle'],
  ['onelife/mainBackupPush.sh', 'mysql'],
  ['qcn/backupdb.sh', 'mysql'],
  ['testdb/my_testDB.py', 'sqlserver'],
  ['media-server/backup.sh', null],
  ['dc-help/Jenkinsfile', null],
  ['traffic-history/Weather.pl', 'mysql'],
  ['code-block-perl/07_DBControl.pl', 'mysql'],
];

// Other facts a reader lists: [file, kind, what].
const OTHER: [string, string, string][] = [
  ['dhis2/pg_backup.sh', 'transfer', 'backup.com'],
  ['onelife/mainBackupPush.sh', 'transfer', 'backup.onehouronelife.com'],
  ['qcn/backupdb.sh', 'transfer', 'qcn-upl'],
  ['withdata/rest_to_postgre.py', 'http', 'GET jsonplaceholder.typicode.com'],
  ['traffic-history/Weather.pl', 'http', 'POST api.wunderground.com'],
  ['code-block-perl/07_DBControl.pl', 'sql-where', 'where num in (?,?,?,?)'],
  ['eldie/cumpleanosdeldia.sh', 'mail', 'mailx'],
  ['eldie/controles.sh', 'mail', 'mailx'],
  ['savior/savior_cardno_101419.sh', 'mail', 'mutt'],
  ['oracle-report/reports.py', 'mail', 'mailx'],
  ['savior/savior_cardno_101419.sh', 'file', 'write savior_cardno_101419_$DT.csv'],
  ['sbxtreme/export_data_db_to_csv.py', 'file', 'write emp_read_file_{timestr}.csv'],
  ['testdb/my_testDB.py', 'file', 'write Saved_data.csv'],
  ['mso45/MSO_FIN_COLLECTION_REG.sh', 'file', 'write $location/MSO_FIN_COLLECTIONS_REG.xls'],
  ['easey/procedure_bulk_file_requeue_check.sql', 'procedure', 'camdaux.procedure_bulk_file_requeue_check'],
  ['tipo/BATCH_JUDGE.sql', 'procedure', 'S193.BATCH_JUDGE'],
  ['mso45/MSO_FIN_COLLECTION_REG.sh', 'procedure-call', 'MSO_FIN_COLL_REGISTER_REPORT'],
  ['mso45/MSO_FIN_STB_ACT_RPT.sh', 'procedure-call', 'MSO_FIN_STB_ACT'],
  ['savior/savior_cardno_101419.sh', 'sql-where', "where cardno like '101419%'"],
  ['sbxtreme/export_data_db_to_csv.py', 'sql-where', "where hiredate=to_date(:d,'YYYYMMDD') and deptno=:dno"],
  ['oracle-report/reports.py', 'sql-where', "WHERE A.TYPE = 'Dealer'"],
  ['easey/procedure_bulk_file_requeue_check.sql', 'sql-where', "where jl.status_cd::text = 'ERROR'::text"],
];

// Passwords published in these files: never in any output.
const SECRETS = ['Admin2013', 'pin123', 'r2cs2c2r24', 'Abcd.1234', 'secret1', 'secret2', '-pPWD', '"pass"'];

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

describe('the labelled set from public repositories', () => {
  const w = walk([FIXTURES], FIXTURES, DEFAULT_LIMITS);
  // The held-out set of issue 22 has its own labels and test (assess-heldout.test.ts).
  const inv = buildInventory(w.sources.filter((s) => !s.file.startsWith('heldout')), w.notes.filter((n) => !n.file.startsWith('heldout')));

  it('finds every schedule, with its cron form and script, and nothing that is not one', () => {
    const found = inv.schedules.map((s) => `${s.file}:${s.line} ${s.cron} ${s.script ?? '-'}`);
    const want = SCHEDULES.map(([f, l, c, s]) => `${f}:${l} ${c} ${s ?? '-'}`);
    const hit = want.filter((x) => found.includes(x)).length;
    const recall = ratio(hit, want.length);
    const precision = ratio(found.filter((x) => want.includes(x)).length, found.length);
    console.log(`assess labelled set: schedules ${hit}/${want.length} recall ${recall.toFixed(2)}, precision ${precision.toFixed(2)}`);
    expect(found.sort()).toEqual(want.sort());
  });

  it('names the database kind of every script that has one, and never a wrong one', () => {
    const kindsOf = (file: string) => new Set(inv.accesses.filter((a) => a.file === file && a.kind === 'database' && a.database).map((a) => a.database));
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [file, kind] of DATABASES) {
      const got = kindsOf(file);
      if (kind && got.has(kind as never)) tp++;
      else if (kind) fn++;
      fp += [...got].filter((k) => k !== kind).length;
    }
    // A kind found in a file that is not labelled would be a guess too.
    const labelled = new Set(DATABASES.map(([f]) => f));
    fp += new Set(inv.accesses.filter((a) => a.kind === 'database' && a.database && !labelled.has(a.file)).map((a) => `${a.file} ${a.database}`)).size;
    console.log(`assess labelled set: database kinds recall ${ratio(tp, tp + fn).toFixed(2)} (${tp}/${tp + fn}), precision ${ratio(tp, tp + fp).toFixed(2)} (${fp} wrong) over ${DATABASES.length} scripts`);
    expect(fp).toBe(0);
    expect(fn).toBe(0);
  });

  it('lists the transfers, calls, mail, files, procedures and SQL rules a reader would', () => {
    const facts = [
      ...inv.accesses.map((a) => `${a.file} ${a.kind} ${a.kind === 'http' ? `${a.method} ${a.host}` : a.kind === 'transfer' ? a.host : a.kind === 'mail' ? a.client : a.kind === 'file' ? `${a.direction} ${a.target}` : ''}`),
      ...inv.artifacts.map((a) => `${a.file} ${a.kind} ${a.name}`),
    ];
    const missing = OTHER.filter(([f, k, what]) => (k.startsWith('sql-') ? !inv.rules.some((r) => r.file === f && r.tool === k && r.text.startsWith(what)) : !facts.includes(`${f} ${k} ${what}`)));
    console.log(`assess labelled set: other facts ${OTHER.length - missing.length}/${OTHER.length}`);
    expect(missing).toEqual([]);
    expect(SCHEDULES.length + DATABASES.length).toBeGreaterThanOrEqual(40);
  });

  it('reads Latin-1 files with a note, and never prints a published password', () => {
    expect(inv.notes).toContainEqual({ file: 'eldie/controles.sh', note: 'not UTF-8: read as Latin-1' });
    expect(readFileSync(path.join(FIXTURES, 'eldie/controles.sh'), 'latin1')).toContain('r2cs2c2r24');
    const out = JSON.stringify(inv);
    for (const s of SECRETS) expect(out, s).not.toContain(s);
    expect(inv.accesses.find((a) => a.file === 'eldie/cumpleanosdeldia.sh' && a.kind === 'file')!.text).toContain('Cumpleaños');
  });

  it('suggests the answers the fixtures support', () => {
    expect(inv.suggestions.legacy_stack!.value).toEqual(['cron_shell', 'point_to_point', 'static_reports', 'stored_procedures']);
    expect(inv.suggestions.data_sources!.value).toEqual(['csv', 'database', 'rest_api', 'sftp', 'spreadsheet']);
    expect(inv.suggestions.database_kind!.value).toBe('oracle');
  });
});
