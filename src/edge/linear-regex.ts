import v8 from 'node:v8';

/**
 * Turns on V8's linear-time regular expression engine (the `l` flag), so a pattern from a rules
 * file cannot take exponential time. It must run before such a pattern is compiled; when this
 * Node does not offer the engine, the structural checks of core/assess/rules.ts still apply.
 */
let done = false;
export function enableLinearRegex(): void {
  if (done) return;
  done = true;
  try {
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
  } catch {
    // Not offered: the rules' own limits stand alone.
  }
}
