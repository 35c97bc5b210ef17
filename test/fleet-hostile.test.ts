import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hideCredentials, hideCredentialsDeep, secretsOf } from '../src/core/credentials.js';
import { CLI, runCli, tempDir, testEnv } from './helpers/cli.js';

// `fleet --repos` reads a list of URLs from anyone: credentials in them must never be shown
// (git repeats them in its own messages), a server that accepts and never answers must not hang
// the run, the same URL twice must work, and Ctrl-C during a clone leaves nothing behind.

const SECRET = 's3cr3t-Pw';

describe('credentials are hidden in every shape (core)', () => {
  const url = `https://deploy:${SECRET}@git.example.com/team/a.git`;
  it.each([
    ['git:// URL', `fatal: unable to connect to git://deploy:${SECRET}@host/x`],
    ['https URL', `fatal: unable to access 'https://deploy:${SECRET}@git.example.com/team/a.git/': Could not resolve host`],
    ['ssh URL', `ssh://deploy:${SECRET}@host:22/x: Permission denied`],
    ['bare user:password@host (git\'s "unable to look up")', `fatal: unable to look up deploy:${SECRET}@git.example.com (port 9418) (Name or service not known)`],
    ['quoted', `'deploy:${SECRET}@git.example.com'`],
    ['the password alone', `password ${SECRET} was refused`],
    ['the password percent-decoded', `as typed: ${SECRET}`],
  ])('%s', (_name, text) => {
    const out = hideCredentials(text, secretsOf(url));
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('deploy:');
  });

  it('a token as the user name, and a percent-encoded password, are hidden as written and decoded', () => {
    expect(hideCredentials('failed for ghp_abcdef123456 at host', secretsOf('https://ghp_abcdef123456@github.com/o/r'))).toBe('failed for REDACTED at host');
    const enc = 'https://u:p%40ss%2Fw0rd@h/x';
    expect(hideCredentials('wrong password p@ss/w0rd', secretsOf(enc))).not.toContain('p@ss/w0rd');
  });

  it('every string of a nested value, and nothing else', () => {
    const v = { a: [`git://u:${SECRET}@h/x`, 3, null], b: { c: `u:${SECRET}@h`, d: true } };
    expect(hideCredentialsDeep(v)).toEqual({ a: ['git://h/x', 3, null], b: { c: 'h', d: true } });
  });

  it('a plain user name with no password is no secret: it is not replaced elsewhere', () => {
    expect(hideCredentials('https://host/deploy-tools.git failed', secretsOf('https://deploy@host/deploy-tools.git'))).toBe('https://host/deploy-tools.git failed');
  });

  it('plain text is untouched', () => {
    for (const t of ['line 3: starts with "-"', 'git@github.com:org/repo.git', 'https://github.com/org/repo', '2026-12-07T10:00:00Z', 'a: b@c']) expect(hideCredentials(t)).toBe(t);
  });
});

/** A TCP server that accepts every connection and never says a word. */
function silentServer(): Promise<{ port: number; connections: () => number; close: () => void }> {
  return new Promise((resolve) => {
    const sockets = new Set<net.Socket>();
    let count = 0;
    const server = net.createServer((s) => {
      count++;
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        connections: () => count,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      });
    });
  });
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** git processes still running that were started for this port. */
function gitFor(port: number): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`127.0.0.1:${port}`) && !l.includes('vitest'));
}

describe('fleet --repos against hostile lists and servers', () => {
  let tmp: string;
  let remote: string;
  let silent: Awaited<ReturnType<typeof silentServer>>;

  beforeAll(async () => {
    tmp = tempDir('cm-fleet-h-');
    const r = await runCli(['proj', '--yes'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    remote = path.join(tmp, 'remote.git');
    execFileSync('git', ['clone', '-q', '--bare', path.join(tmp, 'proj'), remote]);
    silent = await silentServer();
  }, 60_000);
  afterAll(() => silent?.close());

  it('no credential from a URL or from git\'s messages is shown: text, JSON and --html', async () => {
    const port = await closedPort();
    const list = path.join(tmp, 'creds.txt');
    writeFileSync(list, [
      `git://deploy:${SECRET}@127.0.0.1:${port}/x`,
      `https://deploy:${SECRET}@127.0.0.1:${port}/x.git`,
      `http://deploy:${SECRET}@127.0.0.1:${port}/x.git`,
      `ssh://deploy:${SECRET}@127.0.0.1:${port}/x`,
      `git://deploy:${SECRET}@no-such-host.invalid/x`,
      `https://${SECRET}@127.0.0.1:${port}/token.git`,
      `file://${remote}`,
    ].join('\n'));
    const env = { XDG_CACHE_HOME: tempDir('cm-cache-'), CREATE_MIGRATION_TIMEOUT_NETWORK: '20' };
    const page = path.join(tmp, 'fleet.html');
    const json = await runCli(['fleet', '--repos', list, '--json', '--html', page], { cwd: tmp, env, timeoutMs: 90_000 });
    const text = await runCli(['fleet', '--repos', list], { cwd: tmp, env, timeoutMs: 90_000 });
    for (const out of [json.stdout, json.stderr, text.stdout, text.stderr, readFileSync(page, 'utf8')]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain('deploy:');
    }
    const rows = JSON.parse(json.stdout).projects as { project: string; error?: string }[];
    expect(rows).toHaveLength(7);
    for (const row of rows.slice(0, 6)) expect(row.error, row.project).toMatch(/cannot clone/);
    expect(rows[6]!.error).toBeUndefined();
  }, 200_000);

  it('a server that accepts and never answers: its rows report a timeout, the healthy rows still print', async () => {
    const list = path.join(tmp, 'silent.txt');
    writeFileSync(list, `git://127.0.0.1:${silent.port}/x\nhttp://127.0.0.1:${silent.port}/x.git\nfile://${remote}\n`);
    const env = { XDG_CACHE_HOME: tempDir('cm-cache-'), CREATE_MIGRATION_TIMEOUT_NETWORK: '2' };
    const r = await runCli(['fleet', '--repos', list, '--json'], { cwd: tmp, env, timeoutMs: 60_000 });
    expect(r.timedOut).toBeUndefined();
    expect(r.code).toBe(1);
    const [git, http, healthy] = JSON.parse(r.stdout).projects;
    expect(git.error).toMatch(/cannot clone: git clone took longer than 2 s/);
    expect(http.error).toMatch(/cannot clone: git clone took longer than 2 s/);
    expect(healthy).toMatchObject({ version: expect.any(String), behind: false });
    expect(readdirSync(path.join(env.XDG_CACHE_HOME, 'create-migration/fleet')).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(gitFor(silent.port)).toEqual([]);
  }, 90_000);

  it('a --template URL on a silent server: generate exits 2 within the bound; fleet shows the template source\'s timeout in that row', async () => {
    const env = { CREATE_MIGRATION_TIMEOUT_NETWORK: '2', CREATE_MIGRATION_NO_CACHE: '1' };
    for (const url of [`git://127.0.0.1:${silent.port}/t`, `http://127.0.0.1:${silent.port}/t.git`]) {
      const gen = await runCli(['p', '--yes', '--template', url], { cwd: tempDir('cm-silent-gen-'), env, timeoutMs: 60_000 });
      expect(gen.timedOut).toBeUndefined();
      expect(gen.code).toBe(2);
      expect(gen.stderr).toMatch(/--template: cannot clone .*no answer within 2 s/);
    }
    // A project whose manifest (any pull request can edit it) names a silent template source.
    const dir = path.join(tempDir('cm-silent-fleet-'), 'p');
    execFileSync('cp', ['-r', path.join(tmp, 'proj'), dir]);
    const manifest = path.join(dir, '.migration-template.json');
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    m.template.source = `http://127.0.0.1:${silent.port}/t.git`;
    writeFileSync(manifest, JSON.stringify(m, null, 2));
    const r = await runCli(['fleet', dir, path.join(tmp, 'proj'), '--json'], { cwd: tmp, env, timeoutMs: 60_000 });
    expect(r.timedOut).toBeUndefined();
    const [silentRow, healthy] = JSON.parse(r.stdout).projects;
    expect(silentRow.error).toMatch(/template source: .*no answer within 2 s/);
    expect(healthy.error).toBeUndefined();
    await new Promise((res) => setTimeout(res, 200));
    expect(gitFor(silent.port)).toEqual([]);
  }, 120_000);

  it('the same URL on two lines: both rows read the one clone', async () => {
    const list = path.join(tmp, 'twice.txt');
    writeFileSync(list, `file://${remote}\nfile://${remote}\n`);
    const env = { XDG_CACHE_HOME: tempDir('cm-cache-') };
    for (let run = 0; run < 2; run++) {
      const r = await runCli(['fleet', '--repos', list, '--json'], { cwd: tmp, env, timeoutMs: 60_000 });
      const rows = JSON.parse(r.stdout).projects;
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.error, r.stdout).toBeUndefined();
      expect(rows[0].version).toBe(rows[1].version);
    }
    expect(readdirSync(path.join(env.XDG_CACHE_HOME, 'create-migration/fleet'))).toHaveLength(1);
  }, 90_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a clone: no <hash>.tmp-<pid> left in the cache, no git left running`, async () => {
      const cache = tempDir('cm-cache-');
      const list = path.join(tmp, `sig-${signal}.txt`);
      writeFileSync(list, `git://127.0.0.1:${silent.port}/x\nhttp://127.0.0.1:${silent.port}/y.git\nfile://${remote}\n`);
      const before = silent.connections();
      const child = spawn(process.execPath, [CLI, 'fleet', '--repos', list], { cwd: tmp, env: testEnv({ XDG_CACHE_HOME: cache }), stdio: 'ignore' });
      const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Both clones have connected and wait for an answer that never comes.
      for (let i = 0; i < 600 && silent.connections() < before + 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(silent.connections()).toBeGreaterThanOrEqual(before + 2);
      const dir = path.join(cache, 'create-migration/fleet');
      expect(readdirSync(dir).some((n) => n.includes('.tmp-'))).toBe(true);
      child.kill(signal);
      const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still running'), 30_000))]);
      expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(existsSync(dir) ? readdirSync(dir).filter((n) => n.includes('.tmp-')) : []).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
      expect(gitFor(silent.port)).toEqual([]);
    }, 90_000);
  }
});
