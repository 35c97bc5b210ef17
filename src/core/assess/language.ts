/** Which scanner reads a file: by its name, else by its first line. */
export type Language = 'shell' | 'python' | 'perl' | 'php' | 'ruby' | 'node' | 'sql' | 'crontab' | 'system-crontab' | 'systemd' | 'jenkins' | 'report' | 'config';

const EXT: Record<string, Language> = {
  sh: 'shell', bash: 'shell', ksh: 'shell', zsh: 'shell', csh: 'shell',
  py: 'python',
  pl: 'perl', pm: 'perl',
  php: 'php', rb: 'ruby', rake: 'ruby', js: 'node', mjs: 'node', cjs: 'node',
  sql: 'sql', pls: 'sql', plsql: 'sql', pks: 'sql', pkb: 'sql', prc: 'sql', fnc: 'sql', trg: 'sql', ddl: 'sql', tsql: 'sql',
  timer: 'systemd', service: 'systemd',
  cron: 'crontab', crontab: 'crontab',
  rpt: 'report', jrxml: 'report', jasper: 'report', rdl: 'report', rdlc: 'report', rdf: 'report', rex: 'report', prpt: 'report', frx: 'report',
};

export function languageOf(file: string, firstLine: string): Language {
  const parts = file.split('/');
  const base = parts[parts.length - 1]!;
  const dir = parts[parts.length - 2] ?? '';
  if (/^Jenkinsfile/.test(base) || /\.jenkinsfile$|\.groovy$/i.test(base)) return 'jenkins';
  if (dir === 'cron.d' || (base === 'crontab' && dir === 'etc') || /^anacrontab$/.test(base)) return 'system-crontab';
  if (/^(crontab|.*\.crontab|cron\.txt|crontab\..*|.*cron.*\.txt|root|.*\.cron)$/i.test(base) && (/cron/i.test(base) || /cron|crontabs/.test(dir))) return 'crontab';
  if (/cron/.test(dir) && !base.includes('.')) return 'crontab';
  const ext = /\.([A-Za-z0-9]+)$/.exec(base)?.[1]?.toLowerCase();
  if (ext && EXT[ext]) return EXT[ext]!;
  if (/^Rakefile$/.test(base)) return 'ruby';
  const bang = /^#!\s*(?:\/usr\/bin\/env\s+)?\S*?(bash|sh|ksh|zsh|python[\d.]*|perl|php|ruby|node)\b/.exec(firstLine);
  if (bang) return bang[1]!.startsWith('python') ? 'python' : bang[1] === 'perl' || bang[1] === 'php' || bang[1] === 'ruby' ? bang[1] : bang[1] === 'node' ? 'node' : 'shell';
  return 'config';
}
