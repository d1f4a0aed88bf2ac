/**
 * koa-session 7 exports `SessionOptions`, a runtime value (its zod schema) whose `.parse()` checks
 * options and fills in defaults, and a `CreateSessionOptions` type. Code that imports them runs here
 * unchanged: `SessionOptions.parse()` validates with this package's own checks (no zod).
 */
import Koa from 'koa';
import { SessionOptions as TheirOptions } from 'koa-session';
import {
  session,
  SessionConfigError,
  SessionOptions,
  type CreateSessionOptions,
  type KoaSessionOptions,
} from 'koa-typed-session';

const SHARED_DEFAULTS = ['key', 'autoCommit', 'overwrite', 'httpOnly', 'signed', 'rolling', 'renew'] as const;

describe('SessionOptions, the runtime value', () => {
  it('parse({}) gives koa-session 7 defaults', () => {
    const ours: Record<string, unknown> = { ...SessionOptions.parse({}) };
    const theirs = TheirOptions.parse({}) as Record<string, unknown>;
    for (const name of SHARED_DEFAULTS) expect([name, ours[name]]).toEqual([name, theirs[name]]);
    expect(typeof ours.encode).toBe('function');
    expect(typeof ours.decode).toBe('function');
    const encoded = (ours.encode as (v: unknown) => string)({ a: 1 });
    expect((ours.decode as (v: string) => unknown)(encoded)).toEqual({ a: 1 });
  });

  it('parse() keeps the given values, returns a new object and leaves the input alone', () => {
    const input = { key: 'sid', rolling: true, maxAge: 1000 };
    const parsed = SessionOptions.parse(input);
    expect(parsed).toMatchObject({ key: 'sid', rolling: true, maxAge: 1000, signed: true, renew: false });
    expect(parsed).not.toBe(input);
    expect(input).toEqual({ key: 'sid', rolling: true, maxAge: 1000 });
  });

  it('parse() throws a SessionConfigError for what koa-session rejects', () => {
    for (const bad of [{ maxAge: 'soon' }, { rolling: 'yes' }, { sameSite: true }, { key: 1 }]) {
      expect(() => TheirOptions.parse(bad)).toThrow();
      expect(() => SessionOptions.parse(bad)).toThrow(SessionConfigError);
    }
  });

  it('parse() result can be handed to session()', () => {
    const app = new Koa();
    app.keys = ['k'];
    const { key, rolling } = SessionOptions.parse({ key: 'sid', rolling: true });
    expect(typeof session({ key, rolling }, app)).toBe('function');
  });

  it('CreateSessionOptions is the options type of session(), with Koa context in hooks', () => {
    const opts: CreateSessionOptions = { maxAge: 1000, valid: (ctx) => ctx.path !== '/nope' };
    const same: KoaSessionOptions = opts;
    const app = new Koa();
    app.keys = ['k'];
    expect(typeof session(same, app)).toBe('function');
  });
});
