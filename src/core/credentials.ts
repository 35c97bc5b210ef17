/**
 * Credentials out of text the tool shows or stores. A URL in a `--repos` file or a manifest may
 * carry `user:password@` or a token; git repeats it in its own messages in other shapes
 * (`unable to look up user:pw@host`, the URL decoded, quoted). Every string of an output passes
 * through here, whatever produced it. Pure.
 */

const REDACTED = 'REDACTED';

/** `scheme://user:password@host` and `scheme://token@host`: the part before `@` goes. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"<>]*@/gi;
/** `user:password@host` with no scheme before it (as git's "unable to look up" message has it). */
const BARE_USERINFO = /(^|[\s'"(<[,;=])[^\s/@:'"<>()[\],;=]+:[^\s/@'"<>()[\]]+@(?=[^\s@]*[a-z0-9])/gi;

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The secrets a URL carries: its user-info as written and decoded, and its password alone. */
export function secretsOf(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/\s@]*)@/i.exec(url);
  if (!m || !m[1]) return [];
  const info = m[1];
  const [user = '', password = ''] = info.split(/:(.*)/s);
  const out: string[] = [];
  // A password; or a user name with no password, which is a token when it is long (a plain user
  // name such as `deploy` or `git` is no secret, and replacing it everywhere would garble rows).
  if (password) out.push(info, decoded(info), ...[password, decoded(password)].filter((s) => s.length >= 4));
  else out.push(...[user, decoded(user)].filter((s) => s.length >= 16));
  return [...new Set(out)].filter(Boolean).sort((a, b) => b.length - a.length);
}

/** `text` with every user-info of a URL removed, and every known secret replaced by REDACTED. */
export function hideCredentials(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out.replace(URL_USERINFO, '$1').replace(BARE_USERINFO, '$1');
}

/** The same value with `hideCredentials` applied to every string in it (objects and arrays copied). */
export function hideCredentialsDeep<T>(value: T, secrets: readonly string[] = []): T {
  if (typeof value === 'string') return hideCredentials(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => hideCredentialsDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideCredentialsDeep(v, secrets)])) as T;
  }
  return value;
}
