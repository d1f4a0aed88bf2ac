// Checks the packed tarball as users get it: contents (no source maps, no install scripts),
// @arethetypeswrong/cli (types per resolution mode), publint, and a type-test matrix of tiny
// consumer projects (moduleResolution bundler, node16 ESM, node16 CommonJS) that type-check and
// run the README's imports, plus a cookie-only project without the optional peers.
// Offline: consumers get koa, @types/* and the peers as links to this repository's node_modules.
// Usage: node scripts/check-package.mjs [--no-build]   (exit code 0 when every check passes)
// --no-build packs the dist/ already built (npm pack --ignore-scripts), so that the check can run
// next to tests that read dist/ (the jest test test/package/package.test.ts does this).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = realpathSync(join(root, 'node_modules'));
const tmp = mkdtempSync(join(tmpdir(), 'kts-package-'));
const failures = [];
const sh = (cmd, args, cwd = root) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
function check(name, fn) {
  try {
    fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    const out = [err.stdout, err.stderr].filter(Boolean).join('\n').trim() || String(err.message);
    console.log(`FAIL ${name}\n${out.replace(/^/gm, '     ')}`);
    failures.push(name);
  }
}

try {
  // npm pack runs prepack (the build), as npm publish does.
  const noBuild = process.argv.includes('--no-build') ? ['--ignore-scripts'] : [];
  const [packed] = JSON.parse(sh('npm', ['pack', '--json', ...noBuild, '--pack-destination', tmp]));
  const tarball = join(tmp, packed.filename);
  const files = packed.files.map((f) => f.path);

  check('tarball: no source maps, no src/ or test/, no install scripts', () => {
    const bad = files.filter((f) => f.endsWith('.map') || /^(src|test|samples|bench|scripts)\//.test(f));
    if (bad.length) throw new Error(`unexpected files: ${bad.join(', ')}`);
    mkdirSync(join(tmp, 'unpacked'));
    sh('tar', ['-xzf', tarball, '-C', join(tmp, 'unpacked')]);
    const manifest = JSON.parse(readFileSync(join(tmp, 'unpacked', 'package', 'package.json'), 'utf8'));
    const hooks = ['preinstall', 'install', 'postinstall', 'prepare'].filter((s) => manifest.scripts?.[s]);
    if (hooks.length) throw new Error(`install-time scripts in the manifest: ${hooks.join(', ')}`);
    if (Object.keys(manifest.dependencies ?? {}).length)
      throw new Error(`the root needs no dependencies, found: ${Object.keys(manifest.dependencies).join(', ')}`);
  });
  check('attw (types per resolution mode: node10, node16 CJS, node16 ESM, bundler)', () => {
    sh(process.execPath, [join(modules, '@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--format', 'ascii']);
  });
  check('publint --strict', () => {
    const out = sh(process.execPath, [join(modules, 'publint', 'src', 'cli.js'), 'run', tarball, '--strict']);
    if (/warning|error/i.test(out) && !/All good/i.test(out)) throw new Error(out);
  });

  const tsc = join(modules, 'typescript', 'bin', 'tsc');
  const base = ['koa', '@types/koa', '@types/node'];
  const peers = [
    'ioredis',
    'tsyringe',
    'class-validator',
    'class-transformer',
    'reflect-metadata',
    '@koa/router',
    '@koa/bodyparser',
  ];
  const consumer = (name, links, pkg, tsconfig, sources) => {
    const dir = join(tmp, name);
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@koa'), { recursive: true });
    for (const dep of links) symlinkSync(join(modules, dep), join(dir, 'node_modules', dep));
    cpSync(join(tmp, 'unpacked', 'package'), join(dir, 'node_modules', 'koa-typed-session'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...pkg }));
    if (tsconfig)
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: tsconfig, include: ['*.ts', '*.mts', '*.cts'] }),
      );
    for (const [file, text] of Object.entries(sources)) writeFileSync(join(dir, file), text);
    return dir;
  };
  // skipLibCheck except in the node16 CommonJS consumer, which also checks the package's own
  // declaration files (index.d.cts and everything behind it) and costs most of this script's time.
  const strict = {
    strict: true,
    skipLibCheck: true,
    target: 'es2022',
    noEmit: true,
    types: ['node'],
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  };
  // With skipLibCheck, a type the package fails to export would silently be `any`: assert it is not.
  const notAny = (types) => `
type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: [${types.map((t) => `IsAny<${t}>`).join(', ')}] = [${types.map(() => 'false').join(', ')}];
`;
  const decoratorUse = (sessionParam) => `
class ViewSession { views = 0; }
@Controller('/')
class Views {
  @Get('/') count(@${sessionParam}() s: ViewSession, @${sessionParam}() raw: ${sessionParam}) { s.views++; return raw.isNew; }
}
export const decorated = createApp({ controllers: [Views], imports: [SessionModule.forRoot({ keys: ['k'] })] });
`;

  const bundler = consumer(
    'bundler',
    [...base, ...peers],
    { type: 'module' },
    { ...strict, module: 'esnext', moduleResolution: 'bundler' },
    {
      'index.ts': `import Koa from 'koa';
import session, { MemoryStore, Session, createSession, type SessionOptions } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { Controller, Get, Session as SessionParam, SessionModule, createApp } from 'koa-typed-session/decorators';
const app = new Koa();
app.use(session(app));
const options: SessionOptions = { store: new MemoryStore() };
app.use(createSession(options, app));
app.use((ctx) => { const s: Session | null = ctx.session; return s instanceof Session; });
export const store: typeof RedisStore = RedisStore;
${decoratorUse('SessionParam')}${notAny(['typeof session', 'SessionOptions', 'Session', 'RedisStore', 'typeof createApp', 'SessionParam'])}`,
    },
  );
  const esm = consumer(
    'node16-esm',
    [...base, ...peers],
    { type: 'module' },
    { ...strict, module: 'node16', moduleResolution: 'node16' },
    {
      'index.ts': `import Koa from 'koa';
import session, { MemoryStore, type SessionOptions } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { Controller, Get, Session, SessionModule, createApp } from 'koa-typed-session/decorators';
const app = new Koa();
app.use(session(app));
const options: SessionOptions = { store: new MemoryStore() };
app.use(session(options, app));
export const store: typeof RedisStore = RedisStore;
${decoratorUse('Session')}${notAny(['typeof session', 'SessionOptions', 'MemoryStore', 'RedisStore', 'typeof createApp', 'Session'])}`,
      'run.mjs': `import Koa from 'koa';
import session, { MemoryStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { createApp, Session } from 'koa-typed-session/decorators';
if (typeof session(Object.assign(new Koa(), { keys: ['k'] })) !== 'function' || typeof MemoryStore !== 'function') throw new Error('root');
if (typeof RedisStore !== 'function' || typeof createApp !== 'function' || typeof Session !== 'function') throw new Error('subpaths');
`,
    },
  );
  const cjs = consumer(
    'node16-cjs',
    [...base, ...peers],
    { type: 'commonjs' },
    { ...strict, skipLibCheck: false, module: 'node16', moduleResolution: 'node16' },
    {
      'index.ts': `import Koa = require('koa');
import session = require('koa-typed-session');
import { MemoryStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { Controller, Get, Session, SessionModule, createApp } from 'koa-typed-session/decorators';
const app = new Koa();
app.use(session(app));
const options: session.SessionOptions = { store: new session.MemoryStore() };
app.use(session.createSession(options, app));
export const stores = [MemoryStore, RedisStore];
${decoratorUse('Session')}${notAny(['typeof session', 'session.SessionOptions', 'session.Session', 'RedisStore', 'typeof createApp', 'Session'])}`,
      'run.cjs': `const Koa = require('koa');
const session = require('koa-typed-session');
const { RedisStore } = require('koa-typed-session/redis');
const { createApp } = require('koa-typed-session/decorators');
if (typeof session(Object.assign(new Koa(), { keys: ['k'] })) !== 'function' || typeof session.MemoryStore !== 'function') throw new Error('root');
if (typeof RedisStore !== 'function' || typeof createApp !== 'function') throw new Error('subpaths');
`,
    },
  );
  for (const [name, dir] of [
    ['bundler', bundler],
    ['node16 ESM', esm],
    ['node16 CJS', cjs],
  ]) {
    check(`types: ${name} consumer type-checks the README's imports`, () =>
      sh(process.execPath, [tsc, '-p', dir], dir),
    );
  }
  check('runtime: node16 ESM consumer', () => sh(process.execPath, ['run.mjs'], esm));
  check('runtime: node16 CJS consumer', () => sh(process.execPath, ['run.cjs'], cjs));

  // A cookie-only user: koa and this package, none of the optional peers.
  const bare = consumer('cookie-only', ['koa'], { type: 'commonjs' }, null, {
    'run.cjs': `const Koa = require('koa');
const session = require('koa-typed-session');
if (typeof session(Object.assign(new Koa(), { keys: ['k'] })) !== 'function') throw new Error('root');
const message = (entry) => { try { require(entry); } catch (err) { return err.message; } return 'loaded'; };
console.log(JSON.stringify({ redis: message('koa-typed-session/redis'), decorators: message('koa-typed-session/decorators') }));
`,
  });
  check('cookie-only install: root works; subpaths name the missing peers', () => {
    const { redis, decorators } = JSON.parse(sh(process.execPath, ['run.cjs'], bare));
    if (!redis.includes('npm install ioredis')) throw new Error(`koa-typed-session/redis: ${redis}`);
    if (
      !decorators.includes(
        'npm install reflect-metadata tsyringe class-validator class-transformer @koa/router @koa/bodyparser',
      )
    )
      throw new Error(`koa-typed-session/decorators: ${decorators}`);
  });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(failures.length ? `${failures.length} check(s) failed` : 'package checks passed');
process.exitCode = failures.length ? 1 : 0;
