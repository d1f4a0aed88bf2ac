import request from 'supertest';
import { cookieHeader, findCookie, setCookies, variants } from './sample-loader';

describe.each(variants('rolling'))('seed sample: session rolling, %s', (_name, load) => {
  const { createApp } = load();

  afterEach(() => jest.restoreAllMocks());

  it('re-sends the cookie on a request that only reads the session, with a later expiry', async () => {
    const app = createApp();
    const start = Date.now();
    const set = await request(app.callback()).get('/set').expect(200, 'Session is set!');
    expect(setCookies(set)).toHaveLength(2);

    jest.spyOn(Date, 'now').mockReturnValue(start + 60_000);
    const read = await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect(200, 'User: JohnDoe');
    // Nothing changed, yet rolling writes both cookies again, with the payload's _expire moved on.
    expect(findCookie(read, 'koa.sess')).toBeDefined();
    expect(findCookie(read, 'koa.sess.sig')).toBeDefined();
    expect(findCookie(read, 'koa.sess')).not.toBe(findCookie(set, 'koa.sess'));

    // The re-sent cookie is valid on its own.
    await request(app.callback()).get('/').set('Cookie', cookieHeader(read)).expect(200, 'User: JohnDoe');
  });

  it('sends nothing for a client without a session', async () => {
    const res = await request(createApp().callback()).get('/').expect(200, 'User: undefined');
    expect(setCookies(res)).toEqual([]);
  });
});
