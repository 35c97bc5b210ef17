import { parseRules, type Rule } from './rules.js';

/**
 * Built-in patterns written as rules, in the very schema a team's `assess-rules.yaml` uses, and
 * read by the same parser: database clients and mainframe or managed-file-transfer tools the
 * scanners have no code for. (The scanners' own patterns for psql, sqlplus, curl, sftp and the
 * rest stay in code: they read hosts, users and directions a one-line pattern cannot.)
 * Documented in docs/assess.md ("Rules as data").
 */
export const BUILTIN_RULES_YAML = `
version: 1
rules:
  - { id: db2-clp, kind: database, match: regex, pattern: '(?:^|[\\s;|&(])db2\\s+(?:-[a-zA-Z]*[tvfx]|connect\\b|export\\b|import\\b|load\\b|"|'')', label: IBM Db2 (db2), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: db2-python, kind: database, match: regex, pattern: '\\bimport\\s+ibm_db\\b|\\bibm_db\\.connect\\(', label: IBM Db2 (ibm_db), languages: [python] }
  - { id: sybase-isql, kind: database, match: regex, pattern: '(?:^|[\\s;|&(])isql\\s+-[USPD]', label: Sybase ASE (isql), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: informix-dbaccess, kind: database, pattern: dbaccess, label: Informix (dbaccess), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: teradata-bteq, kind: database, pattern: bteq, label: Teradata (bteq), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: teradata-fastload, kind: database, pattern: fastload, direction: write, label: Teradata (fastload), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: teradata-mload, kind: database, pattern: mload, direction: write, label: Teradata (mload), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: teradata-fastexport, kind: database, pattern: fexp, direction: read, label: Teradata (fastexport), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: teradata-tpt, kind: database, pattern: tbuild, label: Teradata (tbuild), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: netezza-nzsql, kind: database, pattern: nzsql, label: Netezza (nzsql), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: netezza-nzload, kind: database, pattern: nzload, direction: write, label: Netezza (nzload), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: vertica-vsql, kind: database, pattern: vsql, label: Vertica (vsql), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: hana-hdbsql, kind: database, pattern: hdbsql, label: SAP HANA (hdbsql), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: snowflake-snowsql, kind: database, pattern: snowsql, label: Snowflake (snowsql), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: bigquery-bq, kind: database, match: regex, pattern: '(?:^|[\\s;|&(])bq\\s+(?:query|load|extract|cp|mk|rm)\\b', label: BigQuery (bq), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: clickhouse-client, kind: database, pattern: clickhouse-client, label: ClickHouse (clickhouse-client), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: mongodb-export, kind: database, pattern: mongoexport, direction: read, label: MongoDB (mongoexport), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: mongodb-import, kind: database, pattern: mongoimport, direction: write, label: MongoDB (mongoimport), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: mongodb-shell, kind: database, match: regex, pattern: '(?:^|[\\s;|&(])mongo(?:sh)?\\s+(?:--\\w|mongodb://|\\S+\\.js\\b)', label: MongoDB (mongo shell), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: connect-direct, kind: transfer, pattern: ndmcli, label: "Connect:Direct (ndmcli)", languages: [shell, crontab, system-crontab, jenkins] }
  - { id: xcom, kind: transfer, match: regex, pattern: '(?:^|[\\s;|&(/])xcom(?:tcp|62|ip)\\b', label: CA XCOM, languages: [shell, crontab, system-crontab, jenkins] }
  - { id: zowe-files, kind: transfer, match: regex, pattern: '\\bzowe\\s+(?:zos-files|files)\\s+(?:download|upload)\\b', label: z/OS data sets (zowe), languages: [shell, crontab, system-crontab, jenkins] }
  - { id: sterling-sfg, kind: transfer, pattern: sfgclient, label: Sterling File Gateway (sfgclient), languages: [shell, crontab, system-crontab, jenkins] }
`;

let cached: Rule[] | undefined;
export function builtinRules(): Rule[] {
  cached ??= parseRules(BUILTIN_RULES_YAML, 'built-in rules');
  return cached;
}
