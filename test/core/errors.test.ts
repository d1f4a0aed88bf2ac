/** The SessionError hierarchy: code, status, expose, and messages that say how to fix things. */
import {
  SessionConfigError,
  SessionCookieError,
  SessionError,
  SessionStateError,
  SessionStoreError,
  SessionValidationError,
} from 'koa-typed-session';

describe('errors', () => {
  it('SessionConfigError names the option, 500, not exposed', () => {
    const err = new SessionConfigError('maxAge', 'must be a number', 'Use 1000.');
    expect(err).toBeInstanceOf(SessionError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'SessionConfigError',
      code: 'ERR_SESSION_CONFIG',
      status: 500,
      expose: false,
      option: 'maxAge',
    });
    expect(err.message).toBe('koa-typed-session: option `maxAge` must be a number. Use 1000.');
  });

  it('SessionStoreError: 503 exposed by default, keeps the cause and the operation', () => {
    const cause = new Error('ECONNREFUSED');
    const err = new SessionStoreError('get', cause);
    expect(err).toMatchObject({ code: 'ERR_SESSION_STORE', status: 503, expose: true, operation: 'get', cause });
    expect(err.message).toMatch(
      /^koa-typed-session: the session store is unavailable \(`get` failed\)\. The stored session is unchanged/,
    );
    expect(err.message).not.toContain('ECONNREFUSED');
    expect(err.cause).toBe(cause);
    expect(new SessionStoreError('set', 'x', 500).expose).toBe(false);
  });

  it('SessionCookieError and SessionStateError are 500s, not exposed', () => {
    expect(new SessionCookieError('too big', 'ERR_X')).toMatchObject({
      status: 500,
      expose: false,
      code: 'ERR_X',
      message: 'koa-typed-session: too big',
    });
    expect(new SessionStateError('misuse')).toMatchObject({ status: 500, expose: false, code: 'ERR_SESSION_STATE' });
  });

  it('SessionValidationError is a 400 listing the fields', () => {
    const err = new SessionValidationError('ViewSession', [
      { property: 'views', constraints: { isInt: 'views must be an integer' } },
    ]);
    expect(err).toMatchObject({ status: 400, expose: true, code: 'ERR_SESSION_VALIDATION' });
    expect(err.message).toMatch(/ViewSession \(invalid: views\)/);
  });
});
