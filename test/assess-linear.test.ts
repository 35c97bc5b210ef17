import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReport } from '../src/core/assess/report.js';
import { buildInventory } from '../src/core/assess/scan.js';

/**
 * Every scanner is linear in its input (issue 19: a 1 MB .sql file of repeated `CASE ` took 44-95 s).
 * Work is counted, not timed: every regular-expression run is charged the characters it may read
 * (the whole string for an anchored-anywhere search, the characters advanced for a global one), and
 * every split, slice, indexOf and join the characters it touches. A pathological file four times
 * longer must cost about four times the work, never sixteen.
 */

let work = 0;
const saved: [object, string, PropertyDescriptor][] = [];
function meter(target: object, name: string, charge: (self: unknown, args: unknown[], result: unknown) => number) {
  const desc = Object.getOwnPropertyDescriptor(target, name)!;
  saved.push([target, name, desc]);
  const original = desc.value as (...a: unknown[]) => unknown;
  Object.defineProperty(target, name, {
    ...desc,
    value: function (this: unknown, ...args: unknown[]) {
      const before = this instanceof RegExp ? this.lastIndex : 0;
      const result = original.apply(this, args);
      // A sticky run tries one position; a global one searches from lastIndex on (to the end when it fails).
      if (this instanceof RegExp && this.sticky) work += result === null ? 1 : Math.max(1, this.lastIndex - before);
      else if (this instanceof RegExp && this.global) work += result === null ? Math.max(1, String(args[0]).length - before) : Math.max(1, this.lastIndex - before);
      else work += charge(this, args, result);
      return result;
    },
  });
}

beforeAll(() => {
  meter(RegExp.prototype, 'exec', (_re, args) => String(args[0]).length);
  for (const name of ['split', 'indexOf', 'lastIndexOf', 'includes', 'toLowerCase', 'trim']) meter(String.prototype, name, (s) => String(s).length);
  meter(String.prototype, 'slice', (_s, _a, r) => String(r).length);
  meter(Array.prototype, 'join', (_a, _args, r) => String(r).length);
});
afterAll(() => {
  for (const [t, n, d] of saved) Object.defineProperty(t, n, d);
});

const FILES = ['job.sql', 'job.sh', 'job.py', 'job.pl', 'job.php', 'job.rb', 'job.js', 'etc/cron.d/job', 'crontab', 'Jenkinsfile', 'job.timer', 'app.conf', 'Dockerfile'];
const UNITS = [
  'CASE ', 'case when ', 'WHERE a = 1 ', 'select * from t where ', 'awk -a ', 'awk -F, -v x ', 'sort -k ', 'join -a ', 'sed -e ', 'mysql ', 'mysql -p', '-p"x ', 'sqlplus a/',
  'exp ', 'jdbc:', 'jdbc:sqlserver://h;', 'postgresql://', '://', 'http://a', 'password=', 'pass ', "echo '", 'echo "', '"', "'", '\\\n', '\\', '<<EOF\n', 'sftp h:/x <<EOF\n', 'put x\n',
  'cron(', "cron('H ", '${', '$A', 'dbi:', 'DBI->connect(', '.csv', 'a.csv ', 'x', ' ', '-----BEGIN PRIVATE KEY-----', 'sshpass -p ', '-U a%', '-u a,', 'gsutil cp ', 'gs://', 'aws s3 cp ',
  'rclone copy a r:', 'wget http://a/b.sh ', 'curl -u a:b ', 'include "a.php";', '$c->query(', 'CURLOPT_URL => "http://a",', 'ftp_put(', 'to_parquet(', 's3.put_object(', 'new PDO("mysql:', 'PG.connect(',
  'require("pg"); new Pool(', 'axios.get("http://a")', '0 3 * * * /a.sh\n', 'echo "0 3 * * * /a.sh" >> /etc/crontab\n', '${SCHEDULE} x\n', 'OnCalendar=', 'X=1\n', 'f = "a.csv"\n', 'open(f, "w")\n', '/*', '*/', '--',
  '\u001b[31m', 'user/pass@db ', 'IDENTIFIED BY ', '?sig=', 'AKIA', 'Authorization: Bearer ', 'DRIVER={SQL Server};', 'mailx -s "x" ', 'import psycopg2\n', 'psycopg2.connect(', 'requests.get(URL)\n', 'URL = "http://h"\n',
];

function workFor(file: string, text: string): number {
  work = 0;
  const inv = buildInventory([{ file, text }]);
  textReport(inv);
  return work;
}

describe('assess does work linear in its input', () => {
  it('a file of pathological lines four times longer costs at most about four times the work', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 4 }), fc.constantFrom('', ' ', '\n', ';'), (file, units, sep) => {
        const unit = units.join(sep) + sep;
        const size = 20_000;
        const small = unit.repeat(Math.ceil(size / unit.length));
        const large = unit.repeat(Math.ceil((4 * size) / unit.length));
        const a = workFor(file, small);
        const b = workFor(file, large);
        // Linear: 4x (plus constant overheads); quadratic would be 16x.
        expect(b / a, `${file} ${JSON.stringify(unit)}: ${a} then ${b}`).toBeLessThan(6);
      }),
      { numRuns: 60, seed: 19 },
    );
  });

  it('the 1 MB file of repeated CASE from issue 19 is read with work proportional to its size', () => {
    const a = workFor('x.sql', 'CASE '.repeat(50_000));
    const b = workFor('x.sql', 'CASE '.repeat(200_000));
    expect(b / a).toBeLessThan(6);
    const lines = (n: number) => `${'select a from t where CASE WHEN x '.repeat(30)}\n`.repeat(n);
    expect(workFor('x.sql', lines(800)) / workFor('x.sql', lines(200))).toBeLessThan(6);
  });

  it('counts work: a quadratic scan is caught (the meter itself can fail)', () => {
    // Rescanning the rest of the text at each line, as a naive scanner would.
    const quadratic = (text: string) => {
      work = 0;
      const lines = text.split('\n');
      lines.forEach((_l, i) => /zzz/.exec(lines.slice(i).join('\n')));
      return work;
    };
    expect(quadratic('a\n'.repeat(4000)) / quadratic('a\n'.repeat(1000))).toBeGreaterThan(10);
  });
});
