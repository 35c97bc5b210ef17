/**
 * Test-only unified-diff applier: strict (no fuzz, no offsets) so that any
 * wrong line number or context line in a generated patch fails loudly.
 */
export interface ApplyOptions {
  /** How the patch and the old text are cut into lines. */
  split: (text: string) => string[];
  /** Check `+start` against the output position; a .rej numbers new lines against a different file. */
  checkNewStart: boolean;
}

interface ParsedHunk {
  /** 0-based line indexes where the hunk applies / lands. */
  oldIndex: number;
  newIndex: number;
  body: Array<{ tag: string; line: string }>;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$/;

function parse(patch: string, split: (text: string) => string[]): ParsedHunk[] {
  const lines = split(patch);
  const hunks: ParsedHunk[] = [];
  let i = 0;
  while (i < lines.length && !lines[i]!.startsWith('@@')) i++;
  while (i < lines.length) {
    const m = HUNK_HEADER.exec(lines[i++]!);
    if (!m) throw new Error(`bad hunk header: ${JSON.stringify(lines[i - 1])}`);
    let oldLeft = Number(m[2] ?? 1);
    let newLeft = Number(m[4] ?? 1);
    const hunk: ParsedHunk = { oldIndex: toIndex(m[1]!, oldLeft), newIndex: toIndex(m[3]!, newLeft), body: [] };
    while (oldLeft > 0 || newLeft > 0) {
      const raw = lines[i++];
      if (raw === undefined) throw new Error('hunk body too short');
      const tag = raw[0]!;
      if (tag === ' ' || tag === '-') oldLeft--;
      if (tag === ' ' || tag === '+') newLeft--;
      if (!' -+'.includes(tag) || oldLeft < 0 || newLeft < 0) throw new Error(`bad body line ${JSON.stringify(raw)}`);
      hunk.body.push({ tag, line: raw.slice(1) });
      if (lines[i]?.startsWith('\\')) {
        if (lines[i] !== '\\ No newline at end of file\n') throw new Error('bad no-newline marker');
        i++;
        const last = hunk.body[hunk.body.length - 1]!;
        if (!last.line.endsWith('\n')) throw new Error('no-newline marker after unterminated line');
        last.line = last.line.slice(0, -1);
      }
    }
    hunks.push(hunk);
  }
  return hunks;
}

// An empty range names the line before it: `-5,0` inserts after line 5.
function toIndex(start: string, count: number): number {
  return count === 0 ? Number(start) : Number(start) - 1;
}

export function applyPatch(oldText: string, patch: string, options: ApplyOptions): string {
  const a = options.split(oldText);
  const out: string[] = [];
  let pos = 0;
  for (const hunk of parse(patch, options.split)) {
    if (hunk.oldIndex < pos || hunk.oldIndex > a.length) throw new Error(`hunk at index ${hunk.oldIndex} out of order or range`);
    out.push(...a.slice(pos, hunk.oldIndex));
    if (options.checkNewStart && hunk.newIndex !== out.length) {
      throw new Error(`hunk lands at index ${hunk.newIndex} but output is at ${out.length}`);
    }
    pos = hunk.oldIndex;
    for (const { tag, line } of hunk.body) {
      if (tag !== '+') {
        if (a[pos] !== line) throw new Error(`mismatch at line ${pos + 1}: ${JSON.stringify(a[pos])} vs ${JSON.stringify(line)}`);
        pos++;
      }
      if (tag !== '-') out.push(line);
    }
  }
  out.push(...a.slice(pos));
  return out.join('');
}
