/**
 * Option checks: the shared helpers of every options owner (session(), MemoryStore, RedisStore,
 * createApp) and the checks behind normalizeOptions(). Each throws a SessionConfigError that names
 * the option and says how to fix it.
 */
import { SessionConfigError } from './errors';
import { didYouMean } from './option-names';
import type { ContextStoreClass, CookieAttributes, ExternalKey, MaxAge, SessionStore } from './types';

// Characters `cookies` accepts in a name, minus `;` and `=` (RFC 7230 field-content).
export const COOKIE_NAME = /^[\u0021-\u003a\u003c\u003e-\u007e]+$/;
const PATH_VALUE = /^[\u0020-\u003a\u003c-\u007e]*$/;

/** Throws the SessionConfigError of one option: `option \`<option>\` <problem>. <fix>`. */
export type Fail = (option: string, problem: string, fix: string) => never;

/**
 * The {@link Fail} of one options owner: its option names get `optionPrefix` (`RedisStore.`), its
 * problems `problemPrefix` (`of MemoryStore `).
 */
export function failFor(owner: { readonly optionPrefix?: string; readonly problemPrefix?: string } = {}): Fail {
  const { optionPrefix = '', problemPrefix = '' } = owner;
  return (option, problem, fix) => {
    throw new SessionConfigError(`${optionPrefix}${option}`, `${problemPrefix}${problem}`, fix);
  };
}

/** The options of session() (and SessionModule). */
export const fail: Fail = failFor();

/**
 * Rejects the first name of `opts` that `known` lacks, with a "did you mean" for a near name
 * (among `known` and `suggest`) followed by `fix` (given the known names).
 */
export function checkOptionNames(
  opts: object,
  known: ReadonlySet<string>,
  onUnknown: {
    readonly fail: Fail;
    readonly problem?: string;
    readonly fix: (known: readonly string[]) => string;
    readonly suggest?: readonly string[];
  },
): void {
  for (const name of Object.keys(opts)) {
    if (known.has(name)) continue;
    const { problem = 'is not a known option', suggest = [] } = onUnknown;
    onUnknown.fail(name, problem, `${didYouMean(name, [...known, ...suggest])}${onUnknown.fix([...known])}`);
  }
}

export function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function optionalBoolean(opts: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = opts[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    fail(name, `must be true or false, got ${show(value)}`, `Set \`${name}: ${fallback}\` or remove it.`);
  return value;
}

export function optionalFunction(
  opts: Record<string, unknown>,
  name: string,
): ((...args: never[]) => unknown) | undefined {
  const value = opts[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'function')
    fail(name, `must be a function, got ${show(value)}`, `Pass a function or remove \`${name}\`.`);
  return value as (...args: never[]) => unknown;
}

export function positiveInteger(
  opts: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
): number | undefined {
  const value = opts[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(
      name,
      `must be a positive number of milliseconds, got ${show(value)}`,
      `For example \`${name}: 86_400_000\` (one day).`,
    );
  }
  return value;
}

export function hasMethods(value: unknown, names: string[]): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const record = value as Record<string, unknown>;
  return names.every((n) => typeof record[n] === 'function');
}

export function checkMaxAge(value: unknown, name: string): MaxAge | undefined {
  if (value === undefined || value === 'session') return value;
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  return fail(
    name,
    `must be a number of milliseconds or the string 'session', got ${show(value)} (Invalid input)`,
    "Use e.g. `maxAge: 86_400_000` for one day, or `maxAge: 'session'` for a browser-session cookie.",
  );
}

/** The store options after their checks. */
export interface CheckedStores<Ctx> {
  readonly store: SessionStore<Ctx> | undefined;
  readonly ContextStore: ContextStoreClass<Ctx> | undefined;
  readonly externalKey: ExternalKey<Ctx> | undefined;
}

export function checkStore<Ctx>(opts: Record<string, unknown>): CheckedStores<Ctx> {
  const { store, ContextStore, externalKey } = opts;
  if (store !== undefined && !hasMethods(store, ['get', 'set', 'destroy'])) {
    fail(
      'store',
      'must have get, set and destroy functions',
      'Pass a koa-session compatible store such as `new MemoryStore()`.',
    );
  }
  if (ContextStore !== undefined) {
    if (
      typeof ContextStore !== 'function' ||
      !hasMethods((ContextStore as { prototype: unknown }).prototype, ['get', 'set', 'destroy'])
    ) {
      fail(
        'ContextStore',
        'must be a class whose instances have get, set and destroy',
        'Pass the class itself, e.g. `ContextStore: MyStore`.',
      );
    }
  }
  if (externalKey !== undefined && !hasMethods(externalKey, ['get', 'set'])) {
    fail(
      'externalKey',
      `must be an object with get(ctx) and set(ctx, key) functions, got ${show(externalKey)} (Invalid input)`,
      'For example `externalKey: { get: (ctx) => ctx.get("x-session"), set: (ctx, key) => ctx.set("x-session", key) }`.',
    );
  }
  return {
    store: store as SessionStore<Ctx> | undefined,
    ContextStore: ContextStore as ContextStoreClass<Ctx> | undefined,
    externalKey: externalKey as ExternalKey<Ctx> | undefined,
  };
}

export function checkCookieAttributes(
  opts: Record<string, unknown>,
  defaults: { readonly path: string; readonly httpOnly: boolean; readonly overwrite: boolean },
): CookieAttributes {
  const { domain, path, sameSite, priority, partitioned, expires } = opts;
  if (path !== undefined && (typeof path !== 'string' || !PATH_VALUE.test(path))) {
    fail('path', `must be a cookie path without ';', got ${show(path)}`, "For example `path: '/'`.");
  }
  if (domain !== undefined && (typeof domain !== 'string' || !PATH_VALUE.test(domain))) {
    fail('domain', `must be a domain name, got ${show(domain)}`, "For example `domain: 'example.com'`.");
  }
  if (typeof sameSite === 'boolean') {
    // koa-session 7 rejects booleans at startup too (its schema says string); `cookies` read true as 'strict'.
    fail(
      'sameSite',
      `must be 'lax', 'strict' or 'none', got ${show(sameSite)} (koa-session 7 rejects booleans too)`,
      sameSite
        ? "Write `sameSite: 'strict'`, which is what `true` meant to the cookies package."
        : 'Remove the option to omit the attribute.',
    );
  }
  if (sameSite !== undefined && !(typeof sameSite === 'string' && /^(lax|strict|none)$/i.test(sameSite))) {
    fail(
      'sameSite',
      `must be 'lax', 'strict' or 'none', got ${show(sameSite)}`,
      "Use `sameSite: 'lax'` for most apps.",
    );
  }
  if (priority !== undefined && !(typeof priority === 'string' && /^(low|medium|high)$/i.test(priority))) {
    fail(
      'priority',
      `must be 'low', 'medium' or 'high', got ${show(priority)}`,
      'Remove it to let the browser decide.',
    );
  }
  if (partitioned !== undefined && typeof partitioned !== 'boolean')
    fail('partitioned', `must be a boolean, got ${show(partitioned)}`, 'Use `partitioned: true` for CHIPS.');
  if (expires !== undefined && !(expires instanceof Date))
    fail('expires', `must be a Date, got ${show(expires)}`, 'Prefer `maxAge`.');
  const cookie: CookieAttributes = {
    path: (path as string | undefined) ?? defaults.path,
    httpOnly: optionalBoolean(opts, 'httpOnly', defaults.httpOnly),
    overwrite: optionalBoolean(opts, 'overwrite', defaults.overwrite),
  };
  if (domain !== undefined) cookie.domain = domain as string;
  if (sameSite !== undefined) cookie.sameSite = (sameSite as string).toLowerCase() as CookieAttributes['sameSite'];
  if (priority !== undefined) cookie.priority = (priority as string).toLowerCase() as CookieAttributes['priority'];
  if (partitioned !== undefined) cookie.partitioned = partitioned as boolean;
  if (expires !== undefined) cookie.expires = expires as Date;
  return cookie;
}
