/** The lines of a `fleet --repos` file: one git URL or path each; `#` comments and blank lines skipped. Pure. */

export interface RepoLine {
  line: number;
  text: string;
  kind: 'url' | 'path';
  /** Why the line cannot be used (the rest of the file still is). */
  problem?: string;
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^[^/\s]+@[^:\s]+:/.test(s);
const SAFE_SCHEMES = /^(https?|ssh|git|file):\/\//i;

export function parseReposFile(text: string): RepoLine[] {
  const out: RepoLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.replace(/\s+#.*$/, '').trim();
    if (!t || t.startsWith('#')) return;
    const line = i + 1;
    if (t.startsWith('-')) out.push({ line, text: t, kind: 'path', problem: 'starts with "-" (it would be read as an option)' });
    else if (/[\u0000-\u001f\u007f]/.test(t)) out.push({ line, text: t, kind: 'path', problem: 'contains a control character' });
    else if (isUrl(t)) out.push({ line, text: t, kind: 'url', problem: /^[a-z][a-z0-9+.-]*:\/\//i.test(t) && !SAFE_SCHEMES.test(t) ? 'only https, ssh, git and file URLs are cloned' : undefined });
    else out.push({ line, text: t, kind: 'path' });
  });
  return out;
}

/** A URL as it may be shown or stored: without user name, password or token. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
