/**
 * Links in a Markdown file that point at files of the project (not URLs, not anchors), resolved
 * against the file's folder. Code blocks and code spans are not read. Pure.
 */
import { posix } from 'node:path';

export interface LocalLink {
  raw: string;
  /** The project path it names, '/'-separated, without #fragment. */
  resolved: string;
  /** It climbs out of the project folder. */
  outside: boolean;
}

const INLINE = /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE = /^ {0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function markdownLinks(file: string, text: string): LocalLink[] {
  const targets: string[] = [];
  let fence: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1]![0];
      else if (f[1]![0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const plain = line.replace(/(`+)[^`]*?\1/g, '');
    for (const m of plain.matchAll(INLINE)) targets.push(m[1]!);
    const ref = REFERENCE.exec(plain);
    if (ref) targets.push(ref[1]!);
  }
  const dir = posix.dirname(file);
  const out: LocalLink[] = [];
  for (let raw of targets) {
    if (raw.startsWith('<') && raw.endsWith('>')) raw = raw.slice(1, -1);
    if (!raw || raw.startsWith('#') || raw.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(raw)) continue;
    const bare = decode(raw.replace(/[#?].*$/, ''));
    if (!bare) continue;
    const joined = bare.startsWith('/') ? posix.normalize(bare.slice(1)) : posix.normalize(posix.join(dir, bare));
    const resolved = joined.replace(/\/$/, '');
    out.push({ raw, resolved, outside: resolved === '..' || resolved.startsWith('../') });
  }
  return out;
}
