/**
 * Cloud object storage and downloads, as commands write them. Pure; each function reads one
 * statement of bounded length.
 */

export interface StorageUse {
  client: string;
  direction?: 'read' | 'write';
  target?: string;
  /** `bq extract` reads a BigQuery table; `bq load` writes one. */
  bigquery?: 'read' | 'write';
}

const REMOTE_URL = /^(?:s3|s3a|s3n|gs|az|abfss?|wasbs?):\/\/\S+|^https:\/\/[\w-]+\.(?:blob|dfs)\.core\.windows\.net\/\S*/i;

/** The arguments of a command up to the end of its statement, unquoted. */
function args(rest: string): string[] {
  const stmt = rest.split(/\s(?:\||;|&&|\|\||>>?|2>)\s|[;|]\s*$/)[0] ?? rest;
  return stmt.trim().split(/\s+/).filter(Boolean).map((t) => t.replace(/^['"]+|['"]+$/g, ''));
}

function positional(tokens: string[], valued = /^-(?:o|h|p|x|-exclude|-include|-region|-profile|-endpoint-url|-storage-class|-log-level|-config|-min-age|-max-age|-transfers|-project_id|-location|-destination_format|-source_format|-schema|-field_delimiter)$/): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startsWith('-')) {
      if (valued.test(t) && !t.includes('=')) i++;
      continue;
    }
    out.push(t);
  }
  return out;
}

const isRemote = (t: string, rclone: boolean) => REMOTE_URL.test(t) || (rclone && /^[\w-]{1,40}:(?!\/\/)/.test(t) && !/^[A-Za-z]:[\\/]/.test(t));

/** Copy-like verbs: the last argument is where data goes. */
function byPosition(pos: string[], rclone: boolean): { direction?: 'read' | 'write'; target?: string } {
  const remote = pos.filter((t) => isRemote(t, rclone));
  if (!remote.length) return {};
  const last = pos[pos.length - 1]!;
  return isRemote(last, rclone) ? { direction: 'write', target: last } : { direction: 'read', target: remote[0] };
}

const WRITE_VERBS = /^(rm|del|delete|deletefile|purge|rb|rmdir|remove|put|put-object|upload|upload-batch|upload-part|delete-object|delete-objects|copy-object|mb|setmeta|rsync-delete|rcat|touch|mkdir)$/;
const READ_VERBS = /^(ls|lsf|lsl|lsd|cat|du|stat|head|get|get-object|head-object|list-objects|list-objects-v2|download|download-batch|size|md5sum|sha1sum|check|list)$/;
const COPY_VERBS = /^(cp|mv|sync|rsync|copy|copyto|move|moveto|bisync)$/;

/**
 * `name` is the command word found at the start of `rest`'s statement (aws, gsutil, gcloud, azcopy,
 * rclone, s3cmd, bq, az); undefined when the command is not a storage command (aws ec2 ...).
 */
export function storageCommand(name: string, rest: string): StorageUse | undefined {
  const tokens = args(rest);
  let client = name;
  let verbs = tokens;
  if (name === 'aws') {
    if (tokens[0] !== 's3' && tokens[0] !== 's3api') return undefined;
    client = `aws ${tokens[0]}`;
    verbs = tokens.slice(1);
  } else if (name === 'gcloud') {
    if (tokens[0] !== 'storage') return undefined;
    client = 'gcloud storage';
    verbs = tokens.slice(1);
  } else if (name === 'az') {
    if (tokens[0] !== 'storage') return undefined;
    client = 'az storage';
    verbs = tokens.slice(tokens[1] === 'blob' || tokens[1] === 'file' || tokens[1] === 'fs' ? 2 : 1);
  } else if (name === 'gsutil') {
    verbs = positional(tokens);
    const at = tokens.indexOf(verbs[0] ?? '');
    verbs = at >= 0 ? tokens.slice(at) : verbs;
  }
  const verb = (verbs[0] ?? '').toLowerCase();
  const pos = positional(verbs.slice(1));
  const rclone = name === 'rclone';
  if (name === 'bq') {
    const remote = pos.find((t) => /^gs:\/\//.test(t));
    if (verb === 'extract') return { client: 'bq', direction: 'write', ...(remote ? { target: remote } : {}), bigquery: 'read' };
    if (verb === 'load') return { client: 'bq', direction: 'read', ...(remote ? { target: remote } : {}), bigquery: 'write' };
    if (verb === 'query') return { client: 'bq', bigquery: /--destination_table|\binsert\s+into\b|\bmerge\b/i.test(rest) ? 'write' : 'read' };
    return undefined;
  }
  if (!verb || (!COPY_VERBS.test(verb) && !WRITE_VERBS.test(verb) && !READ_VERBS.test(verb))) return undefined;
  const remote = pos.find((t) => isRemote(t, rclone) || (name === 'az' && false));
  const containerOpt = /--(?:container-name|container|destination-container|source-container|bucket)[= ]+['"]?([\w.$-]+)/.exec(rest)?.[1];
  if (COPY_VERBS.test(verb)) {
    if (name === 's3cmd' && verb !== 'sync') return { client, ...byPosition(pos, rclone) };
    return { client, ...byPosition(pos, rclone) };
  }
  const target = remote ?? (containerOpt ? `container ${containerOpt}` : undefined);
  const direction = WRITE_VERBS.test(verb) ? 'write' : 'read';
  return { client, direction, ...(target ? { target } : {}) };
}

// Software and keys: what a download of these fetches is code, not data.
const CODE_EXT = /\.(?:sh|bash|ksh|zsh|py|pyc|pl|pm|rb|js|mjs|ts|r|ps1|psm1|bat|cmd|exe|msi|dmg|pkg|deb|rpm|apk|whl|egg|gem|jar|war|ear|nupkg|vsix|asc|gpg|pgp|sig|key|pub|pem|crt|repo|list|conf|cfg|ini|service|timer)$/i;
const ARCHIVE = /\.(?:tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2?|zip|7z|gz|xz|bz2|tar)$/i;
const SOFTWARE_HOST = /(?:^|\.)(?:github\.com|githubusercontent\.com|gitlab\.com|bitbucket\.org|pypi\.org|pythonhosted\.org|npmjs\.(?:org|com)|nodejs\.org|yarnpkg\.com|anaconda\.(?:com|org)|conda\.io|pypa\.io|docker\.com|dl\.google\.com|go\.dev|golang\.org|hashicorp\.com|ubuntu\.com|debian\.org|centos\.org|fedoraproject\.org|r-project\.org|sourceforge\.net|rubygems\.org|getcomposer\.org|sdkman\.io|rustup\.rs|nodesource\.com|apache\.org|maven\.org|gradle\.org|oracle\.com|microsoft\.com|visualstudio\.com|amazonaws\.com\/(?:awscli|aws-cli)|awscli\.amazonaws\.com|cloud\.google\.com|k8s\.io|helm\.sh|brew\.sh|jetbrains\.com|eclipse\.org|mozilla\.org|nginx\.org|php\.net|python\.org|ruby-lang\.org|cpan\.org|metacpan\.org|alpinelinux\.org|archlinux\.org|kernel\.org|gnu\.org|savannah\.\w+)$/i;
const SOFTWARE_NAME = /(?:^|[-_.])(?:v?\d+\.\d+(?:\.\d+)?|linux|darwin|macos|windows|win(?:32|64)|amd64|arm64|aarch64|x86_64|x64|i[36]86|installer|install|setup|bin|src|sdk|cli|driver|agent|release)(?:[-_.]|$)/i;

/** Is this URL a download of code, a package, an installer or a key (never a data source)? */
export function isCodeDownload(url: string, statement: string): boolean {
  // Piped to an interpreter or into the package manager's keyring: code whatever its name.
  if (/\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:ba|z|k|da)?sh\b|\|\s*(?:sudo\s+)?(?:python\d?|perl|ruby|php|node)\b|\|\s*(?:sudo\s+)?(?:apt-key|gpg)\b|\|\s*(?:sudo\s+)?tee\s+(?:-a\s+)?\/etc\/(?:apt|yum|pki)/.test(statement)) return true;
  let host = '';
  let file = '';
  try {
    const u = new URL(url.replace(/[)'";,.]+$/, ''));
    host = u.hostname;
    // A query string asks a service for something: a request, not a download of software.
    if (u.search) return false;
    file = decodeURIComponent(u.pathname.split('/').pop() ?? '');
    if (/\/(?:releases\/download|install|installer|get-pip)/i.test(u.pathname)) return true;
  } catch {
    file = url.split(/[?#]/)[0]!.replace(/[;,.]+$/, '').split('/').pop() ?? '';
  }
  if (/^get-pip\.py$|^install[\w.-]*$/i.test(file)) return true;
  if (CODE_EXT.test(file)) return true;
  if (/(?:^|[_.-])(?:requirements|req|constraints)(?:[_.-]|$)[\w.-]*\.txt$/i.test(file)) return true;
  if (ARCHIVE.test(file)) return SOFTWARE_HOST.test(host) || SOFTWARE_NAME.test(file.replace(ARCHIVE, ''));
  // No file name: a software host's page or script (get.docker.com, sh.rustup.rs).
  if (!/\.\w{1,8}$/.test(file)) return SOFTWARE_HOST.test(host) || /^(?:get|install|sh|dl|download|downloads|releases|packages|repo|apt|yum)\./i.test(host);
  return false;
}
