/**
 * `npm test` on a fresh machine: scripts/provision.mjs (pretest) checks redis-server and Chromium
 * once, up front; as root with apt-get it installs what is missing (apt-get update, then one
 * install), otherwise it prints one message naming what is missing and how to get it, and exits 1.
 * apt-get here is a fake on PATH that records its calls: nothing is installed by this test.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', 'scripts', 'provision.mjs');
const isRoot = process.getuid?.() === 0;
let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kts-provision-test-'));
  mkdirSync(join(dir, 'bin'));
});
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function fakeAptGet(behaviour: 'installs' | 'fails'): void {
  const file = join(dir, 'bin', 'apt-get');
  writeFileSync(
    file,
    `#!/bin/sh
PATH=/usr/bin:/bin
echo "$*" >> "${dir}/calls.log"
case "$1" in install)
  ${behaviour === 'fails' ? 'echo "E: Unable to locate package chromium" >&2; exit 100' : `printf '#!/bin/sh\\n' > "${dir}/bin/redis-server"; chmod +x "${dir}/bin/redis-server"; touch "${dir}/chromium"`};;
esac
`,
  );
  chmodSync(file, 0o755);
}

function provision(env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { HOME: process.env.HOME ?? '/tmp', PATH: join(dir, 'bin'), CHROMIUM_PATH: join(dir, 'chromium'), ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('scripts/provision.mjs (npm pretest)', () => {
  it('does nothing and says nothing when redis-server and Chromium are there', () => {
    writeFileSync(join(dir, 'bin', 'redis-server'), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', 'redis-server'), 0o755);
    writeFileSync(join(dir, 'chromium'), '');
    expect(provision()).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('without a way to install: one message naming each missing program and how to get it, exit 1', () => {
    const run = provision();
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('missing redis-server (for the Redis tests) and Chromium at');
    expect(run.stderr).toContain(isRoot ? 'no apt-get on this machine' : 'installing them needs root');
    expect(run.stderr).toContain('apt-get install -y --no-install-recommends redis-server chromium');
    expect(run.stderr).toContain('CHROMIUM_PATH');
    expect(run.stderr.match(/koa-typed-session tests:/g)).toHaveLength(1);
  });

  it('SKIP_E2E=1 does not ask for Chromium', () => {
    const run = provision({ SKIP_E2E: '1' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('missing redis-server');
    expect(run.stderr).not.toContain('Chromium at');
  });

  it('as root with apt-get: apt-get update, then one install of what is missing, serially; then passes', () => {
    fakeAptGet('installs');
    const run = provision();
    if (!isRoot) {
      expect(run.status).toBe(1);
      expect(existsSync(join(dir, 'calls.log'))).toBe(false);
      return;
    }
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n')).toEqual([
      'update -qq',
      'install -y -qq --no-install-recommends redis-server chromium',
    ]);
    expect(run.stdout).toContain('installing redis-server chromium with apt-get');
  });

  it('as root, when apt-get fails: one message with apt-get’s last lines, exit 1', () => {
    fakeAptGet('fails');
    const run = provision();
    expect(run.status).toBe(1);
    if (isRoot) {
      expect(run.stderr).toContain('apt-get failed');
      expect(run.stderr).toContain('E: Unable to locate package chromium');
    }
    expect(run.stderr).toContain('apt-get install -y --no-install-recommends redis-server chromium');
  });
});

describe('tests never install system packages', () => {
  it('no test file runs apt-get (only scripts/provision.mjs, before jest, does)', () => {
    const root = join(__dirname, '..');
    const offenders: string[] = [];
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|js|mjs|cjs)$/.test(entry.name) && path !== __filename) {
          // A command string that runs apt-get (not a message telling the user to).
          if (
            /['"`][^'"`\n]*(?:&&|\|\||;|^|\s)apt-get (?:install|update) -[^'"`\n]*(?:>|2>&1)/m.test(
              readFileSync(path, 'utf8'),
            )
          )
            offenders.push(path);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
