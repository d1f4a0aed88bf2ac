/**
 * On a machine without redis-server and Chromium (and no REDIS_URL), the Redis and browser suites
 * fail with the one message saying what is missing, and their cleanup hooks tolerate the failed
 * setup: no follow-on TypeError ("Cannot read properties of undefined (reading 'close')").
 * Runs those suites in a child jest with a PATH that has no redis-server and a CHROMIUM_PATH that
 * does not exist (npm test's pretest would have stopped earlier, with one message: see provision.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The test files that need redis-server or Chromium (the others have nothing to fail here). */
function suitesNeedingServices(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        entry.name.endsWith('.test.ts') &&
        /\b(useRedis|startRedisServer|launchChromium)\(/.test(readFileSync(path, 'utf8'))
      )
        found.push(path);
    }
  };
  walk(join(root, 'test'));
  return found;
}

it('Redis and browser suites without redis-server or Chromium: the clear message, no TypeError from cleanup', () => {
  const bin = mkdtempSync(join(tmpdir(), 'kts-nobin-'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: bin,
    CHROMIUM_PATH: join(bin, 'no-chromium'),
  };
  delete env.REDIS_URL;
  delete env.JEST_WORKER_ID;
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
      ...suitesNeedingServices(),
      '--selectProjects',
      'koa3',
      '--maxWorkers=1',
      '--ci',
    ],
    { cwd: root, env, encoding: 'utf8', timeout: 280_000 },
  );
  rmSync(bin, { recursive: true, force: true });
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status).toBe(1);
  expect(output).toContain('redis-server is not installed');
  expect(output).toContain('Chromium not found at');
  expect(output.match(/TypeError[^\n]*/g) ?? []).toEqual([]);
}, 300_000);
