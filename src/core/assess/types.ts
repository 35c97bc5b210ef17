/** Facts read from legacy files. Every fact carries the file (as the user sees it) and its line. */

export interface Where {
  file: string;
  line: number;
}

export type DbKind = 'postgresql' | 'mysql' | 'oracle' | 'sqlserver' | 'sqlite';

export interface Schedule extends Where {
  kind: 'crontab' | 'system-crontab' | 'systemd' | 'jenkins' | 'kubernetes';
  /** As written: a cron line's time fields, a macro, or systemd's OnCalendar value. */
  expression: string;
  /** The same in the five cron fields, when it has an exact cron form (absent for @reboot). */
  cron?: string;
  timeZone?: string;
  user?: string;
  /** The command run, secrets redacted. */
  command: string;
  words: string;
  /** The scanned file the command runs, when one is found in the given folders. */
  script?: string;
  /** systemd: the timer's service unit. */
  unit?: string;
  /** The line is written into a crontab by this script (echo ... >> /etc/crontabs/root, crontab -, a heredoc). */
  installed?: boolean;
  /** Time fields filled in at deploy time (`${SCHEDULE}`, `${CRON_HOUR}`, `HOUR`): the schedule has no cron form then. */
  placeholders?: string[];
}

/** storage: cloud object storage (S3, Google Cloud Storage, Azure Blob, rclone remotes). */
export type AccessKind = 'database' | 'http' | 'transfer' | 'queue' | 'file' | 'mail' | 'storage';

export interface Access extends Where {
  kind: AccessKind;
  /** The client, driver or command that makes the access (psql, requests, scp, mailx...). */
  client: string;
  direction?: 'read' | 'write';
  database?: DbKind;
  host?: string;
  method?: string;
  /** A file name (CSV, spreadsheet, parquet), queue name, or storage location (s3://bucket/..., remote:path). */
  target?: string;
  text: string;
}

export interface RuleCandidate extends Where {
  tool: 'awk' | 'sed' | 'sort' | 'join' | 'sql-where' | 'sql-case';
  text: string;
}

export interface ConfigItem extends Where {
  kind: 'env' | 'connection';
  name: string;
  /** Secrets redacted. */
  value: string;
}

export interface Artifact extends Where {
  kind: 'procedure' | 'procedure-call' | 'report-template';
  name: string;
}

export interface FileFacts {
  schedules: Schedule[];
  accesses: Access[];
  rules: RuleCandidate[];
  config: ConfigItem[];
  artifacts: Artifact[];
  /** Positional arguments ($1, $2...) the file takes as a password: a command passing them is redacted. */
  secretArgs: number[];
  /** systemd units, paired after every file is read. */
  units: SystemdUnit[];
  /** Files this one includes (PHP include/require): a database connection made there is this file's too. */
  includes?: string[];
}

export interface SystemdUnit extends Where {
  name: string;
  type: 'timer' | 'service';
  onCalendar: { value: string; line: number }[];
  /** Timer: the unit it starts (Unit=, default: same name .service). */
  unit?: string;
  execStart?: { value: string; line: number };
}

export const emptyFacts = (): FileFacts => ({ schedules: [], accesses: [], rules: [], config: [], artifacts: [], secretArgs: [], units: [] });
