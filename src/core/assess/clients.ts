import type { Access, DbKind } from './types.js';

/**
 * Database, HTTP, transfer, storage, mail and columnar-file clients of Python, PHP, Ruby and Node,
 * line by line. Pure: each reader gets one line (capped) and the file-level context.
 */

export interface ClientContext {
  /** Records one fact of this line. */
  add: (a: Omit<Access, 'file' | 'line' | 'text'>) => void;
  /** What the file's SQL does: only reads, only writes, or both/unknown. */
  sqlDirection?: 'read' | 'write';
  /** Literal URLs held in constants, default arguments and tuples of this file, by name. */
  urlOf: (expr: string) => string | undefined;
  hostOf: (url: string) => string | undefined;
  /** A value of this file's variables (literal assignments), by name. */
  valueOf: (name: string) => string | undefined;
  /** A pattern searched in the whole text once per file (which SDK, which operations), then remembered. */
  inFile: (re: RegExp) => RegExpExecArray | null;
}

/** What the file's SQL statements do, from the whole text: read, write, or undefined (both or none). */
export function sqlDirection(text: string): 'read' | 'write' | undefined {
  const writes = /\b(?:insert\s+into|update\s+[\w."{}[\]]{1,80}\s+set|delete\s+from|merge\s+into|truncate\s+table|bulk\s+insert|load\s+data|copy\s+[\w."{}]{1,80}(?:\s*\([^)]{0,500}\))?\s+from\s+(?:stdin|')|replace\s+into)\b|\bto_sql\(|\bexecute_values\(|\bexecutemany\(|\bcopy_from\(/i.test(text);
  const reads = /\bselect\b[^;]{0,2000}?\bfrom\b|\bfetch(?:all|one|many|row\w*|_\w+|_array|_assoc)?\s*\(|->fetch|\bread_sql(?:_query|_table)?\(|\bcall\s+[\w.]+\s*\(/i.test(text);
  return writes && !reads ? 'write' : reads && !writes ? 'read' : undefined;
}

const S3_SDK = /\bboto3\b|\bAws::S3\b|@aws-sdk\/client-s3|\baws-sdk\b|\bS3Client\b/;
const GCS_SDK = /google\.cloud\s+import\s+storage|google\.cloud\.storage|@google-cloud\/storage|Google::Cloud::Storage/;
const AZURE_SDK = /azure\.storage\.blob|@azure\/storage-blob|Azure::Storage/;
const MODULES = new Map<string, RegExp>();

const firstString = (s: string) => /^\s*(['"])([^'"]{0,500})\1/.exec(s)?.[2];

/** Storage SDK calls (boto3, google-cloud-storage, azure-storage-blob, fsspec, AWS SDK for Ruby/Node) and columnar files. */
export function storageAndColumnar(line: string, ctx: ClientContext, lang: 'python' | 'ruby' | 'node' | 'php'): void {
  const s3 = !!ctx.inFile(S3_SDK);
  const gcs = !!ctx.inFile(GCS_SDK);
  const azure = !!ctx.inFile(AZURE_SDK);
  const service = s3 ? 's3' : gcs ? 'gcs' : azure ? 'azure' : '';
  const bucket = (/\b(?:Bucket|bucket|:bucket)\s*(?:=|=>|:)\s*(['"])([\w.-]{1,80})\1/.exec(line) ?? /\.(?:bucket|Bucket|get_bucket|container_client|get_container_client)\(\s*(['"])([\w.-]{1,80})\1/.exec(line))?.[2];
  const sdk = (dir: 'read' | 'write') => ctx.add({ kind: 'storage', client: `${lang === 'python' ? (s3 ? 'boto3' : gcs ? 'google-cloud-storage' : 'azure-storage-blob') : lang === 'ruby' ? 'aws-sdk' : 'aws-sdk'} ${service}`.trim(), direction: dir, target: bucket ?? service });
  if (service) {
    if (/\.(?:upload_file|upload_fileobj|put_object|putObject|copy_object|delete_objects?|deleteObjects?|upload_from_filename|upload_from_string|upload_from_file|upload_blob|uploadFile|uploadData|uploadStream|create_file)\(|\bnew\s+(?:PutObjectCommand|DeleteObjectCommand|CopyObjectCommand|Upload)\(|\.upload\(\s*\{/.test(line)) sdk('write');
    else if (/\.(?:download_file|download_fileobj|get_object|getObject|download_to_filename|download_as_bytes|download_as_text|download_as_string|download_to_file|download_blob|downloadToFile|list_objects(?:_v2)?|list_blobs)\(|\bnew\s+(?:GetObjectCommand|ListObjectsV2Command)\(/.test(line)) sdk('read');
  }
  if (lang === 'python') {
    const fs = /\b(s3fs\.S3FileSystem|gcsfs\.GCSFileSystem|adlfs\.AzureBlobFileSystem|S3FileSystem|GCSFileSystem)\(/.exec(line);
    if (fs) {
      const write = !!ctx.inFile(/\.(?:put|put_file|upload)\(|\.open\([^)]{0,200}['"][wa]b?['"]|to_(?:parquet|csv|json)\(\s*['"](?:s3|gs|az|abfs):/);
      ctx.add({ kind: 'storage', client: fs[1]!.split('.')[0]!.toLowerCase().replace(/filesystem$/, ''), direction: write ? 'write' : 'read', target: /gcs/i.test(fs[1]!) ? 'gcs' : /adl|azure/i.test(fs[1]!) ? 'azure' : 's3' });
    }
    const pd = /\b(read|to)_(csv|parquet|json|excel|feather|orc)\(\s*(?:path\s*=\s*)?(['"])((?:s3|gs|az|abfss?|s3a):\/\/[^'"]{1,300})\3/.exec(line);
    if (pd) ctx.add({ kind: 'storage', client: `pandas ${pd[2]}`, direction: pd[1] === 'read' ? 'read' : 'write', target: pd[4]! });
    const wr = /\bwr\.s3\.(read|to)_(\w+)\(/.exec(line);
    if (wr) ctx.add({ kind: 'storage', client: 'awswrangler', direction: wr[1] === 'read' ? 'read' : 'write', target: 's3' });
  }
  // Columnar files: parquet, ORC, Feather, Avro.
  const col = /\b(?:(read|to)_(parquet|feather|orc)|(?:pq|parquet)\.(read_table|write_table|ParquetFile|ParquetWriter|ParquetDataset)|\.(read|write)(?:\.\w{1,20}\([^)]{0,100}\))?\.(parquet|orc|avro))\(\s*(?:path\s*=\s*)?([^,)]{0,300})/.exec(line);
  if (col) {
    const verb = col[1] ?? col[4] ?? (/^(read_table|ParquetFile|ParquetDataset)$/.test(col[3] ?? '') ? 'read' : 'write');
    const format = col[2] ?? col[5] ?? 'parquet';
    const arg = col[6]!.trim();
    const target = firstString(arg) ?? (/^[A-Za-z_]\w*$/.test(arg) ? ctx.valueOf(arg) : undefined);
    ctx.add({ kind: 'file', client: format, direction: verb === 'read' ? 'read' : 'write', ...(target && /\.\w{2,8}$/.test(target) ? { target } : {}) });
  }
}

const PHP_DSN: Record<string, DbKind> = { mysql: 'mysql', pgsql: 'postgresql', oci: 'oracle', sqlsrv: 'sqlserver', dblib: 'sqlserver', mssql: 'sqlserver', sqlite: 'sqlite' };

/** A PHP line: PDO and the native database extensions, curl and streams, ftp_* and mail. */
export function phpLine(line: string, ctx: ClientContext, state: { connected: boolean; used: boolean }): void {
  const pdo = /\bnew\s+PDO\s*\(\s*(?:(['"])(\w+):|\$(\w+))/.exec(line);
  const native = /\b(mysqli_connect|mysqli_real_connect|mysql_connect|mysql_pconnect|new\s+mysqli|pg_connect|pg_pconnect|oci_connect|oci_pconnect|oci_new_connect|sqlsrv_connect|mssql_connect|new\s+SQLite3)\s*\(/.exec(line);
  if (pdo || native) {
    let kind: DbKind | undefined;
    if (pdo) kind = PHP_DSN[(pdo[2] ?? /^(\w+):/.exec(ctx.valueOf(pdo[3]!) ?? '')?.[1] ?? '').toLowerCase()];
    else if (/mysql/.test(native![1]!)) kind = 'mysql';
    else if (/pg_/.test(native![1]!)) kind = 'postgresql';
    else if (/oci_/.test(native![1]!)) kind = 'oracle';
    else if (/sqlsrv|mssql/.test(native![1]!)) kind = 'sqlserver';
    else kind = 'sqlite';
    const host = /host=([\w.-]{1,200})/.exec(line)?.[1] ?? /host=\$(\w+)/.exec(line)?.[1];
    const literalHost = host && /^[\w.-]+$/.test(host) && !/host=\$/.test(line) ? host : host ? ctx.valueOf(host) : undefined;
    ctx.add({ kind: 'database', client: pdo ? 'PDO' : native![1]!.replace(/^new\s+/, ''), ...(kind ? { database: kind } : {}), ...(ctx.sqlDirection ? { direction: ctx.sqlDirection } : {}), ...(literalHost && /^[\w.-]+$/.test(literalHost) ? { host: literalHost } : {}) });
    state.connected = true;
  } else if (!state.connected && !state.used && /->(?:query|prepare|exec)\s*\(|\b(?:mysqli_query|mysql_query|pg_query|pg_prepare|oci_parse|sqlsrv_query)\s*\(/.test(line)) {
    // A connection made in an included file: the kind comes from that file.
    state.used = true;
    ctx.add({ kind: 'database', client: 'PHP database call', ...(ctx.sqlDirection ? { direction: ctx.sqlDirection } : {}) });
  }
  const curlUrl = /\bCURLOPT_URL\s*(?:=>|,)\s*(['"])([^'"]{1,500})\1|\bcurl_init\(\s*(['"])(https?:[^'"]{1,500})\3/.exec(line);
  if (curlUrl) {
    const url = curlUrl[2] ?? curlUrl[4]!;
    const custom = ctx.inFile(/CURLOPT_CUSTOMREQUEST\s*(?:=>|,)\s*['"](\w+)['"]/)?.[1]?.toUpperCase();
    const method = custom ?? (!!ctx.inFile(/CURLOPT_POST\s*(?:=>|,)\s*(?:true|1)|CURLOPT_POSTFIELDS/) ? 'POST' : 'GET');
    ctx.add({ kind: 'http', client: 'php curl', method, ...(ctx.hostOf(url) ? { host: ctx.hostOf(url) } : {}), direction: method === 'GET' || method === 'HEAD' ? 'read' : 'write' });
  }
  const stream = /\b(file_get_contents|fopen)\(\s*(['"])(https?:\/\/[^'"]{1,500})\2/.exec(line);
  if (stream) ctx.add({ kind: 'http', client: stream[1]!, method: 'GET', ...(ctx.hostOf(stream[3]!) ? { host: ctx.hostOf(stream[3]!) } : {}), direction: 'read' });
  const ftp = /\b(ftp_put|ftp_fput|ftp_get|ftp_fget|ftp_nb_put|ftp_nb_get|ssh2_scp_send|ssh2_scp_recv)\s*\(/.exec(line);
  if (ftp) {
    const conn = ctx.inFile(/\b(?:ftp_connect|ftp_ssl_connect|ssh2_connect)\s*\(\s*(?:(['"])([^'"]{1,200})\1|\$(\w+))/);
    const host = conn ? conn[2] ?? ctx.valueOf(conn[3]!) : undefined;
    ctx.add({ kind: 'transfer', client: ftp[1]!.startsWith('ssh2') ? 'ssh2 scp' : 'php ftp', direction: /put|send/.test(ftp[1]!) ? 'write' : 'read', ...(host && /^[\w.-]+$/.test(host) ? { host } : {}) });
  }
  if (/(?:^|[^\w>:$])mail\s*\(|->send\(\)/.test(line) && (/(?:^|[^\w>:$])mail\s*\(/.test(line) || !!ctx.inFile(/PHPMailer|Swift_Mailer|Symfony\\Component\\Mailer/))) ctx.add({ kind: 'mail', client: !!ctx.inFile(/PHPMailer/) ? 'PHPMailer' : 'mail()', direction: 'write' });
}

const RUBY_DB: [RegExp, DbKind, string][] = [
  [/\bPG(?:::Connection)?\.(?:connect|new|open)\b/, 'postgresql', 'PG'],
  [/\bMysql2::Client\.new\b/, 'mysql', 'Mysql2'],
  [/\bOCI8\.new\b/, 'oracle', 'OCI8'],
  [/\bTinyTds::Client\.new\b/, 'sqlserver', 'TinyTds'],
  [/\bSQLite3::Database\.new\b/, 'sqlite', 'SQLite3'],
];

/** A Ruby line: database drivers, Net::HTTP and friends, Net::SFTP, mail. */
export function rubyLine(line: string, ctx: ClientContext): void {
  const db = RUBY_DB.find(([re]) => re.test(line));
  if (db) ctx.add({ kind: 'database', client: db[2], database: db[1], ...(ctx.sqlDirection ? { direction: ctx.sqlDirection } : {}), ...(/host:\s*(['"])([\w.-]{1,200})\1/.exec(line) ? { host: /host:\s*(['"])([\w.-]{1,200})\1/.exec(line)![2] } : {}) });
  const http = /\b(Net::HTTP|HTTParty|RestClient|Faraday|HTTP|Excon|Typhoeus)\.(get|post|put|patch|delete|head|get_response|post_form)\b\s*\(?\s*(?:URI(?:\.parse)?\(\s*)?([^,)]{0,300})/.exec(line) ?? /\b(URI)\.(open)\(\s*([^,)]{0,300})/.exec(line);
  if (http) {
    const arg = http[3]!.trim();
    const url = /https?:\/\/[^'"\s)]+/.exec(arg)?.[0] ?? ctx.urlOf(arg);
    const method = http[2] === 'open' || http[2] === 'get_response' ? 'GET' : http[2] === 'post_form' ? 'POST' : http[2]!.toUpperCase();
    ctx.add({ kind: 'http', client: http[1]!, method, ...(url && ctx.hostOf(url) ? { host: ctx.hostOf(url) } : {}), direction: method === 'GET' || method === 'HEAD' ? 'read' : 'write' });
  }
  const sftp = /\bNet::(SFTP|FTP|SCP)\.(?:start|open|new)\(\s*(['"])([\w.-]{1,200})\2/.exec(line);
  if (sftp) {
    const dir = !!ctx.inFile(/\.(?:upload!?|put\w*)\b|\bputbinaryfile\b/) ? 'write' : !!ctx.inFile(/\.(?:download!?|get\w*)\b|\bgetbinaryfile\b/) ? 'read' : undefined;
    ctx.add({ kind: 'transfer', client: `Net::${sftp[1]}`, host: sftp[3]!, ...(dir ? { direction: dir } : {}) });
  }
  if (/\bMail\.deliver\b|\.deliver(?:_now|_later)?\b|\bNet::SMTP\.start\b|\bPony\.mail\b/.test(line)) ctx.add({ kind: 'mail', client: /Net::SMTP/.test(line) ? 'Net::SMTP' : /Pony/.test(line) ? 'Pony' : 'Mail', direction: 'write' });
}

const NODE_DB: [RegExp, DbKind, string][] = [
  [/\bnew\s+(?:pg\.)?(?:Pool|Client)\s*\(/, 'postgresql', 'pg'],
  [/\bmysql2?\.create(?:Connection|Pool)\s*\(|\bcreate(?:Connection|Pool)\s*\(/, 'mysql', 'mysql'],
  [/\boracledb\.(?:getConnection|createPool)\s*\(/, 'oracle', 'oracledb'],
  [/\bsql\.connect\s*\(|\bnew\s+sql\.ConnectionPool\s*\(|\bnew\s+Connection\s*\(\s*config/, 'sqlserver', 'mssql'],
  [/\bnew\s+sqlite3\.Database\s*\(|\bnew\s+Database\s*\(\s*['"][^'"]*\.(?:db|sqlite3?)['"]/, 'sqlite', 'sqlite3'],
];

/** A Node line: database drivers (the module decides the kind), fetch/axios/got/https, SFTP, mail, files. */
export function nodeLine(line: string, ctx: ClientContext): void {
  const mod = (name: string) => {
    let re = MODULES.get(name);
    if (!re) MODULES.set(name, (re = new RegExp(`require\\(\\s*['"]${name}['"]\\s*\\)|from\\s+['"]${name}['"]`)));
    return !!ctx.inFile(re);
  };
  for (const [re, kind, module] of NODE_DB) {
    if (!re.test(line)) continue;
    if (module === 'pg' && !mod('pg')) continue;
    if (module === 'mysql' && !mod('(?:promise-)?mysql2?(?:/promise)?')) continue;
    if (module === 'mssql' && !mod('(?:mssql|tedious)')) continue;
    if (module === 'sqlite3' && !mod('(?:sqlite3|better-sqlite3)')) continue;
    ctx.add({ kind: 'database', client: module, database: kind, ...(ctx.sqlDirection ? { direction: ctx.sqlDirection } : {}), ...(/host\s*:\s*(['"])([\w.-]{1,200})\1/.exec(line) ? { host: /host\s*:\s*(['"])([\w.-]{1,200})\1/.exec(line)![2] } : {}) });
    break;
  }
  const http = /\b(axios|got|superagent|request|needle)\.(get|post|put|patch|delete|head)\(\s*([^,)]{0,300})/.exec(line) ?? /\b(fetch|axios|got)\(\s*([^,)]{0,300})/.exec(line) ?? /\b(https?)\.(get|request)\(\s*([^,)]{0,300})/.exec(line);
  if (http) {
    const three = http.length === 4;
    const arg = (three ? http[3] : http[2])!.trim();
    const url = /https?:\/\/[^'"`\s)]+/.exec(arg)?.[0] ?? ctx.urlOf(arg);
    let method = three && /^(get|post|put|patch|delete|head)$/.test(http[2]!) ? http[2]!.toUpperCase() : 'GET';
    if (!three || http[2] === 'request') method = /method\s*:\s*['"](\w+)['"]/.exec(line)?.[1]?.toUpperCase() ?? method;
    if (url || http[1] !== 'fetch') ctx.add({ kind: 'http', client: http[1]!, method, ...(url && ctx.hostOf(url) ? { host: ctx.hostOf(url) } : {}), direction: method === 'GET' || method === 'HEAD' ? 'read' : 'write' });
  }
  if (/\.(?:put|fastPut|uploadFrom|uploadDir)\(/.test(line) && !!ctx.inFile(/ssh2-sftp-client|basic-ftp|ftp-deploy|['"]ftp['"]/)) ctx.add({ kind: 'transfer', client: !!ctx.inFile(/basic-ftp|['"]ftp['"]/) ? 'ftp' : 'sftp', direction: 'write' });
  if (/\.(?:get|fastGet|downloadTo|downloadToDir)\(/.test(line) && !!ctx.inFile(/ssh2-sftp-client|basic-ftp/) && !/axios|got|fetch/.test(line)) ctx.add({ kind: 'transfer', client: !!ctx.inFile(/basic-ftp/) ? 'ftp' : 'sftp', direction: 'read' });
  if (/\.sendMail\(/.test(line)) ctx.add({ kind: 'mail', client: 'nodemailer', direction: 'write' });
}
