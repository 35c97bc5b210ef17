/**
 * Text on its way to a terminal. Much of what the tool prints came from outside: checklist
 * titles and items (any pull request can change them), a template's changelog, file names,
 * answers, git's own messages. A terminal obeys control characters in it: ESC starts sequences
 * that clear the screen (`\x1b[2J`), retitle the window (`\x1b]0;...\x07`), hide or move text;
 * C1 codes (U+0080..U+009F) do the same on terminals that honour them; a lone CR rewrites the
 * line; bidi overrides (U+202A..U+202E, U+2066..U+2069) reorder what is shown. Each of these is
 * shown as a visible escape (`\x1b`, `\u202e`) instead. Newlines and tabs stay (a message may
 * have several lines), and so does CR before LF (a file's CRLF endings in a diff). Pure.
 */

// C0 but tab and newline, DEL, C1, the bidi embeddings, overrides and isolates, and the
// line and paragraph separators (a terminal may break lines at them).
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Our own styles (bold, dim, the four colours and their resets), when colour is on: kept as they are. */
const OWN_STYLES = /\x1b\[(?:1|2|22|31|32|33|36|39)m/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character a terminal would act on shown as an escape. With
 * `styles`, the colour codes the tool itself writes survive (they only colour; a template's
 * text cannot hide or move anything with them).
 */
export function terminalSafe(text: string, opts: { styles?: boolean } = {}): string {
  const safe = (s: string) => s.replace(/\r(?!\n)/g, '\\r').replace(UNSAFE, (c) => (c === '\r' ? c : escape(c)));
  if (!opts.styles || !text.includes('\x1b')) return safe(text);
  let out = '';
  let at = 0;
  for (const m of text.matchAll(OWN_STYLES)) {
    out += safe(text.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  return out + safe(text.slice(at));
}

/** JSON text with C1, DEL and bidi controls written as \u escapes (JSON.stringify escapes C0 already). */
export function jsonSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
