import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as root from 'koa-typed-session';
import { RequestValidationError as FromDecorators } from 'koa-typed-session/decorators';
import { SessionError } from 'koa-typed-session';

const source = (file: string): string => readFileSync(join(__dirname, '../../src', file), 'utf8');

describe('engine surface', () => {
  test('the root barrel exports no undocumented internals', () => {
    expect(Object.keys(root)).not.toEqual(expect.arrayContaining(['contextSession']));
    expect(Object.keys(root)).not.toEqual(expect.arrayContaining(['ONE_DAY']));
    expect(source('index.ts')).not.toMatch(/NormalizedOptions/);
  });

  test('RequestValidationError lives in the decorator layer, and the root re-exports the same class', () => {
    expect(source('core/errors.ts')).not.toMatch(/class RequestValidationError/);
    expect(root.RequestValidationError).toBe(FromDecorators);
    const error = new FromDecorators('body', 'Dto', [{ property: 'name', constraints: { isString: 'bad' } }]);
    expect(error).toBeInstanceOf(SessionError);
    expect([error.code, error.status, error.expose]).toEqual(['ERR_REQUEST_VALIDATION', 400, true]);
  });

  test('SessionError takes its details as an object (the positional form still works)', () => {
    const cause = new Error('inner');
    const error = new SessionError('koa-typed-session: gone.', { code: 'ERR_GONE', status: 410, expose: true, cause });
    expect([error.code, error.status, error.expose, error.cause]).toEqual(['ERR_GONE', 410, true, cause]);
    const legacy = new SessionError('koa-typed-session: gone.', 'ERR_GONE', 410, true);
    expect([legacy.code, legacy.status, legacy.expose, 'cause' in legacy]).toEqual(['ERR_GONE', 410, true, false]);
  });

  test('writeToStore takes one options object; touch() is an engine call, not a self-assignment', () => {
    expect(source('core/store-call.ts')).toMatch(/export async function writeToStore<Ctx>\(write: StoreWrite<Ctx>\)/);
    expect(source('di/session.service.ts')).not.toMatch(/session\.maxAge = session\.maxAge/);
  });
});
