import type { Language } from './language.js';
import type { Access } from './types.js';

/**
 * What a script reads and writes that another job could share: files, database tables and cloud
 * buckets, each with its direction and line. The key is the name as the scripts would meet it:
 * a path with its variables resolved from the same file, a table without quotes, a bucket URL;
 * parts decided at run time (dates, unresolved variables) become `*`. Pure.
 */

export interface Dataset {
  kind: 'file' | 'table' | 'bucket';
  /** The comparable name: `/data/out/sales_*.csv`, `billing.invoices`, `s3://drop/in/`. */
  key: string;
  direction: 'read' | 'write';
  line: number;
}

const SKIP_FILE = /^\/dev\/|^\/proc\/|\.(log|lock|pid|err|out|tmp|swp)$|^&|^-$/;

/** Variables set in the file itself, for `$OUT/x.csv`: shell, Python and Perl constants holding a plain value. */
function variables(lines: string[], lang: Language): Map<string, string> {
  const vars = new Map<string, string>();
  const re =
    lang === 'python'
      ? /^\s*([A-Za-z_]\w*)\s*=\s*(?:r|f)?(['"])([^'"]*)\2\s*(?:#.*)?$/
      : lang === 'perl'
        ? /^\s*(?:my\s+|our\s+)?\$([A-Za-z_]\w*)\s*=\s*(['"])([^'"]*)\2\s*;/
        : /^\s*(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_]\w*)=(["']?)([^"'\s;`]*)\2\s*(?:;|#|$)/;
  for (const l of lines) {
    const m = re.exec(l);
    if (m && !vars.has(m[1]!) && m[3]!.length < 300) vars.set(m[1]!, m[3]!);
  }
  return vars;
}

/** A path with its known variables put in and its run-time parts as `*`. */
export function normalizePath(raw: string, vars: Map<string, string>): string {
  let p = raw.replace(/^['"]|['"]$/g, '');
  for (let round = 0; round < 3 && p.includes('$'); round++) {
    p = p.replace(/\$\{(\w+)(?::?[-=][^}]*)?\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => vars.get((a ?? b)!) ?? m);
  }
  return p
    .replace(/\$\([^)]*\)|`[^`]*`|\$\{[^}]*\}|\$\w+|\{[^}]*\}|%[A-Za-z]|\*+/g, '*')
    .replace(/\*+(?:[_.-]?\*+)*/g, '*')
    .replace(/(?<!:)\/{2,}/g, '/')
    .replace(/\/\.\//g, '/');
}

const SQL_WORDS = new Set(['select', 'where', 'set', 'values', 'the', 'a', 'an', 'table', 'dual', 'lateral', 'unnest', 'generate_series', 'only', 'stdin', 'stdout', 'if', 'not', 'exists', 'into', 'from', 'join', 'on', 'as', 'with', 'and', 'or', 'each', 'to']);

function tableName(raw: string): string | undefined {
  const t = raw.replace(/["`[\]]/g, '').replace(/;$/, '').toLowerCase();
  if (!/^[a-z_][\w$]*(\.[a-z_][\w$]*){0,2}$/.test(t) || SQL_WORDS.has(t) || /^(sys|information_schema|pg_catalog|v\$)/.test(t) || t.startsWith('#') || t.startsWith('@')) return undefined;
  return t;
}

const NAME = String.raw`((?:["\x60\[]?[A-Za-z_][\w$]*["\x60\]]?\.){0,2}["\x60\[]?[A-Za-z_][\w$]*["\x60\]]?)`;
const SQL_WRITE = [
  new RegExp(String.raw`\binsert\s+(?:(?:all|ignore|overwrite)\s+)?(?:into\s+)?(?:table\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bupdate\s+${NAME}\s+(?:\w+\s+)?set\b`, 'gi'),
  new RegExp(String.raw`\bdelete\s+(?:from\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bmerge\s+into\s+${NAME}`, 'gi'),
  new RegExp(String.raw`\btruncate\s+(?:table\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bcreate\s+(?:or\s+replace\s+)?(?:(?:global\s+|local\s+)?temp(?:orary)?\s+|unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\\?\bcopy\s+${NAME}(?:\s*\([^)]*\))?\s+from\b`, 'gi'),
  new RegExp(String.raw`\binto\s+table\s+${NAME}`, 'gi'),
];
const SQL_READ = [new RegExp(String.raw`\b(?:from|join)\s+${NAME}`, 'gi'), new RegExp(String.raw`\\?\bcopy\s+${NAME}(?:\s*\([^)]*\))?\s+to\b`, 'gi')];
const SQL_LINE = /\b(select|insert|update|delete|merge|truncate|copy|create\s+(?:or\s+replace\s+)?(?:\w+\s+)?table|load\s+data|from|join)\b/i;

const MAYBE = /[<>]|:\/\/|\b(?:cp|mv|install|open|read_\w+|to_\w+|select|insert|update|delete|merge|truncate|copy|create|from|join|into)\b/i;
const BUCKET = /\b((?:s3|s3a|gs|az|abfss?|wasbs?):\/\/[^\s'"`;|)]+)/g;
const COPY_CMD = /(?:^|[\s;|&(])(?:aws\s+s3\s+(?:cp|mv|sync)|gsutil\s+(?:-m\s+)?(?:cp|mv|rsync)|azcopy\s+(?:copy|cp|sync)|rclone\s+(?:copy|sync|move|copyto|moveto)|hdfs\s+dfs\s+-(?:put|get|cp|copyFromLocal|copyToLocal))\s+(.*)$/;

/** The datasets one file reads and writes. `accesses` are the scanner's facts of the same file (their named files count too). */
export function datasetsOf(lang: Language, text: string, accesses: readonly Access[] = []): Dataset[] {
  const lines = text.split(/\r\n|\n|\r/);
  const vars = variables(lines, lang);
  const out: Dataset[] = [];
  const seen = new Set<string>();
  const add = (kind: Dataset['kind'], key: string | undefined, direction: Dataset['direction'], line: number) => {
    if (!key || key === '*' || key.length > 300) return;
    const id = `${kind}\0${key}\0${direction}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ kind, key, direction, line });
  };
  const file = (raw: string, direction: Dataset['direction'], line: number) => {
    const p = normalizePath(raw, vars);
    if (SKIP_FILE.test(p) || !/[\w*]/.test(p) || /^\d+$/.test(p) || p.includes('://')) return;
    // Only what looks like a data file: a path with a folder or a name with an extension.
    if (!p.includes('/') && !/\.\w{1,5}$/.test(p)) return;
    add('file', p, direction, line);
  };
  const sqlFile = lang === 'sql';
  let inSql = sqlFile;
  let heredoc: string | undefined;
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.length > 2000 ? raw.slice(0, 2000) : raw;
    if ((lang === 'sql' && /^\s*--/.test(line)) || (lang !== 'sql' && /^\s*#(?!!)/.test(line))) return;
    // Most lines name no data: one test skips them (a heredoc's end marker is still seen).
    if (heredoc === undefined ? !MAYBE.test(line) : line.trim() !== heredoc && !MAYBE.test(line)) return;
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) {
        heredoc = undefined;
        inSql = sqlFile;
        return;
      }
    } else if (lang === 'shell' || lang === 'crontab' || lang === 'system-crontab') {
      const h = /<<-?\s*['"]?(\w+)['"]?/.exec(line);
      if (h) {
        heredoc = h[1]!;
        inSql = /sql|psql|mysql|db2|isql|bteq|sqlcmd|clickhouse|vsql|nzsql|hdbsql|snowsql/i.test(line);
      }
      // Redirections: > file, >> file (write); < file (read). Not <<, <(, >&2.
      for (const m of line.matchAll(/(?<![<>0-9&])(>>?|<)(?![<>(&])\s*([^\s;|&<>()]+)/g)) file(m[2]!, m[1] === '<' ? 'read' : 'write', n);
      const cp = /(?:^|[\s;|&(])(?:cp|mv|install)\s+((?:-\w+\s+)*)(.+?)(?:\s*(?:[;|&]|$))/.exec(line);
      if (cp) {
        const args = cp[2]!.split(/\s+/).filter((a) => a && !a.startsWith('-') && !a.includes('://'));
        if (args.length >= 2) {
          args.slice(0, -1).forEach((a) => file(a, 'read', n));
          const dest = args[args.length - 1]!;
          if (/\.\w{1,5}$/.test(dest)) file(dest, 'write', n);
        }
      }
    }
    // Cloud storage: the last URL of a copy command is written, the others read; a lone URL elsewhere is read.
    const urls = [...line.matchAll(BUCKET)].map((m) => normalizePath(m[1]!, vars));
    if (urls.length) {
      const cmd = COPY_CMD.exec(line);
      const args = cmd ? cmd[1]!.split(/\s+/).filter((a) => a && !a.startsWith('-')) : [];
      if (cmd && args.length >= 2) {
        const last = normalizePath(args[args.length - 1]!, vars);
        for (const a of args) {
          const p = normalizePath(a, vars);
          if (p.includes('://')) add('bucket', p, p === last ? 'write' : 'read', n);
          else if (p === last) file(a, 'write', n);
          else file(a, 'read', n);
        }
      } else for (const u of urls) add('bucket', u, /\b(upload|put|write|to_parquet|to_csv)\w*\s*\(/i.test(line) ? 'write' : 'read', n);
    }
    if (lang === 'python' || lang === 'perl') {
      for (const m of line.matchAll(/\bopen\s*\(\s*(?:r|f)?(['"])([^'"]+)\1\s*(?:,\s*(?:mode\s*=\s*)?(['"])([rwaxb+t]+)\3)?/g)) file(m[2]!, /[wax]/.test(m[4] ?? '') ? 'write' : 'read', n);
      for (const m of line.matchAll(/\b(read_csv|read_parquet|read_excel|read_json|read_table|to_csv|to_parquet|to_excel|to_json)\s*\(\s*(?:r|f)?(['"])([^'"]+)\2/g)) {
        const p = m[3]!;
        if (p.includes('://')) add('bucket', normalizePath(p, vars), m[1]!.startsWith('to_') ? 'write' : 'read', n);
        else file(p, m[1]!.startsWith('to_') ? 'write' : 'read', n);
      }
    }
    // SQL: in SQL files and heredocs, and in other lines that read as SQL (a query in a string).
    if (inSql || (heredoc === undefined && /\b(select|insert\s+into|update\s+\S+\s+set|delete\s+from|merge\s+into|truncate|copy\s+\S+\s+(from|to)|create\s+table)\b/i.test(line))) {
      if (!SQL_LINE.test(line)) return;
      const writes = new Set<string>();
      for (const re of SQL_WRITE) for (const m of line.matchAll(re)) {
        const t = tableName(m[1]!);
        if (t) {
          writes.add(t);
          add('table', t, 'write', n);
        }
      }
      for (const re of SQL_READ) for (const m of line.matchAll(re)) {
        const t = tableName(m[1]!);
        // `delete from t` is a write, not a read of t.
        if (t && !(writes.has(t) && /\bdelete\s+$/i.test(line.slice(0, m.index!)))) add('table', t, 'read', n);
      }
    }
  });
  for (const a of accesses) if (a.kind === 'file' && a.target && a.direction) file(a.target, a.direction, a.line);
  return out;
}
