/**
 * The published module shape, from the built dist/ (jest's global setup builds it first):
 * CommonJS `require` is itself callable (as koa-session 6 was), ESM `import` has the same names.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Koa from 'koa';
import defaultExport, { createSession, session } from 'koa-typed-session';

const root = join(__dirname, '..', '..');

/** Runs a script with plain `node` in the package root (so `koa-typed-session` resolves to dist/). */
function node(args: string[]): unknown {
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 15_000 });
  return JSON.parse(out) as unknown;
}

const probe = `
  const app = new Koa();
  app.keys = ['k'];
  const names = Object.keys(lib).filter((n) => n !== 'default').sort();
  let missingApp = '';
  try { lib.createSession({}); } catch (err) { missingApp = err.constructor.name + ': ' + err.message; }
  console.log(JSON.stringify({
    type: typeof lib, defaultType: typeof lib.default, names,
    middleware: [typeof lib.default(app), typeof lib.session(app), typeof lib.createSession({}, app)],
    memoryStore: new lib.MemoryStore() instanceof lib.MemoryStore,
    configError: new lib.SessionConfigError('x', 'is bad', 'Fix it.') instanceof lib.SessionError,
    missingApp,
  }));`;

describe('module shape', () => {
  beforeAll(() => {
    // Jest's global setup (test/helpers/build-dist.cjs) has built dist/ before any test started.
    const parts = ['index.cjs', 'index.mjs', join('lib', 'index.js'), join('types', 'index.d.ts')].map((p) =>
      join(root, 'dist', p),
    );
    const missing = parts.filter((p) => !existsSync(p));
    if (missing.length > 0) throw new Error(`dist/ is incomplete (${missing.join(', ')}): run \`npm run build\``);
  });

  it('named session, createSession and the default export are the same factory', () => {
    expect(session).toBe(createSession);
    expect(defaultExport).toBe(createSession);
  });

  it("require('koa-typed-session') is callable, with every named export and .default", () => {
    const cjs = node([
      '-e',
      `const Koa = require('koa'); const lib = require('koa-typed-session'); const direct = lib; ${probe.replace('typeof lib.default(app)', 'typeof lib.default(app), typeof direct(app)')}`,
    ]) as Record<string, unknown>;
    expect(cjs).toMatchObject({
      type: 'function',
      defaultType: 'function',
      middleware: ['function', 'function', 'function', 'function'],
      memoryStore: true,
      configError: true,
      missingApp: 'TypeError: app instance required: `session(opts, app)`',
    });
    expect(cjs.names).toEqual(
      expect.arrayContaining([
        'createSession',
        'session',
        'MemoryStore',
        'SessionConfigError',
        'SessionStoreError',
        'StoreUnavailableError',
        'Session',
        'SessionOptions',
      ]),
    );
  });

  it('import from ESM works, with the same names as require', () => {
    const esm = node([
      '--input-type=module',
      '-e',
      `import Koa from 'koa'; import * as ns from 'koa-typed-session'; const lib = { ...ns }; ${probe}`,
    ]) as Record<string, unknown>;
    const cjs = node([
      '-e',
      `const lib = require('koa-typed-session'); console.log(JSON.stringify({ names: Object.keys(lib).filter((n) => n !== 'default').sort() }))`,
    ]) as { names: string[] };
    expect(esm).toMatchObject({
      defaultType: 'function',
      middleware: ['function', 'function', 'function'],
      memoryStore: true,
      configError: true,
    });
    expect((esm as { names: string[] }).names).toEqual(cjs.names);
  });

  it('the ESM default export is the factory', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import session, { createSession } from 'koa-typed-session'; console.log(JSON.stringify(session === createSession))`,
    ]);
    expect(out).toBe(true);
  });

  it('type declarations are built', () => {
    expect(existsSync(join(root, 'dist', 'types', 'index.d.ts'))).toBe(true);
  });

  it('session(opts, app), session(app, opts) and session(app) from the source return middleware named "session"', () => {
    const app = new Koa();
    app.keys = ['k'];
    for (const mw of [session({}, app), session(app, {}), session(app)]) {
      expect(typeof mw).toBe('function');
      expect(mw.name).toBe('session');
    }
  });
});
