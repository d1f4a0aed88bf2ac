// Jest global setup: builds dist/ once, before any test runs, when it is missing or older than
// what it is built from (src/, the build script, its tsconfig, package.json). The tests that load
// the published shape (module-shape, root-entry-light, samples, several-servers) read dist/ and
// never build it themselves: a build replaces dist/ in place, which would race with other workers.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const marker = join(root, 'dist', 'index.d.mts'); // the build's last file

function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(join(root, 'src'));
  for (const file of ['scripts/build.mjs', 'tsconfig.build.json', 'package.json']) {
    newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  }
  return newest;
}

module.exports = function buildDist() {
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestSource()) return;
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
  } catch (err) {
    throw new Error(`koa-typed-session: building dist/ failed (run \`npm run build\`): ${String(err.stdout ?? err)}`);
  }
};
