/**
 * The testing kit of the decorator module, what Nest's `Test.createTestingModule(...)
 * .overrideProvider(...)` gives: an app built with some providers replaced, and code run inside a
 * real session (given data, no HTTP) with a report of what was saved.
 *
 * @example
 * ```ts
 * const app = createTestingApp({
 *   keys: ['test'],
 *   imports: [SessionModule.forRoot()],
 *   providers: [CartService],
 *   overrideProviders: [{ provide: CatalogueService, useValue: fakeCatalogue }],
 * });
 * const run = await withSession(app, { data: { lines: [] } }, ({ get }) => get(CartService).add('TEA-001', 2));
 * expect(run.saved).toMatchObject({ lines: [{ sku: 'TEA-001', qty: 2 }] });
 * ```
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Context, Middleware } from 'koa';
import type { InjectionToken } from 'tsyringe';
import { SessionConfigError } from '../core/errors';
import type { SessionData } from '../core/types';
import { contextSession } from '../koa/middleware';
import {
  createApp,
  createAppAsync,
  SESSION_CHAIN,
  type AppProvider,
  type CreateAppOptions,
  type DecoratedApp,
  type SessionChain,
} from './create-app';
import { RequestScope } from './request-scope';
import { SessionConfig } from './session-config';
import { SessionService } from './session.service';

/** Options of {@link createTestingApp}: createApp's, plus providers that replace others. */
export interface TestingAppOptions extends CreateAppOptions {
  /**
   * Providers that replace the ones in `providers` with the same token (a class provider's token
   * is the class), or that take the place of any injectable class the app would create itself.
   * `{ provide: X, useValue }`, `{ provide: X, useClass }` and `{ provide: X, useFactory }` are
   * accepted, as in `providers`. SessionService, SessionConfig and the request scope cannot be
   * replaced: they are the session machinery the tests run against.
   */
  overrideProviders?: AppProvider[];
}

const MACHINERY = new Set<unknown>([SessionService, SessionConfig, RequestScope]);

function tokenOf(provider: AppProvider): unknown {
  return typeof provider === 'function' ? provider : provider.provide;
}

function withOverrides(options: TestingAppOptions): CreateAppOptions {
  const { overrideProviders = [], ...rest } = options;
  if (!Array.isArray(overrideProviders)) {
    throw new SessionConfigError(
      'overrideProviders',
      'must be an array of providers',
      'For example `overrideProviders: [{ provide: MailService, useValue: fakeMail }]`.',
    );
  }
  const replaced = new Set(overrideProviders.map(tokenOf));
  for (const token of replaced) {
    if (MACHINERY.has(token)) {
      throw new SessionConfigError(
        'overrideProviders',
        `replaces ${(token as { name: string }).name}, which the testing kit runs the session with`,
        'Run code in a real session with `withSession(app, { data }, fn)` instead of replacing the session machinery.',
      );
    }
  }
  const providers = (rest.providers ?? []).filter((provider) => !replaced.has(tokenOf(provider)));
  return { ...rest, providers: [...providers, ...overrideProviders] };
}

/**
 * {@link createApp} with `overrideProviders`: the app the tests use, with fakes in place of chosen
 * providers. The app works as any other (supertest on `app.callback()`, `app.container`).
 */
export function createTestingApp(options: TestingAppOptions): DecoratedApp {
  return createApp(withOverrides(options));
}

/** {@link createTestingApp} for modules configured asynchronously (`forRootAsync`). */
export function createTestingAppAsync(options: TestingAppOptions): Promise<DecoratedApp> {
  return createAppAsync(withOverrides(options));
}

/** Options of {@link withSession}. */
export interface WithSessionOptions {
  /** The data the session holds when the code starts, as if stored by an earlier request. @default a new, empty session */
  data?: Record<string, unknown>;
  /** A Cookie header to continue an existing session (e.g. `run.cookie` of an earlier run, or a supertest response's). */
  cookie?: string;
  /** Method and URL of the fake request (for code that reads them). @default GET / */
  method?: string;
  url?: string;
  /** Extra request headers of the fake request. */
  headers?: Record<string, string>;
}

/** What the code run by {@link withSession} receives. */
export interface SessionTestContext {
  /** The app's SessionService, bound to this session: what the services under test inject. */
  readonly sessions: SessionService;
  /** Resolves a provider from the app's container (services under test, fakes). */
  get<T>(token: InjectionToken<T>): T;
  /** The fake request's Koa context (`ctx.session`, `ctx.state`...). */
  readonly ctx: Context;
}

/** What a {@link withSession} run reports. */
export interface SessionRun<R> {
  /** What the code returned (awaited). */
  readonly result: R;
  /**
   * The session data a following request would load (read back from the cookie or the store
   * after the commit), or `null` when there is no session to load (destroyed, or never saved).
   */
  readonly saved: Record<string, unknown> | null;
  /** True when the commit wrote the session (a session cookie was set). */
  readonly written: boolean;
  /** The store id of the session after the run (`undefined` in cookie mode or without a session). */
  readonly id: string | undefined;
  /** The raw store record under `id` (with the engine's `_expire`/`_maxAge`), when sessions live in a store. */
  readonly record: unknown;
  /** A Cookie header for the session after the run: pass it to the next run or to supertest. */
  readonly cookie: string;
}

function chainOf(app: DecoratedApp): SessionChain & { session: Middleware } {
  const chain = (app as unknown as Record<symbol, SessionChain | undefined>)[SESSION_CHAIN];
  if (!chain) {
    throw new SessionConfigError(
      'withSession',
      'needs an app built by createApp() or createTestingApp()',
      'Pass the app that createTestingApp({ ... }) returned.',
    );
  }
  if (!chain.session) {
    throw new SessionConfigError(
      'imports',
      'has no SessionModule, which withSession() needs',
      'Add `imports: [SessionModule.forRoot({ ... })]` to createTestingApp().',
    );
  }
  return chain as SessionChain & { session: Middleware };
}

function fakeContext(app: DecoratedApp, options: WithSessionOptions, cookie: string): Context {
  const req = new IncomingMessage(new Socket());
  req.method = options.method ?? 'GET';
  req.url = options.url ?? '/';
  req.headers = { host: '127.0.0.1', ...lowerCase(options.headers), ...(cookie && { cookie }) };
  const res = new ServerResponse(req);
  return app.createContext(req, res) as Context;
}

function lowerCase(headers: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

function setCookiesOf(ctx: Context): string[] {
  const header = ctx.res.getHeader('set-cookie');
  return Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
}

/** Applies Set-Cookie headers to a Cookie header (name=value pairs; an emptied cookie is dropped). */
function nextCookie(cookie: string, setCookies: string[]): string {
  const jar = new Map<string, string>();
  for (const pair of cookie.split(/;\s*/)) {
    const at = pair.indexOf('=');
    if (at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  for (const header of setCookies) {
    const pair = header.split(';')[0]!;
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (value === '' || /;\s*expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/**
 * Runs `fn` inside a real session of `app`, without HTTP: the app's session middleware and request
 * scope run around it on a fake request, so `SessionService`, typed `get(Schema)`, `save()`,
 * `regenerate()` and `destroy()` behave as in a handler, and the commit (validation included)
 * happens when `fn` returns. The session starts with `data` (stored by a first, seeding request)
 * or continues `cookie`. Resolves to what was saved; rejects with `fn`'s error or the commit's
 * (e.g. a SessionValidationError).
 */
export async function withSession<R>(
  app: DecoratedApp,
  options: WithSessionOptions,
  fn: (t: SessionTestContext) => R | Promise<R>,
): Promise<SessionRun<R>> {
  const { session, scope } = chainOf(app);
  const config = app.container.resolve(SessionConfig);
  let cookie = options.cookie ?? '';
  if (options.data !== undefined) {
    // A first request stores the data, as an earlier request of the application would have.
    const seed = fakeContext(app, options, cookie);
    await session(seed, () => {
      Object.assign(seed.session as SessionData, options.data);
      return Promise.resolve();
    });
    cookie = nextCookie(cookie, setCookiesOf(seed));
  }

  const ctx = fakeContext(app, options, cookie);
  const sessions = app.container.resolve(SessionService);
  const t: SessionTestContext = {
    sessions,
    ctx,
    get: <T>(token: InjectionToken<T>): T => app.container.resolve(token),
  };
  let result: R | undefined;
  await session(ctx, async () => {
    await scope(ctx, async () => {
      result = await fn(t);
    });
  });
  const written = setCookiesOf(ctx).some((header) => header.startsWith(`${config.key}=`));
  cookie = nextCookie(cookie, setCookiesOf(ctx));

  // Read back without committing: what the next request would load.
  const reader = fakeContext(app, options, cookie);
  const loader = contextSession(reader);
  await loader.load();
  const loaded = reader.session;
  const saved = loaded && !loaded.isNew ? loaded.toJSON() : null;
  const id = saved ? reader.sessionId : undefined;
  const record =
    id !== undefined && config.store
      ? await config.store.get(id, config.maxAge, { rolling: false, ctx: reader })
      : undefined;
  return { result: result as R, saved, written, id, record, cookie };
}
