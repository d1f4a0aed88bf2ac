/**
 * The commit builds the cookie's JSON from the data's JSON instead of stringifying the payload
 * again (a performance fast path). These tests pin that the bytes are exactly what
 * `base64(JSON.stringify(payload))` gives, as koa-session writes them, in every shape of payload.
 */
import Koa from 'koa';
import { createCookieSealer, session, type KoaSessionOptions } from 'koa-typed-session';
import { KEYS, request, setCookies } from '../helpers/app';

const BOOKKEEPING = ['_session', '_expire', '_maxAge', '_created'];

/** The payload koa-session would have written: the data, then the bookkeeping fields, in that order. */
function expectedJson(data: Record<string, unknown>, written: Record<string, unknown>): string {
  const payload: Record<string, unknown> = Object.assign({}, data);
  for (const key of BOOKKEEPING) if (key in written) payload[key] = written[key];
  return JSON.stringify(payload);
}

function appWriting(data: Record<string, unknown>, options: KoaSessionOptions = {}, force = false): Koa {
  const app = new Koa();
  app.keys = KEYS;
  app.use(session(options, app));
  app.use(async (ctx) => {
    Object.assign(ctx.session!, data);
    if (force) await ctx.session!.save();
    ctx.body = 'ok';
  });
  return app;
}

async function writtenText(app: Koa, open: (value: string) => string): Promise<string> {
  const res = await request(app.callback()).get('/').expect(200);
  const line = setCookies(res).find((c) => c.startsWith('koa.sess='));
  expect(line).toBeDefined();
  return open(line!.slice('koa.sess='.length).split(';')[0]!);
}

const fromBase64 = (value: string): string => Buffer.from(value, 'base64').toString('utf8');

const shapes: Array<[string, Record<string, unknown>]> = [
  ['one counter', { view: 1 }],
  ['integer-like keys (ordered first by JSON)', { b: 1, 2: 'two', a: [1, { c: null }], 1: true }],
  ['nested objects, unicode and escapes', { user: { name: 'Zoë "Z" \\ 😀', tags: ['a', 'b'] }, n: -0.5e-7 }],
  ['large numbers', { big: 1e21, small: 5e-324, neg: -123456789.125 }],
];

describe('cookie encoding fast path: the same bytes as base64(JSON.stringify(payload))', () => {
  it.each(shapes)('%s', async (_name, data) => {
    const text = await writtenText(appWriting(data), fromBase64);
    expect(text).toBe(expectedJson(data, JSON.parse(text) as Record<string, unknown>));
    expect(JSON.parse(text)).toMatchObject(JSON.parse(JSON.stringify(data)) as object);
  });

  it('with maxAge: "session" (_session) and absoluteTimeout (_created)', async () => {
    const data = { view: 3 };
    const text = await writtenText(appWriting(data, { maxAge: 'session', absoluteTimeout: 60_000 }), fromBase64);
    const written = JSON.parse(text) as Record<string, unknown>;
    expect(written._session).toBe(true);
    expect(typeof written._created).toBe('number');
    expect(text).toBe(expectedJson(data, written));
  });

  it('an empty session saved by save(): only the bookkeeping fields', async () => {
    const text = await writtenText(appWriting({}, { maxAge: 1000 }, true), fromBase64);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['_expire', '_maxAge']);
    expect(text).toBe(expectedJson({}, JSON.parse(text) as Record<string, unknown>));
  });

  it('encrypted cookies seal the same JSON', async () => {
    const keys = ['a-32-character-encryption-secret-0001'];
    const data = { view: 1, 7: 'seven' };
    const sealer = createCookieSealer({ keys }, 'koa.sess');
    const text = await writtenText(appWriting(data, { encrypt: { keys } }), (value) => sealer.unseal(value)!.plaintext);
    expect(text).toBe(expectedJson(data, JSON.parse(text) as Record<string, unknown>));
  });

  it('a custom encode still receives the whole payload object', async () => {
    const seen: unknown[] = [];
    const encode = (payload: Record<string, unknown>): string => {
      seen.push(payload);
      return Buffer.from(JSON.stringify(payload)).toString('base64');
    };
    await writtenText(appWriting({ view: 1 }, { encode }), fromBase64);
    expect(seen).toEqual([expect.objectContaining({ view: 1, _expire: expect.any(Number), _maxAge: 86_400_000 })]);
  });
});
