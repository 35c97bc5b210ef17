/**
 * node:os loaded on first use: the home folder the caches live under is what os.homedir() gives,
 * whatever $HOME holds (set, empty, or unset), without loading node:os when $HOME answers.
 */
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { homeDir, tmpDir } from '../src/edge/os-lazy.js';

const saved = process.env.HOME;
afterEach(() => {
  if (saved === undefined) delete process.env.HOME;
  else process.env.HOME = saved;
});

describe('homeDir', () => {
  it.each([['/home/someone'], ['/tmp/odd home/x'], ['']])('is os.homedir() with HOME=%j', (home) => {
    process.env.HOME = home;
    expect(homeDir()).toBe(os.homedir());
    expect(homeDir()).toBe(home);
  });

  it('is os.homedir() (the password entry) with HOME unset', () => {
    delete process.env.HOME;
    expect(homeDir()).toBe(os.homedir());
    expect(homeDir().length).toBeGreaterThan(0);
  });

  it('tmpDir is os.tmpdir()', () => {
    expect(tmpDir()).toBe(os.tmpdir());
  });
});
