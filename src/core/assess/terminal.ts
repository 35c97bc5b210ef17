/**
 * Text from a legacy tree (file names, commands, quoted lines) shown on a terminal: control
 * characters, escape sequences and bidirectional overrides are written as visible escapes, so a file
 * named `\x1b]0;...` cannot retitle, recolour or rewrite the user's terminal. Tabs stay. Pure.
 * (Local to assess: no shared core helper for this exists in this branch.)
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
