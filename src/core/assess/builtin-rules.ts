import type { Language } from './language.js';
import { checkRules, type Rule, type RuleSpec } from './rules.js';

/**
 * Built-in patterns written as rules, in the very schema a team's `assess-rules.yaml` uses (as
 * data in code, so no YAML is parsed at start-up) and checked by the same code: database clients
 * and mainframe or managed-file-transfer tools the scanners have no code for. (The scanners' own patterns for psql, sqlplus, curl, sftp and the
 * rest stay in code: they read hosts, users and directions a one-line pattern cannot.)
 * Documented in docs/assess.md ("Rules as data").
 */
const SHELLISH: Language[] = ['shell', 'crontab', 'system-crontab', 'jenkins'];

export const BUILTIN_RULES: RuleSpec[] = [
  { id: 'db2-clp', kind: 'database', match: 'regex', pattern: String.raw`(?:^|[\s;|&(])db2\s+(?:-[a-zA-Z]*[tvfx]|connect\b|export\b|import\b|load\b|"|')`, label: 'IBM Db2 (db2)', languages: SHELLISH },
  { id: 'db2-python', kind: 'database', match: 'regex', pattern: String.raw`\bimport\s+ibm_db\b|\bibm_db\.connect\(`, label: 'IBM Db2 (ibm_db)', languages: ['python'] },
  { id: 'sybase-isql', kind: 'database', match: 'regex', pattern: String.raw`(?:^|[\s;|&(])isql\s+-[USPD]`, label: 'Sybase ASE (isql)', languages: SHELLISH },
  { id: 'informix-dbaccess', kind: 'database', pattern: 'dbaccess', label: 'Informix (dbaccess)', languages: SHELLISH },
  { id: 'teradata-bteq', kind: 'database', pattern: 'bteq', label: 'Teradata (bteq)', languages: SHELLISH },
  { id: 'teradata-fastload', kind: 'database', pattern: 'fastload', direction: 'write', label: 'Teradata (fastload)', languages: SHELLISH },
  { id: 'teradata-mload', kind: 'database', pattern: 'mload', direction: 'write', label: 'Teradata (mload)', languages: SHELLISH },
  { id: 'teradata-fastexport', kind: 'database', pattern: 'fexp', direction: 'read', label: 'Teradata (fastexport)', languages: SHELLISH },
  { id: 'teradata-tpt', kind: 'database', pattern: 'tbuild', label: 'Teradata (tbuild)', languages: SHELLISH },
  { id: 'netezza-nzsql', kind: 'database', pattern: 'nzsql', label: 'Netezza (nzsql)', languages: SHELLISH },
  { id: 'netezza-nzload', kind: 'database', pattern: 'nzload', direction: 'write', label: 'Netezza (nzload)', languages: SHELLISH },
  { id: 'vertica-vsql', kind: 'database', pattern: 'vsql', label: 'Vertica (vsql)', languages: SHELLISH },
  { id: 'hana-hdbsql', kind: 'database', pattern: 'hdbsql', label: 'SAP HANA (hdbsql)', languages: SHELLISH },
  { id: 'snowflake-snowsql', kind: 'database', pattern: 'snowsql', label: 'Snowflake (snowsql)', languages: SHELLISH },
  { id: 'bigquery-bq', kind: 'database', match: 'regex', pattern: String.raw`(?:^|[\s;|&(])bq\s+(?:query|load|extract|cp|mk|rm)\b`, label: 'BigQuery (bq)', languages: SHELLISH },
  { id: 'clickhouse-client', kind: 'database', pattern: 'clickhouse-client', label: 'ClickHouse (clickhouse-client)', languages: SHELLISH },
  { id: 'mongodb-export', kind: 'database', pattern: 'mongoexport', direction: 'read', label: 'MongoDB (mongoexport)', languages: SHELLISH },
  { id: 'mongodb-import', kind: 'database', pattern: 'mongoimport', direction: 'write', label: 'MongoDB (mongoimport)', languages: SHELLISH },
  { id: 'mongodb-shell', kind: 'database', match: 'regex', pattern: String.raw`(?:^|[\s;|&(])mongo(?:sh)?\s+(?:--\w|mongodb://|\S+\.js\b)`, label: 'MongoDB (mongo shell)', languages: SHELLISH },
  { id: 'connect-direct', kind: 'transfer', pattern: 'ndmcli', label: 'Connect:Direct (ndmcli)', languages: SHELLISH },
  { id: 'xcom', kind: 'transfer', match: 'regex', pattern: String.raw`(?:^|[\s;|&(/])xcom(?:tcp|62|ip)\b`, label: 'CA XCOM', languages: SHELLISH },
  { id: 'zowe-files', kind: 'transfer', match: 'regex', pattern: String.raw`\bzowe\s+(?:zos-files|files)\s+(?:download|upload)\b`, label: 'z/OS data sets (zowe)', languages: SHELLISH },
  { id: 'sterling-sfg', kind: 'transfer', pattern: 'sfgclient', label: 'Sterling File Gateway (sfgclient)', languages: SHELLISH },
];

let cached: Rule[] | undefined;
export function builtinRules(): Rule[] {
  cached ??= checkRules({ version: 1, rules: BUILTIN_RULES }, 'built-in rules');
  return cached;
}
