import request from 'supertest';
import { cookieHeader, findCookie, variants } from './sample-loader';

const DAY = 86_400_000;

describe.each(variants('config'))('seed sample: the CONFIG object, %s', (_name, load) => {
  const { createApp } = load();

  it("names the cookies 'koa:sess' and 'koa:sess.sig' (':' is a valid cookie-name character)", async () => {
    const res = await request(createApp().callback()).get('/').expect(200, '1 views');
    expect(findCookie(res, 'koa:sess')).toBeDefined();
    expect(findCookie(res, 'koa:sess.sig')).toBeDefined();
    expect(findCookie(res, 'koa.sess')).toBeUndefined();
  });

  it('sends maxAge as an expires one day ahead, httpOnly, on path /', async () => {
    const before = Date.now();
    const res = await request(createApp().callback()).get('/').expect(200);
    const cookie = findCookie(res, 'koa:sess')!;
    expect(cookie).toMatch(/; path=\/; expires=[^;]+; httponly$/);
    const expires = Date.parse(/expires=([^;]+)/.exec(cookie)![1]!);
    // HTTP dates have one-second resolution.
    expect(expires).toBeGreaterThanOrEqual(Math.floor((before + DAY) / 1000) * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + DAY);
  });

  it('reads the session back from the koa:sess cookie pair', async () => {
    const app = createApp();
    const first = await request(app.callback()).get('/').expect(200, '1 views');
    const second = await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect(200, '2 views');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(second)).expect(200, '3 views');
  });

  it('ignores a koa:sess cookie without its signature', async () => {
    const app = createApp();
    const first = await request(app.callback()).get('/').expect(200, '1 views');
    const unsigned = cookieHeader(first)
      .split('; ')
      .filter((pair) => !pair.startsWith('koa:sess.sig='))
      .join('; ');
    await request(app.callback()).get('/').set('Cookie', unsigned).expect(200, '1 views');
  });
});
