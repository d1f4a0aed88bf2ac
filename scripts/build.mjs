// Builds dist/: CommonJS (dist/lib) and declarations (dist/types) with tsc, then the two entry points:
// dist/index.cjs (itself callable, as koa-session 6's module.exports was) and dist/index.mjs (ESM).
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = (project) => execFileSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('tsconfig.build.json');

writeFileSync(
  join(root, 'dist', 'index.cjs'),
  `'use strict';
// require('koa-typed-session') is the middleware factory itself, with every named export on it.
const lib = require('./lib/index.js');
function session(...args) {
  return lib.createSession(...args);
}
for (const name of Object.keys(lib)) {
  if (name !== 'default') Object.defineProperty(session, name, { enumerable: true, get: () => lib[name] });
}
session.default = session;
module.exports = session;
`,
);

const names = Object.keys(createRequire(import.meta.url)(join(root, 'dist', 'lib', 'index.js'))).filter(
  (n) => n !== 'default',
);
writeFileSync(
  join(root, 'dist', 'index.mjs'),
  `import lib from './index.cjs';\nexport const { ${names.join(', ')} } = lib;\nexport default lib.createSession;\n`,
);

if (process.argv.includes('--samples')) run('tsconfig.samples.json');
