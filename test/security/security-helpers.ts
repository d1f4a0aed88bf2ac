import Koa from 'koa';
import { session, type KoaSessionOptions, type SessionEvent } from 'koa-typed-session';

/** Two 32+ character secrets, newest first, for encrypted-mode tests. */
export const SECRET_NEW = 'n'.repeat(16) + '-new-encryption-secret-0123456789';
export const SECRET_OLD = 'o'.repeat(16) + '-old-encryption-secret-0123456789';

/** A Koa app with the session middleware; `keys: null` leaves `app.keys` unset. */
export function secureApp(options: KoaSessionOptions, keys: string[] | null = ['k1', 'k2']): Koa {
  const app = new Koa();
  if (keys) app.keys = keys;
  app.use(session(options, app));
  return app;
}

/** Collects the session events an app emits (they are emitted on setImmediate). */
export function recordEvents(app: Koa): Array<{ name: string; reason: string | undefined }> {
  const seen: Array<{ name: string; reason: string | undefined }> = [];
  for (const name of ['session:missed', 'session:expired', 'session:invalid']) {
    app.on(name, (e: SessionEvent) => seen.push({ name, reason: e.reason }));
  }
  return seen;
}

/** Lets setImmediate-emitted events arrive. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export { cookieValue } from '../helpers/app';

/** A controllable clock: replaces Date.now for the duration of a test (restore in afterEach). */
export function fakeClock(start = Date.UTC(2030, 0, 1)): { advance(ms: number): void; restore(): void } {
  let now = start;
  const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
  return {
    advance: (ms) => {
      now += ms;
    },
    restore: () => spy.mockRestore(),
  };
}
