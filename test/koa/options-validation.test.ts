/** Every invalid option fails at startup with a SessionConfigError naming it (koa-session: ZodError/assert). */
import Koa from 'koa';
import { createSession as koaSession } from 'koa-session';
import { session, SessionConfigError, SessionError, type KoaSessionOptions } from 'koa-typed-session';

function configError(options: unknown): SessionConfigError {
  const app = new Koa();
  app.keys = ['k'];
  try {
    session(options as KoaSessionOptions, app);
  } catch (err) {
    if (err instanceof SessionConfigError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(options)}`);
}

const noop = (): void => undefined;
class NoMethods {}

const cases: Array<[string, unknown]> = [
  ['key', ''],
  ['key', 'a;b'],
  ['key', 'a=b'],
  ['key', 'a b'],
  ['key', 1],
  ['maxAge', 'not the right string'],
  ['maxAge', Number.NaN],
  ['maxAge', null],
  ['maxAge', {}],
  ['maxAge', true],
  ['maxage', 'x'],
  ['autoCommit', 'yes'],
  ['overwrite', 1],
  ['httpOnly', null],
  ['signed', 'false'],
  ['rolling', 0],
  ['renew', 'true'],
  ['secure', 'yes'],
  ['secure', 1],
  ['secure', null],
  ['sameSite', 'bogus'],
  ['sameSite', 1],
  ['sameSite', null],
  ['sameSite', true],
  ['sameSite', false],
  ['domain', 1],
  ['domain', 'a;b'],
  ['path', 1],
  ['path', 'a;b'],
  ['partitioned', 'yes'],
  ['priority', 'urgent'],
  ['expires', 'tomorrow'],
  ['store', {}],
  ['store', { get: noop, set: noop }],
  ['store', null],
  ['ContextStore', {}],
  ['ContextStore', NoMethods],
  ['ContextStore', 'Store'],
  ['externalKey', {}],
  ['prefix', 1],
  ['genid', 'x'],
  ['encode', 'x'],
  ['decode', 1],
  ['valid', true],
  ['beforeSave', {}],
  ['absoluteTimeout', 0],
  ['absoluteTimeout', -1],
  ['absoluteTimeout', 'x'],
  ['oversizedCookie', 'ignore'],
  ['storeTimeout', 0],
  ['storeTimeout', Number.POSITIVE_INFINITY],
  ['onStoreError', 'retry'],
  ['storeErrorStatus', 200],
  ['storeErrorStatus', 600],
  ['storeErrorStatus', '503'],
];

describe('invalid options fail at startup', () => {
  beforeEach(() => jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each(cases)('%s: %p', (option, value) => {
    const err = configError({ [option]: value });
    expect(err).toBeInstanceOf(SessionError);
    expect(err.option).toBe(option);
    expect(err.code).toBe('ERR_SESSION_CONFIG');
    expect(err.message).toMatch(new RegExp(`^koa-typed-session: option \`${option}\` .+\\. \\S`));
  });

  it('an unknown option is named (a typo fails instead of being ignored)', () => {
    const err = configError({ maxAgee: 1000 });
    expect(err.option).toBe('maxAgee');
    expect(err.message).toMatch(/is not a known option/);
  });

  it.each([
    ['maxAgee', 'maxAge'],
    ['roling', 'rolling'],
    ['rollign', 'rolling'],
    ['MaxAge', 'maxAge'],
    ['httponly', 'httpOnly'],
    ['samesite', 'sameSite'],
    ['storeTimout', 'storeTimeout'],
    ['expire', 'expires'],
  ])('an unknown option %s suggests the nearest known name, %s', (typo, known) => {
    const err = configError({ [typo]: 1 });
    expect(err.option).toBe(typo);
    expect(err.message).toContain(`is not a known option. Did you mean \`${known}\`?`);
  });

  it('an unknown option far from every known name suggests none', () => {
    const err = configError({ database: 'x' });
    expect(err.message).toMatch(/is not a known option\. Check the spelling/);
    expect(err.message).not.toContain('Did you mean');
  });

  it('sameSite true/false are rejected, as koa-session 7 rejects them', () => {
    for (const sameSite of [true, false]) {
      const app = new Koa();
      app.keys = ['k'];
      expect(() => koaSession({ sameSite } as never, app as never)).toThrow();
      const err = configError({ sameSite });
      expect(err.option).toBe('sameSite');
      expect(err.message).toContain(`got ${String(sameSite)}`);
      expect(err.message).toContain(sameSite ? "Write `sameSite: 'strict'`" : 'Remove the option');
    }
  });

  it('options that are not an object fail', () => {
    expect(configError('koa.sess').option).toBe('options');
  });

  it('the error happens when session() is called, before any request', () => {
    const app = new Koa();
    app.keys = ['k'];
    expect(() => session({ maxAge: 'x' } as unknown as KoaSessionOptions, app)).toThrow(SessionConfigError);
  });

  it("sameSite: null, secure: null and maxAge: null are rejected (as koa-session's zod schema)", () => {
    for (const option of ['sameSite', 'secure', 'maxAge']) expect(configError({ [option]: null }).option).toBe(option);
  });

  it('a rejected options object is left untouched (koa-session mutates it)', () => {
    const options = { maxAge: 'x' };
    configError(options);
    expect(options).toEqual({ maxAge: 'x' });
  });

  it('a valid options object is not mutated either', () => {
    const app = new Koa();
    app.keys = ['k'];
    const options: KoaSessionOptions = { maxage: 5 };
    session(options, app);
    expect(options).toEqual({ maxage: 5 });
  });
});
