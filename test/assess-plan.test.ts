import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/core/assess/builtin-rules.js';
import { describeCron } from '../src/core/assess/cron-words.js';
import { datasetsOf, normalizePath } from '../src/core/assess/datasets.js';
import { dependencies, gapMinutes, mermaidGraph, mermaidLabel, planWaves, type JobNode } from '../src/core/assess/dependencies.js';
import { commandWord, jobNames } from '../src/core/assess/jobs.js';
import { planAssessment } from '../src/core/assess/plan.js';
import { interactiveLines, judge, type JobSignals } from '../src/core/assess/readiness.js';
import { capped, scheduleWords, textReport } from '../src/core/assess/report.js';
import { applyRules, parseRules, regexProblem } from '../src/core/assess/rules.js';
import { buildInventory } from '../src/core/assess/scan.js';
import { findSecrets } from '../src/core/assess/secrets.js';
import type { Access, Schedule } from '../src/core/assess/types.js';

const sched = (over: Partial<Schedule> = {}): Schedule => ({ file: 'crontab', line: 1, kind: 'crontab', expression: '0 2 * * *', cron: '0 2 * * *', command: '/opt/x.sh', words: '', script: 'bin/x.sh', ...over });
const acc = (over: Partial<Access>): Access => ({ file: 'bin/x.sh', line: 3, kind: 'database', client: 'psql', text: 'psql', ...over });
const signals = (over: Partial<JobSignals> = {}): JobSignals => ({ schedule: sched(), facts: { accesses: [], artifacts: [], rules: [], config: [] }, secrets: [], interactive: [], dynamic: false, ...over });

describe('cron in words (issue 24)', () => {
  it.each([
    ['*/10 8-18 * * *', 'every 10 minutes from 08:00 to 18:59'],
    ['*/5 0-6,22-23 * * *', 'every 5 minutes from 00:00 to 06:59 and from 22:00 to 23:59'],
    ['0,30 9-17 * * 1-5', 'at minutes 0 and 30 from 09:00 to 17:59 on Monday to Friday'],
    ['0 8-18/2 1,15 * *', 'at 08:00, 10:00, 12:00, 14:00, 16:00 and 18:00 on days 1 and 15 of the month'],
    ['7 1,3,5,7,9,11,13 * * *', 'every 2 hours from 01:07 to 13:07'],
    ['15 8-17 * * *', 'every hour from 08:15 to 17:15'],
    ['0 0 */2 * *', 'at 00:00 on every 2nd day of the month'],
    ['0 3 1-7 * 1', 'at 03:00 on days 1 to 7 of the month or on Monday'],
    ['0 12 * */3 *', 'every day at 12:00 in every 3rd month'],
    ['30 6 * jan-mar mon', 'at 06:30 on Monday in January to March'],
    ['0 9 * * mon,wed,fri', 'at 09:00 on Monday, Wednesday and Friday'],
    ['15 10 * * 7', 'at 10:15 on Sunday'],
    ['1,2,3,5,8,13,21 * * * *', 'at minutes 1, 2, 3, 5, 8, 13 and 21 of every hour'],
    ['5/20 * * * *', 'every 20 minutes from minute 5'],
    ['@monthly', 'at 00:00 on day 1 of the month'],
    ['@hourly', 'every hour, on the hour'],
    ['@reboot', 'once, when the system starts'],
    ['61 * * * *', '61 * * * *'],
  ])('%s: %s', (expr, words) => {
    expect(describeCron(expr)).toBe(words);
  });

  it('a macro is shown once: as the expression, not again in the words', () => {
    expect(scheduleWords({ expression: '@monthly', words: 'at 00:00 on day 1 of the month (@monthly) (Europe/Paris)' })).toBe('at 00:00 on day 1 of the month (Europe/Paris)');
    const [line] = textReport(buildInventory([{ file: 'app.crontab', text: '@monthly /opt/a/rotate.sh\n' }]));
    expect(line).toBe('Schedules (1)');
    const text = textReport(buildInventory([{ file: 'app.crontab', text: '@monthly /opt/a/rotate.sh\n' }]));
    expect(text[1]).toBe('  app.crontab:1  @monthly: at 00:00 on day 1 of the month');
  });

  it('evidence and reason lists stop at 8 with "+N more"', () => {
    expect(capped([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], String)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '+3 more']);
    expect(capped([1, 2], String)).toEqual(['1', '2']);
    // Twelve schedules and six HTTP calls: the legacy_stack evidence has more than eight entries.
    const crontab = Array.from({ length: 12 }, (_, i) => `${i} 2 * * * /opt/j${i}.sh`).join('\n');
    const script = Array.from({ length: 6 }, (_, i) => `curl -s https://api${i}.example.com/x`).join('\n');
    const text = textReport(buildInventory([{ file: 'jobs.crontab', text: crontab }, { file: 'bin/call.sh', text: `#!/bin/sh\n${script}\n` }]));
    const stack = text.slice(text.indexOf('  legacy_stack: cron_shell, point_to_point') + 1);
    const evidence = stack.slice(0, stack.findIndex((l) => !l.startsWith('      ')));
    expect(evidence).toHaveLength(9);
    expect(evidence[8]).toMatch(/^ {6}\+\d+ more$/);
  });
});

describe('readiness', () => {
  it('a job whose sources all have nodes is ready', () => {
    const r = judge(signals({ facts: { accesses: [acc({ database: 'postgresql' }), acc({ kind: 'file', client: 'csv', target: 'x.csv', direction: 'write' })], artifacts: [], rules: [], config: [] } }));
    expect(r.class).toBe('ready');
    expect(r.confidence).toBe(0.9);
    expect(r.effort_days).toBe(1.5);
  });

  it.each([
    ['oracle has no Kailash SQL node', { accesses: [acc({ database: 'oracle', client: 'sqlplus' })] }, 'needs_custom_node', /oracle via sqlplus.*custom node/],
    ['mail has no node', { accesses: [acc({ kind: 'mail', client: 'mailx' })] }, 'needs_custom_node', /no mail node/],
    ['an upload needs a sink node', { accesses: [acc({ kind: 'transfer', client: 'sftp', direction: 'write', host: 'bank' })] }, 'needs_custom_node', /upload/],
    ['a tool found by a rule', { accesses: [{ ...acc({ client: 'ACME loader' }), rule: 'acme' } as Access] }, 'needs_custom_node', /rule acme/],
    ['stored procedures', { artifacts: [{ file: 'bin/x.sh', line: 4, kind: 'procedure-call' as const, name: 'LOAD_ALL' }] }, 'ready_with_conditions', /LOAD_ALL/],
    ['a database of unknown kind', { accesses: [acc({ client: 'pyodbc' })] }, 'ready_with_conditions', /kind unknown/],
  ])('%s', (_n, facts, cls, why) => {
    const r = judge(signals({ facts: { accesses: [], artifacts: [], rules: [], config: [], ...facts } }));
    expect(r.class).toBe(cls);
    expect(r.reasons.join('\n')).toMatch(why);
  });

  it('secrets to provision are named in the reasons, never their values', () => {
    const r = judge(signals({ secrets: [{ file: 'bin/x.sh', line: 2, name: 'DB_PASSWORD', kind: 'env' }] }));
    expect(r.class).toBe('ready_with_conditions');
    expect(r.reasons[0]).toBe('secrets to provision: DB_PASSWORD');
  });

  it('a prompt for a person or a schedule without cron form blocks the job; blocked wins over every other class', () => {
    const script = '#!/bin/bash\nread -p "Continue? " yn\nread -r line < file\nread -s PASS\n';
    expect(interactiveLines(script).map((l) => l.line)).toEqual([2, 4]);
    expect(interactiveLines('x = input("Date: ")\npw = getpass.getpass()\n').map((l) => l.line)).toEqual([1, 2]);
    const r = judge(signals({ interactive: interactiveLines(script), facts: { accesses: [acc({ kind: 'mail', client: 'mail' })], artifacts: [], rules: [], config: [] } }));
    expect(r.class).toBe('blocked');
    expect(judge(signals({ schedule: sched({ expression: '@reboot', cron: undefined }) })).class).toBe('blocked');
    expect(judge(signals({ schedule: sched({ expression: '0 __HOUR__ * * *', cron: undefined }) })).reasons[0]).toMatch(/no five-field cron form/);
  });

  it('a script not among the files read lowers the confidence and is a condition', () => {
    const r = judge(signals({ schedule: sched({ script: undefined, command: '/opt/elsewhere/run.sh' }) }));
    expect(r.class).toBe('ready_with_conditions');
    expect(r.confidence).toBe(0.5);
  });
});

describe('secrets by name', () => {
  it('lists environment variables, connections and positional passwords by name, once each, never a value', () => {
    const out = findSecrets(
      [
        { file: 'a.sh', line: 1, kind: 'env', name: 'DB_PASSWORD', value: 'REDACTED' },
        { file: 'b.sh', line: 1, kind: 'env', name: 'DB_PASSWORD', value: '(from the environment)' },
        { file: 'a.sh', line: 2, kind: 'env', name: 'OUT_DIR', value: '/srv/out' },
        { file: 'c.sh', line: 5, kind: 'connection', name: 'sqlplus', value: 'sqlplus scott/REDACTED@ORCL' },
      ],
      [
        acc({ file: 'd.py', line: 3, client: 'psycopg2', text: 'psycopg2.connect("postgresql://etl:REDACTED@db.corp/sales")' }),
        acc({ file: 'e.sh', line: 7, client: 'mysqldump', text: 'mysqldump -u root -pREDACTED --databases shop' }),
        acc({ file: 'f.sh', line: 2, client: 'mysql', text: 'mysql -pREDACTED < x.sql' }),
        acc({ file: 'g.sh', line: 2, client: 'mysql', text: 'mysql -pREDACTED < y.sql' }),
      ],
      [sched({ command: '/opt/bin/x.sh scott REDACTED ORCL' })],
    );
    expect(out.map((s) => s.name)).toEqual([
      'DB_PASSWORD',
      'password of scott@ORCL (sqlplus)',
      'password of etl@db.corp (psycopg2)',
      'password of root (mysqldump)',
      // Known only by its client: one per file, not merged into one.
      'password (mysql)',
      'password (mysql)',
      'password passed on the command line to x.sh',
    ]);
    expect(out.filter((s) => s.name === 'password (mysql)').map((s) => s.file)).toEqual(['f.sh', 'g.sh']);
    expect(JSON.stringify(out)).not.toContain('REDACTED');
  });
});

describe('datasets a script reads and writes', () => {
  it('resolves variables of the same file, and run-time parts become *', () => {
    expect(normalizePath('$OUT/invoices_$(date +%Y%m%d).csv', new Map([['OUT', '/srv/out']]))).toBe('/srv/out/invoices_*.csv');
    expect(normalizePath('${DIR:-/x}//a_`date`.csv', new Map())).toBe('*/a_*.csv');
  });

  it('finds files, tables and buckets with their direction', () => {
    const sh = [
      '#!/bin/sh',
      'OUT=/srv/out',
      'psql -c "select * from billing.invoices i join customers c on c.id = i.cid" > $OUT/inv.csv',
      'psql -c "insert into export_log (day) values (now())"',
      'psql <<SQL',
      'delete from staging_rows;',
      'COPY staging_rows FROM \'/srv/in/rows.csv\' CSV;',
      'SQL',
      'sort -u < /srv/in/keys.txt > /dev/null',
      'aws s3 cp $OUT/inv.csv s3://billing-drop/in/inv.csv',
      'cp /srv/in/a.csv /srv/archive/a.csv',
      '# psql -c "insert into commented_out values (1)"',
    ].join('\n');
    const got = datasetsOf('shell', sh).map((d) => `${d.direction} ${d.kind} ${d.key}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'write file /srv/out/inv.csv',
        'read table billing.invoices',
        'read table customers',
        'write table export_log',
        'write table staging_rows',
        'read file /srv/in/keys.txt',
        'read file /srv/out/inv.csv',
        'write bucket s3://billing-drop/in/inv.csv',
        'read file /srv/in/a.csv',
        'write file /srv/archive/a.csv',
      ]),
    );
    expect(got).not.toContain('read table staging_rows');
    expect(got.join('\n')).not.toMatch(/commented_out|\/dev\/null/);
  });

  it('reads Python open() and pandas, and SQL in query strings', () => {
    const py = 'ACK = "/srv/in/ack.csv"\nwith open("/srv/out/report.txt", "w") as f:\n    pass\ndf = pd.read_parquet("gs://lake/sales/")\ncur.execute("update invoices set status = \'sent\' where id = %s")\n';
    const got = datasetsOf('python', py).map((d) => `${d.direction} ${d.kind} ${d.key}`);
    expect(got).toEqual(expect.arrayContaining(['write file /srv/out/report.txt', 'read bucket gs://lake/sales/', 'write table invoices']));
  });
});

describe('dependencies and waves', () => {
  const node = (job: string, cron: string | undefined, datasets: JobNode['datasets'], text = '', script?: string): JobNode => ({ job, ...(cron ? { cron } : {}), datasets, text, ...(script ? { script } : {}) });
  const file = (key: string, direction: 'read' | 'write') => ({ kind: 'file' as const, key, direction, line: 1 });

  it('the gap is the shortest time from a start of the writer to the next start of the reader', () => {
    expect(gapMinutes('0 1 * * 1-5', '20 1 * * 1-5')).toEqual({ gap: 20, approximate: false });
    expect(gapMinutes('0 6 * * *', '*/15 6-9 * * *')).toEqual({ gap: 0, approximate: false });
    // The reader runs before the writer each day: it reads the previous day's output.
    expect(gapMinutes('0 2 * * *', '0 1 * * *')!.gap).toBe(23 * 60);
    // Friday's run is read on Monday.
    expect(gapMinutes('0 22 * * 5', '0 6 * * 1')!.gap).toBe(2 * 1440 + 8 * 60);
    expect(gapMinutes('0 0 1 * *', '0 1 * * *')).toEqual({ gap: 60, approximate: true });
  });

  it('flags a short gap with nothing explicit as lucky timing, and not when the reader waits for the file or the writer starts it', () => {
    const d = dependencies([
      node('extract', '0 1 * * *', [file('/srv/out/inv_*.csv', 'write')]),
      node('send', '20 1 * * *', [file('/srv/out/inv_*.csv', 'read')]),
      node('fetch', '0 6 * * *', [file('/srv/in/ack.csv', 'write')]),
      node('load', '*/15 6-9 * * *', [file('/srv/in/ack.csv', 'read')], 'if not os.path.exists("/srv/in/ack.csv"): sys.exit(0)'),
      node('prep', '0 3 * * *', [file('/srv/tmp/p.dat', 'write')], '/opt/bin/use_prep.sh'),
      node('use', '10 3 * * *', [file('/srv/tmp/p.dat', 'read')], '', 'bin/use_prep.sh'),
    ]);
    const by = Object.fromEntries(d.edges.map((e) => [`${e.from}->${e.to}`, e]));
    expect(Object.keys(by).sort()).toEqual(['extract->send', 'fetch->load', 'prep->use']);
    expect(by['extract->send']).toMatchObject({ gap_minutes: 20, explicit: false, lucky_timing: true });
    expect(by['fetch->load']).toMatchObject({ gap_minutes: 0, explicit: true, lucky_timing: false });
    expect(by['prep->use']).toMatchObject({ gap_minutes: 10, explicit: true, lucky_timing: false });
  });

  it('matches a file by name when a folder is not known, tables with and without schema, buckets by prefix; different zones leave the gap unknown', () => {
    const d = dependencies([
      node('a', '0 1 * * *', [file('*/out/x.csv', 'write'), { kind: 'table', key: 'sales.orders', direction: 'write', line: 2 }, { kind: 'bucket', key: 's3://drop/in/', direction: 'write', line: 3 }]),
      { ...node('b', '0 5 * * *', [file('/srv/out/x.csv', 'read'), { kind: 'table', key: 'orders', direction: 'read', line: 1 }, { kind: 'bucket', key: 's3://drop/in/f.csv', direction: 'read', line: 1 }]), timeZone: 'Europe/Berlin' },
      node('c', '0 5 * * *', [file('/srv/other/y.csv', 'read')]),
    ]);
    expect(d.edges).toHaveLength(1);
    expect(d.edges[0]!.via.map((v) => `${v.kind}:${v.match}`).sort()).toEqual(['bucket:name', 'file:name', 'table:name']);
    expect(d.edges[0]).toMatchObject({ gap_minutes: null, lucky_timing: false, note: 'time zones differ (host zone, Europe/Berlin)' });
  });

  it('waves: a job after the jobs it reads from, the most depended-on first, cycles together', () => {
    const w = planWaves(['report', 'load', 'extract', 'lonely', 'x', 'y'], [
      { from: 'extract', to: 'load' },
      { from: 'load', to: 'report' },
      { from: 'extract', to: 'report' },
      { from: 'x', to: 'y' },
      { from: 'y', to: 'x' },
    ]);
    expect(w.waves).toEqual([
      { wave: 1, jobs: ['extract', 'x', 'y', 'lonely'] },
      { wave: 2, jobs: ['load'] },
      { wave: 3, jobs: ['report'] },
    ]);
    expect(w.dependents).toEqual({ report: 0, load: 1, extract: 2, lonely: 0, x: 1, y: 1 });
    expect(w.cycles).toEqual([['x', 'y']]);
  });

  it('a file many jobs write is shared, not a hand-off: it makes no edges', () => {
    const many = Array.from({ length: 8 }, (_, i) => node(`w${i}`, `${i} 1 * * *`, [file('/srv/status.txt', 'write')]));
    const d = dependencies([...many, node('r', '0 2 * * *', [file('/srv/status.txt', 'read')]), node('a', '0 1 * * *', [file('/srv/a.csv', 'write')]), node('b', '0 3 * * *', [file('/srv/a.csv', 'read')])]);
    expect(d.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['a->b']);
    // Two schedules of one script that writes, then sorts, its own file are not a cycle.
    const own = [file('/srv/day.csv', 'write'), file('/srv/day.csv', 'read')];
    expect(dependencies([node('x', '0 1 * * *', own, '', 'bin/x.sh'), node('x_2', '0 13 * * *', own, '', 'bin/x.sh')]).edges).toEqual([]);
  });

  it('a chain of 5,000 jobs is planned without overflowing the stack', () => {
    const jobs = Array.from({ length: 5000 }, (_, i) => `j${i}`);
    const w = planWaves(jobs, jobs.slice(1).map((j, i) => ({ from: jobs[i]!, to: j })));
    expect(w.waves).toHaveLength(5000);
    expect(w.dependents.j0).toBe(4999);
  });

  it('Mermaid: labels escaped so no quote, bracket, pipe or markup closes them', () => {
    expect(mermaidLabel('a "b" [c] |d| <e> #f `g` & h\nnext')).toBe('a #quot;b#quot; #91;c#93; #124;d#124; #lt;e#gt; #35;f #96;g#96; #38; h next');
    const g = mermaidGraph([
      { from: 'legacy_a"]; click j1 "http://x', to: 'legacy_b', via: [{ kind: 'file', key: '/x/a|b.csv', match: 'exact' }], gap_minutes: 20, explicit: false, lucky_timing: true },
      { from: 'legacy_b', to: 'legacy_c', via: [{ kind: 'table', key: 'orders', match: 'exact' }, { kind: 'table', key: 'items', match: 'exact' }], gap_minutes: 90, explicit: false, lucky_timing: false },
    ]);
    const lines = g.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    // Every line is a node with a quoted label or an edge with a quoted label, nothing else.
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {2}j\d+\["[^"\n\]|<>`]*"\]$|^ {2}j\d+ (-->|-\.->)\|"[^"\n|<>`]*"\| j\d+$/);
    expect(g).toContain('j1 -.->|"file a#124;b.csv, 20 min, lucky timing"| j2');
    expect(g).toContain('j2 -->|"table orders +1, 1 h 30 min"| j3');
  });
});

describe('rules as data', () => {
  const good = `
version: 1
rules:
  - id: billdb
    kind: database
    pattern: billdb-cli
    label: Billing DB client
    database: oracle
  - id: mfxfer
    kind: transfer
    match: regex
    pattern: '\\bmfxfer\\s+(?:put|send)\\s+\\S+\\s+(?<host>[\\w.-]+):'
    direction: write
    label: Mainframe transfer
    languages: [shell]
  - id: site-sched
    kind: schedule
    match: regex
    pattern: 'sched_add "(?<cron>[^"]+)" (?<command>[^\\s;]+)'
`;

  it('a new client and a new transfer tool are found, with the rule id, label, direction and host', () => {
    const rules = parseRules(good, 'rules.yaml');
    const text = '#!/bin/sh\nbilldb-cli -f load.sql\nmfxfer send /srv/out/a.dat MVS1.corp:SYS1.IN\n# billdb-cli in a comment\necho billdb-client\nsched_add "30 4 * * 1-5" /opt/x/run.sh\n';
    const r = applyRules(rules, 'bin/a.sh', 'shell', text);
    expect(r.accesses.map((a) => [a.line, a.kind, a.client, a.direction, a.database, a.host, a.rule])).toEqual([
      [2, 'database', 'Billing DB client', undefined, 'oracle', undefined, 'billdb'],
      [3, 'transfer', 'Mainframe transfer', 'write', undefined, 'MVS1.corp', 'mfxfer'],
    ]);
    expect(r.schedules).toMatchObject([{ line: 6, cron: '30 4 * * 1-5', command: '/opt/x/run.sh', words: 'at 04:30 on Monday to Friday', rule: 'site-sched' }]);
    // languages: [shell] keeps the transfer rule out of Python files.
    expect(applyRules(rules, 'a.py', 'python', 'os.system("mfxfer send /a h:x")\n').accesses).toEqual([]);
  });

  it.each([
    ['rules: {}', 'field "rules": must be a list of rules'],
    ['rules:\n  - {kind: database, pattern: x}', 'rule 1, field "id": is missing'],
    ['rules:\n  - {id: a, kind: database, pattern: x}\n  - {id: b, kind: ftp, pattern: y}', 'rule 2 (id "b"), field "kind": is "ftp"; one of database, transfer'],
    ['rules:\n  - {id: a, kind: database}', 'rule 1 (id "a"), field "pattern": is missing'],
    ['rules:\n  - {id: a, kind: database, pattern: x}\n  - {id: a, kind: mail, pattern: y}', 'rule 2 (id "a"), field "id": "a" is used by an earlier rule'],
    ['rules:\n  - {id: bad, kind: transfer, match: regex, pattern: "(a+)+$"}', 'rule 1 (id "bad"), field "pattern": the regex repeats a group that holds a quantifier'],
    ['rules:\n  - {id: bad, kind: transfer, match: regex, pattern: "(x|xx)*y"}', 'field "pattern": the regex repeats a group that holds an alternation'],
    ['rules:\n  - {id: bad, kind: transfer, match: regex, pattern: "(a)\\\\1"}', 'has a back-reference'],
    ['rules:\n  - {id: bad, kind: transfer, match: regex, pattern: "[unclosed"}', 'has a [ without its ]'],
    ['rules:\n  - {id: s, kind: schedule, pattern: "sched"}', 'rule 1 (id "s"), field "pattern": a schedule rule is a regex with a named group (?<cron>'],
    ['rules:\n  - {id: a, kind: mail, pattern: x, database: oracle}', 'field "database": is only for kind: database'],
    ['rules:\n  - {id: a, kind: mail, pattern: x, colour: red}', 'rule 1 (id "a"), field "colour": is not a rule field'],
    ['rules:\n  - {id: a, kind: mail, pattern: x, languages: [cobol]}', 'field "languages": has "cobol"'],
    ['rules:\n  - {id: a, kind: mail, pattern: x, label: "a\\u001b[31mred"}', 'field "label": holds a control character'],
    ['rules:\n  - {id: "Bad Id", kind: mail, pattern: x}', 'field "id": must be 1-63 of a-z'],
    ['version: 2\nrules: []', 'field "version": is 2; this tool reads version 1'],
    ['rules: [\n', 'r.yaml: YAML:'],
  ])('refuses %j', (yaml, message) => {
    expect(() => parseRules(yaml, 'r.yaml')).toThrow(message);
  });

  it.each([
    ['(a+)+$', /nested quantifiers/],
    ['(\\w+\\s?)*$', /nested quantifiers/],
    ['(a|aa)*b', /alternation/],
    ['.*a.*b', /wide atom/],
    ['x{1000}', /counts above 100/],
    ['(?<=a)b', /look-ahead or look-behind/],
    ['a'.repeat(201), /at most 200/],
    ['a**', /nothing before it, or two in a row/],
  ])('regex %s is refused', (re, why) => {
    expect(regexProblem(re)).toMatch(why);
  });

  it.each(['\\bacme-?load\\b', '(?:foo|bar)\\s+(?<host>[\\w.-]+)', '[^"]+"', '(?:ab)+c', 'x(a*)?y'])('regex %s is accepted', (re) => {
    expect(regexProblem(re)).toBeUndefined();
  });

  it('the built-in patterns are written in the same schema and found', () => {
    const rules = builtinRules();
    expect(rules.length).toBeGreaterThanOrEqual(20);
    const text = 'db2 connect to SALES\nbteq < daily.bteq\nndmcli -x < submit.cdp\necho "mydb2 backup"\nexport DB2INSTANCE=db2inst1\n';
    expect(applyRules(rules, 'job.sh', 'shell', text).accesses.map((a) => [a.line, a.client])).toEqual([
      [1, 'IBM Db2 (db2)'],
      [2, 'Teradata (bteq)'],
      [3, 'Connect:Direct (ndmcli)'],
    ]);
  });
});

describe('the plan', () => {
  it('names jobs after what they run, past cd, source, sudo and runners', () => {
    expect(commandWord('source ~/.bash_profile;/opt/pin/bin/daily_cancel>>/x/nohup.out')).toBe('/opt/pin/bin/daily_cancel');
    expect(commandWord('sudo -u apache php -f /var/www/cron.php > /dev/null 2>&1')).toBe('/var/www/cron.php');
    expect(commandWord('cd /srv/app && PYTHONPATH=. python3 jobs/run.py')).toBe('jobs/run.py');
    expect(jobNames([sched({ script: 'bin/load.sh' }), sched({ script: 'bin/load.sh' }), sched({ script: undefined, command: 'timeout 60 /opt/purge.sh' })])).toEqual(['legacy_load', 'legacy_load_2', 'legacy_purge']);
  });

  it('rule findings join the inventory and its suggestions, and every scheduled job gets a readiness and a wave', () => {
    const sources = [
      { file: 'cron/jobs.crontab', text: '0 1 * * * /opt/bin/extract.sh\n20 1 * * * /opt/bin/send.sh\n' },
      { file: 'bin/extract.sh', text: '#!/bin/sh\nbilldb-cli -q "select * from inv" > /srv/out/inv.csv\n' },
      { file: 'bin/send.sh', text: '#!/bin/sh\nmfxfer send MVS1:IN < /srv/out/inv.csv\n' },
    ];
    const rules = parseRules('rules:\n  - {id: billdb, kind: database, pattern: billdb-cli}\n  - {id: mfxfer, kind: transfer, pattern: mfxfer, direction: write}\n', 'r.yaml');
    const plan = planAssessment(buildInventory(sources), sources, { custom: rules, files: ['r.yaml'] });
    expect(plan.accesses.filter((a) => a.rule).map((a) => a.rule)).toEqual(['billdb', 'mfxfer']);
    expect(plan.suggestions.data_sources?.value).toEqual(expect.arrayContaining(['database', 'sftp']));
    expect(plan.schedules.map((s) => [s.job, s.readiness.class, s.wave])).toEqual([
      ['legacy_extract', 'needs_custom_node', 1],
      ['legacy_send', 'needs_custom_node', 2],
    ]);
    expect(plan.dependencies.edges).toMatchObject([{ from: 'legacy_extract', to: 'legacy_send', gap_minutes: 20, lucky_timing: true }]);
    expect(plan.rules_applied).toEqual({ builtin: builtinRules().length, files: ['r.yaml'], custom: 2 });
  });
});
