/**
 * In store mode the id cookie is written back unchanged on every save; the jar then reuses the
 * signature it has just verified instead of computing a second HMAC (a performance fast path).
 * These tests pin that the written signature is always Keygrip's for the newest key.
 */
import Koa from 'koa';
import Keygrip from 'keygrip';
import { MemoryStore, session } from 'koa-typed-session';
import { cookiePairs, request, setCookies } from '../helpers/app';

const NEW = 'newest-key';
const OLD = 'older-key';

function app(keys: string[], store: MemoryStore): Koa {
  const koa = new Koa();
  koa.keys = keys;
  koa.use(session({ store }, koa));
  koa.use(async (ctx) => {
    if (ctx.path === '/regenerate') await ctx.session!.regenerate();
    ctx.session!.n = ((ctx.session!.n as number | undefined) ?? 0) + 1;
    ctx.body = String(ctx.session!.n);
  });
  return koa;
}

const cookies = cookiePairs;

describe('store mode: the id cookie written back carries the newest key signature', () => {
  it('re-writes the verified signature unchanged, which is the HMAC of the newest key', async () => {
    const store = new MemoryStore();
    const handler = app([NEW, OLD], store).callback();
    const first = cookies(await request(handler).get('/').expect(200, '1'));
    const id = first['koa.sess']!;
    const sent = `koa.sess=${id}; koa.sess.sig=${first['koa.sess.sig']}`;
    const second = cookies(await request(handler).get('/').set('Cookie', sent).expect(200, '2'));
    expect(second['koa.sess']).toBe(id);
    expect(second['koa.sess.sig']).toBe(new Keygrip([NEW]).sign(`koa.sess=${id}`));
  });

  it('re-signs with the newest key a cookie signed by an older one', async () => {
    const store = new MemoryStore();
    const old = cookies(
      await request(app([OLD], store).callback())
        .get('/')
        .expect(200, '1'),
    );
    const id = old['koa.sess']!;
    const res = await request(app([NEW, OLD], store).callback())
      .get('/')
      .set('Cookie', `koa.sess=${id}; koa.sess.sig=${old['koa.sess.sig']}`)
      .expect(200, '2');
    const sigLines = setCookies(res).filter((line) => line.startsWith('koa.sess.sig='));
    expect(sigLines.length).toBeGreaterThan(0);
    for (const line of sigLines)
      expect(line.split(';')[0]).toBe(`koa.sess.sig=${new Keygrip([NEW]).sign(`koa.sess=${id}`)}`);
  });

  it('a tampered signature is not reused: the session is new and signed afresh', async () => {
    const store = new MemoryStore();
    const handler = app([NEW], store).callback();
    const first = cookies(await request(handler).get('/').expect(200, '1'));
    const forged = `koa.sess=${first['koa.sess']}; koa.sess.sig=${'A'.repeat(27)}`;
    const res = await request(handler).get('/').set('Cookie', forged).expect(200, '1');
    const next = cookies(res);
    expect(next['koa.sess']).not.toBe(first['koa.sess']);
    expect(next['koa.sess.sig']).toBe(new Keygrip([NEW]).sign(`koa.sess=${next['koa.sess']}`));
  });

  it('after regenerate() the new id is signed afresh, not with the verified signature of the old one', async () => {
    const store = new MemoryStore();
    const handler = app([NEW], store).callback();
    const first = cookies(await request(handler).get('/').expect(200, '1'));
    const sent = `koa.sess=${first['koa.sess']}; koa.sess.sig=${first['koa.sess.sig']}`;
    const res = await request(handler).get('/regenerate').set('Cookie', sent).expect(200, '2');
    const next = cookies(res);
    expect(next['koa.sess']).not.toBe(first['koa.sess']);
    expect(next['koa.sess.sig']).toBe(new Keygrip([NEW]).sign(`koa.sess=${next['koa.sess']}`));
  });
});
