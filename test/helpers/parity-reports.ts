/** Daily parity reports as the runner writes them, for the tests of what reads them (views, fleet). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { tempDir } from './cli.js';

/** The n days (weekends too, as a daily parity run makes them) ending at `last`, newest first. */
export function daysBack(last: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.parse(`${last}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10));
}

export const reportText = (job: string, date: string, verdict: string) => JSON.stringify({ schema: 'parity-report/1', job, date, verdict, generated_at: `${date}T03:00:00Z` });

/** Writes `<root>/reports/parity/<job>/<date>.json`; returns its path. */
export function writeReport(root: string, job: string, date: string, verdict: 'green' | 'red'): string {
  const dir = path.join(root, 'reports/parity', job);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${date}.json`);
  writeFileSync(file, reportText(job, date, verdict));
  return file;
}

/**
 * Edits a report in place (the same inode) to `verdict`, keeping its size and its modification
 * time, as a tool restoring the times would: only its change time tells.
 */
export function editInPlace(file: string, verdict: 'green' | 'red'): void {
  const before = statSync(file);
  // A copy that keeps the times to the nanosecond, to put them back from; kept outside the
  // project, since a file made beside the reports would move their folders' stamps.
  const ref = path.join(tempDir(), 'ref');
  execFileSync('cp', ['-p', file, ref]);
  const text = readFileSync(file, 'utf8');
  // The verdict and the spaces after it, padded back to the report's size.
  const edited = text.replace(/"verdict":"(green|red)" */, `"verdict":"${verdict}"`);
  const padded = edited.replace(`"verdict":"${verdict}"`, `"verdict":"${verdict}"${' '.repeat(text.length - edited.length)}`);
  expect(padded.length).toBe(text.length);
  writeFileSync(file, padded); // truncates and writes: the same inode
  execFileSync('touch', ['-r', ref, file]);
  rmSync(ref);
  expect(statSync(file).ino).toBe(before.ino);
  expect(statSync(file).size).toBe(before.size);
  expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
}
