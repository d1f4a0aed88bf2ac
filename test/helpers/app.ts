import Koa from 'koa';
import request from 'supertest';
import { session, type KoaSessionOptions } from 'koa-typed-session';

/** Default keys for signed-cookie tests (as koa-session's own suite uses). */
export const KEYS = ['a', 'b'];

/** A Koa app with the session middleware and `app.keys` set. */
export function createTestApp(options: KoaSessionOptions = {}, keys: string[] | null = KEYS): Koa {
  const app = new Koa();
  if (keys) app.keys = keys;
  app.use(session(options, app));
  return app;
}

/** The response's Set-Cookie headers as an array (empty when absent). */
export function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const header = res.headers['set-cookie'];
  return Array.isArray(header) ? (header as string[]) : header ? [String(header)] : [];
}

/** The `name=value` pair of one Set-Cookie header (its attributes dropped). */
export function cookiePair(setCookie: string): [name: string, value: string] {
  const first = setCookie.split(';')[0]!;
  const eq = first.indexOf('=');
  return [first.slice(0, eq), first.slice(eq + 1)];
}

/** The response's cookies by name (the last Set-Cookie of a name wins). */
export function cookiePairs(res: { headers: Record<string, unknown> }): Record<string, string> {
  return Object.fromEntries(setCookies(res).map(cookiePair));
}

/** The value of cookie `name` in a response's Set-Cookie headers (the first one of that name). */
export function cookieValue(res: { headers: Record<string, unknown> }, name = 'koa.sess'): string | undefined {
  const found = setCookies(res).find((c) => c.startsWith(`${name}=`));
  return found === undefined ? undefined : cookiePair(found)[1];
}

/** A Cookie request header from a response's Set-Cookie headers (name=value pairs only). */
export function cookieHeader(res: { headers: Record<string, unknown> }): string {
  return setCookies(res)
    .map((c) => cookiePair(c).join('='))
    .join('; ');
}

export { request };
