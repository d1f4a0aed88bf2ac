/**
 * The root entry is the koa-session drop-in: loading the BUILT entry (CommonJS and ESM, as a fresh
 * project does) loads no file outside the package's dist/ beyond koa, none of the decorator or
 * Redis libraries, and installs no global (reflect-metadata's `Reflect.getMetadata` in particular).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const HEAVY = [
  'reflect-metadata',
  'tsyringe',
  'class-validator',
  'class-transformer',
  '@koa/router',
  '@koa/bodyparser',
  'ioredis',
];

// Loads koa first (a peer the user has loaded anyway), then the entry; reports the files the entry
// added to the CommonJS cache (dist/lib is CommonJS, so everything it loads goes through it), and
// any new global or new `Reflect` member.
const probe = (load: string): string => `
const before = new Set(Object.keys(require.cache));
const globals = new Set(Object.getOwnPropertyNames(globalThis));
const reflect = new Set(Object.getOwnPropertyNames(Reflect));
${load}.then(() => {
  const loaded = Object.keys(require.cache).filter((f) => !before.has(f));
  console.log(JSON.stringify({
    loaded,
    newGlobals: Object.getOwnPropertyNames(globalThis).filter((g) => !globals.has(g)),
    newReflect: Object.getOwnPropertyNames(Reflect).filter((k) => !reflect.has(k)),
    getMetadata: typeof Reflect.getMetadata,
  }));
});`;

interface Report {
  loaded: string[];
  newGlobals: string[];
  newReflect: string[];
  getMetadata: string;
}

function load(entryCode: string, type: 'commonjs' | 'module'): Report {
  const code =
    type === 'commonjs'
      ? `require('koa');${probe(entryCode)}`
      : `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); require('koa');${probe(entryCode)}`;
  const run = spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Report;
}

const outsideDist = (r: Report): string[] => r.loaded.filter((f) => !f.startsWith(dist + '/'));
const heavy = (r: Report): string[] => r.loaded.filter((f) => HEAVY.some((h) => f.includes(`/node_modules/${h}/`)));

describe('root entry: no heavy libraries, no global side effect', () => {
  it.each([
    ['CommonJS', `Promise.resolve(require(${JSON.stringify(join(dist, 'index.cjs'))}))`, 'commonjs'],
    ['ESM', `import(${JSON.stringify(join(dist, 'index.mjs'))})`, 'module'],
  ] as const)('%s: loads only its own dist/ files and node built-ins', (_name, entry, type) => {
    const report = load(entry, type);
    expect(report.loaded.length).toBeGreaterThan(5);
    expect(heavy(report)).toEqual([]);
    expect(outsideDist(report)).toEqual([]);
    expect(report.newGlobals).toEqual([]);
    expect(report.newReflect).toEqual([]);
    expect(report.getMetadata).toBe('undefined');
  });

  it('the decorators entry is where reflect-metadata and the DI libraries load (the probe can see them)', () => {
    const report = load(`Promise.resolve(require(${JSON.stringify(join(dist, 'lib', 'decorators.js'))}))`, 'commonjs');
    expect(heavy(report).length).toBeGreaterThan(0);
    expect(report.getMetadata).toBe('function');
  });

  it('the redis entry loads ioredis, and no decorator library', () => {
    const report = load(`Promise.resolve(require(${JSON.stringify(join(dist, 'lib', 'redis.js'))}))`, 'commonjs');
    expect(heavy(report).every((f) => f.includes('/node_modules/ioredis/'))).toBe(true);
    expect(heavy(report).length).toBeGreaterThan(0);
    expect(report.getMetadata).toBe('undefined');
  });
});
