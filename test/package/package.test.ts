/**
 * The packed tarball as users get it (scripts/check-package.mjs): no source maps or install
 * scripts, @arethetypeswrong/cli and publint pass, and tiny consumer projects type-check and run
 * the README's imports with moduleResolution bundler, node16 ESM and node16 CommonJS; a cookie-only
 * install (no optional peers) works and the subpath entries name the missing packages.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('the packed tarball', () => {
  it('passes the package checks (contents, attw, publint, bundler/node16 ESM/node16 CJS type tests)', () => {
    // dist/ was built by `npm test`'s pretest; packing it again would rebuild it under other suites.
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'check-package.mjs'), '--no-build'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 280_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect({ status: run.status, output }).toEqual({
      status: 0,
      output: expect.stringContaining('package checks passed'),
    });
    expect(output).not.toMatch(/^FAIL/m);
  }, 300_000);
});
