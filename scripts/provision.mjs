// `npm test`'s first step (pretest): makes sure the system programs the suite needs are installed,
// once, up front, before any test runs:
//   - redis-server (the Redis tests spawn private servers on 127.0.0.1; never a mock);
//   - Chromium at CHROMIUM_PATH (default /usr/bin/chromium), for the browser tests (skipped from
//     this check, and from .ci/run's install, with SKIP_E2E=1).
// When something is missing and this runs as root on a machine with apt-get (a fresh Debian
// container, CI), it installs the missing packages with apt-get, serially, quietly. Otherwise it
// prints ONE message naming what is missing and how to get it, and exits 1 (running the suite
// anyway would bury that message under dozens of failures). Tests never install anything.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const which = (name) => spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();

function missingPackages() {
  const missing = [];
  if (!which('redis-server')) missing.push({ apt: 'redis-server', what: 'redis-server (for the Redis tests)' });
  if (process.env.SKIP_E2E !== '1' && !existsSync(chromiumPath))
    missing.push({ apt: 'chromium', what: `Chromium at ${chromiumPath} (for the browser tests)` });
  return missing;
}

function explain(missing, why) {
  const names = missing.map((m) => m.apt).join(' ');
  console.error(
    `koa-typed-session tests: missing ${missing.map((m) => m.what).join(' and ')}${why ? `; ${why}` : ''}.\n` +
      `  Install: sudo apt-get install -y --no-install-recommends ${names}   (Debian/Ubuntu; or your system's packages)` +
      (missing.some((m) => m.apt === 'chromium')
        ? `\n  Chromium elsewhere: set CHROMIUM_PATH=/path/to/chromium. Without a browser: SKIP_E2E=1 npm test skips this check (the browser tests then fail).`
        : '') +
      '\n  Then run `npm test` again.',
  );
  process.exit(1);
}

let missing = missingPackages();
if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) explain(missing, 'installing them needs root');
  if (!which('apt-get')) explain(missing, 'no apt-get on this machine to install them with');
  const names = missing.map((m) => m.apt);
  console.log(`koa-typed-session tests: installing ${names.join(' ')} with apt-get (once; this can take a minute)...`);
  const logDir = mkdtempSync(join(tmpdir(), 'kts-provision-'));
  const log = join(logDir, 'apt.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('/bin/sh', ['-c', `apt-get update -qq >>"${log}" 2>&1`], { env, stdio: 'inherit' });
    execFileSync(
      '/bin/sh',
      ['-c', `apt-get install -y -qq --no-install-recommends ${names.join(' ')} >>"${log}" 2>&1`],
      {
        env,
        stdio: 'inherit',
      },
    );
  } catch {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n  ') : '';
    rmSync(logDir, { recursive: true, force: true });
    explain(missing, `apt-get failed${tail ? `:\n  ${tail}\n` : ''}`);
  }
  rmSync(logDir, { recursive: true, force: true });
  missing = missingPackages();
  if (missing.length > 0) explain(missing, 'apt-get ran but they are still not there');
  console.log('koa-typed-session tests: installed.');
}
