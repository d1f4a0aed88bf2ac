import type Koa from 'koa';
import { createHmac } from 'node:crypto';
import { type SessionEvent } from 'koa-typed-session';

export { createTestApp, cookieHeader, cookiePairs, cookieValue, setCookies, request, KEYS } from '../../helpers/app';

/** Resolves with the payload of the next `name` event on the app. */
export function nextEvent(app: Koa, name: string): Promise<SessionEvent> {
  return new Promise((resolve) => app.once(name, resolve));
}

/** Records every session event of an app, in order. */
export function recordEvents(app: Koa): Array<{ name: string; payload: SessionEvent }> {
  const seen: Array<{ name: string; payload: SessionEvent }> = [];
  for (const name of ['session:missed', 'session:expired', 'session:invalid', 'session:error']) {
    app.on(name, (payload: SessionEvent) => seen.push({ name, payload }));
  }
  return seen;
}

/** Waits for `setImmediate`-scheduled events to be delivered. */
export function flushEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Freezes `Date.now` at `start`; `advance(ms)` moves it. Restore with `jest.restoreAllMocks()`. */
export function freezeTime(start = Date.UTC(2030, 0, 1)): { advance(ms: number): void; now(): number } {
  let now = start;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  return {
    advance(ms: number) {
      now += ms;
    },
    now: () => now,
  };
}

/** Builds a cookie value the way koa-session does (base64 of JSON). */
export function encodeCookie(data: unknown): string {
  return Buffer.from(JSON.stringify(data)).toString('base64');
}

/** The `<name>.sig` value `cookies`/Keygrip would compute with `key` (HMAC-SHA1, base64url). */
export function signCookie(name: string, value: string, key: string): string {
  return createHmac('sha1', key).update(`${name}=${value}`).digest('base64url');
}

/** A Cookie header carrying a (signed) session cookie built from `data`. */
export function signedCookieHeader(data: unknown, key = 'a', name = 'koa.sess'): string {
  const value = encodeCookie(data);
  return `${name}=${value}; ${name}.sig=${signCookie(name, value, key)}`;
}
