// Builds dist/: CommonJS (dist/lib) and declarations (dist/types) with tsc, then the root entry in
// both formats, each with declarations of its own format:
// - dist/index.cjs (itself callable, as koa-session 6's module.exports was) + dist/index.d.cts
//   (`export =`, so `import session = require('koa-typed-session'); session(app)` type-checks);
// - dist/index.mjs (ESM, default export = the middleware factory) + dist/index.d.mts.
// The subpath entries (koa-typed-session/redis, /decorators) are plain CommonJS (dist/lib/*.js,
// typed by dist/types/*.d.ts): Node's ESM loader finds their named exports, and one copy of each
// module serves both formats.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
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

const values = Object.keys(require(join(root, 'dist', 'lib', 'index.js'))).filter((n) => n !== 'default');
writeFileSync(
  join(root, 'dist', 'index.mjs'),
  `import lib from './index.cjs';\nexport const { ${values.join(', ')} } = lib;\nexport default lib.createSession;\n`,
);

// Every export of the root's declarations (values and types), for the CommonJS `export =` form.
// An `export import` alias cannot point through an `export type` (TS1379); in a declaration file a
// plain `export { SomeInterface }` means the same, so the root's declarations drop the modifier.
const entry = join(root, 'dist', 'types', 'index.d.ts');
writeFileSync(entry, readFileSync(entry, 'utf8').replace(/^export type \{/gm, 'export {'));
const ts = require('typescript');
const program = ts.createProgram([entry], { noEmit: true, skipLibCheck: true, types: [] });
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
const names = checker
  .getExportsOfModule(moduleSymbol)
  .map((s) => s.name)
  .filter((n) => n !== 'default')
  .sort();
if (!names.includes('createSession') || !names.includes('SessionOptions'))
  throw new Error(`build: unexpected root exports: ${names.join(', ')}`);

writeFileSync(
  join(root, 'dist', 'index.d.cts'),
  `// require('koa-typed-session'): the middleware factory, with every named export (values and types) on it.
import lib = require('./types/index.js');
/** Creates the session middleware: \`session(app)\` or \`session(options, app)\`, as koa-session. */
declare function session(...args: Parameters<typeof lib.createSession>): ReturnType<typeof lib.createSession>;
declare namespace session {
${names.map((n) => `  export import ${n} = lib.${n};`).join('\n')}
}
export = session;
`,
);
writeFileSync(
  join(root, 'dist', 'index.d.mts'),
  `// import ... from 'koa-typed-session' (ESM): default export = the middleware factory.
import { createSession } from './types/index.js';
export * from './types/index.js';
export default createSession;
`,
);

if (process.argv.includes('--samples')) run('tsconfig.samples.json');
