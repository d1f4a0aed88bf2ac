import request from 'supertest';
import { cookieHeader, findCookie, setCookies, variants } from './sample-loader';

describe.each(variants('basic-setup'))('seed sample: basic setup (views counter), %s', (_name, load) => {
  const { createApp } = load();

  it('counts views per client, carried by the signed koa.sess cookie', async () => {
    const app = createApp();
    const agent = request(app.callback());

    const first = await agent.get('/').expect(200, '1 views');
    expect(findCookie(first, 'koa.sess')).toMatch(/^koa\.sess=[A-Za-z0-9+/=]+; path=\/; httponly$/);
    expect(findCookie(first, 'koa.sess.sig')).toMatch(/^koa\.sess\.sig=[\w-]{27}; path=\/; httponly$/);

    const second = await agent.get('/').set('Cookie', cookieHeader(first)).expect(200, '2 views');
    await agent.get('/').set('Cookie', cookieHeader(second)).expect(200, '3 views');
  });

  it('gives a new client its own counter', async () => {
    const app = createApp();
    const res = await request(app.callback()).get('/').expect(200, '1 views');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect(200, '2 views');
    await request(app.callback()).get('/').expect(200, '1 views');
  });

  it('starts over, without a 500, when the cookie was tampered with', async () => {
    const app = createApp();
    const res = await request(app.callback()).get('/').expect(200, '1 views');
    const forged = Buffer.from(JSON.stringify({ view: 1000, _expire: Date.now() + 60_000, _maxAge: 60_000 })).toString(
      'base64',
    );
    const tampered = cookieHeader(res).replace(/koa\.sess=[^;]+/, `koa.sess=${forged}`);
    const again = await request(app.callback()).get('/').set('Cookie', tampered).expect(200, '1 views');
    expect(setCookies(again).length).toBeGreaterThan(0);
  });
});
