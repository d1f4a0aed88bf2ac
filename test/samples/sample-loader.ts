import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Koa from 'koa';
import { cookieHeader, setCookies } from '../helpers/app';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');
/** The package's CommonJS entry, what `require('koa-typed-session')` resolves to at runtime. */
export const DIST_ENTRY = join(ROOT, 'dist', 'index.cjs');

/** What every seed sample exports. */
export interface SampleModule {
  createApp(): Koa;
}

/** Which implementation a JavaScript sample's `require('koa-typed-session')` gets. */
export type SessionImpl = 'dist' | 'koa-session';

/** The seed samples, by file name without extension (same names under samples/seed/typed/). */
export type SampleName = 'basic-setup' | 'config' | 'api-examples' | 'rolling' | 'renew' | 'multi-api';

/**
 * Fails clearly when dist/ has not been built. The tests never build it themselves: a build
 * replaces dist/ in place, which would race with parallel test workers. `npm test` (pretest),
 * `npm run build` and `npm start` build it.
 */
export function ensureBuilt(): void {
  if (!existsSync(DIST_ENTRY)) {
    throw new Error(
      'koa-typed-session: dist/index.cjs is missing. Run `npm run build` first (`npm test` and `npm start` build it).',
    );
  }
}

/**
 * Loads a JavaScript seed sample (plain CommonJS, not transformed) in a fresh module registry.
 *
 * jest.config.js maps `koa-typed-session` to src/index.ts, whose CommonJS form is an exports
 * object, not a function; the seed calls `require('koa-typed-session')(app)`. So its require is
 * pointed at the real thing instead: the built `dist/index.cjs` that Node resolves at runtime
 * (proving that entry is callable), or, for the compatibility checks, koa-session 7 itself.
 * Nothing is faked: both are the real implementations.
 */
export function loadJsSample(name: SampleName, impl: SessionImpl = 'dist'): SampleModule {
  ensureBuilt();
  let sample: SampleModule | undefined;
  jest.isolateModules(() => {
    jest.doMock('koa-typed-session', () =>
      impl === 'dist'
        ? jest.requireActual<object>(DIST_ENTRY)
        : jest.requireActual<{ default: object }>('koa-session').default,
    );
    sample = jest.requireActual<SampleModule>(join(ROOT, 'samples', 'seed', `${name}.js`));
  });
  jest.dontMock('koa-typed-session');
  return sample!;
}

/** Loads the TypeScript version of a seed sample (compiled by jest, package mapped to src/). */
export function loadTsSample(name: SampleName): SampleModule {
  return jest.requireActual<SampleModule>(join(ROOT, 'samples', 'seed', 'typed', `${name}.ts`));
}

/**
 * Both versions of a sample, for `describe.each`: the JavaScript file on the built package and
 * the TypeScript file on the sources.
 */
export function variants(name: SampleName): Array<[string, () => SampleModule]> {
  return [
    [`${name}.js (require, dist/index.cjs)`, () => loadJsSample(name)],
    [`typed/${name}.ts (import, src)`, () => loadTsSample(name)],
  ];
}

export { cookieHeader, setCookies };

/** The Set-Cookie header of the cookie called `name`, if any. */
export function findCookie(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}
