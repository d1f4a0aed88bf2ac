import request from 'supertest';
import { cookieHeader, findCookie, setCookies, variants } from './sample-loader';

describe.each(variants('api-examples'))('seed sample: setting, getting, destroying a session, %s', (_name, load) => {
  const { createApp } = load();

  it('set -> get -> destroy -> get', async () => {
    const app = createApp();
    const agent = request(app.callback());

    const set = await agent.get('/set').expect(200, 'Session Set!');
    expect(findCookie(set, 'koa.sess')).toBeDefined();
    const cookie = cookieHeader(set);

    const got = await agent.get('/get').set('Cookie', cookie).expect(200, 'Hello, JohnDoe');
    expect(setCookies(got)).toEqual([]); // reading does not rewrite the cookie

    const destroyed = await agent.get('/destroy').set('Cookie', cookie).expect(200, 'Session Destroyed');
    // Both cookies are cleared with an expiry in 1970, as koa-session does.
    expect(findCookie(destroyed, 'koa.sess')).toBe(
      'koa.sess=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly',
    );
    expect(findCookie(destroyed, 'koa.sess.sig')).toMatch(
      /^koa\.sess\.sig=[\w-]{27}; path=\/; expires=Thu, 01 Jan 1970/,
    );

    // The browser now sends the cleared (empty) cookie: no session any more.
    await agent.get('/get').set('Cookie', cookieHeader(destroyed)).expect(200, 'Hello, undefined');
  });

  it('answers get without a session, and sets no cookie', async () => {
    const res = await request(createApp().callback()).get('/get').expect(200, 'Hello, undefined');
    expect(setCookies(res)).toEqual([]);
  });

  it('destroys nothing gracefully when there is no session', async () => {
    const res = await request(createApp().callback()).get('/destroy').expect(200, 'Session Destroyed');
    // koa-session clears the cookie on destroy whether or not one was sent.
    expect(findCookie(res, 'koa.sess')).toMatch(/expires=Thu, 01 Jan 1970/);
  });
});
