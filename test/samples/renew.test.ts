import request from 'supertest';
import { cookieHeader, findCookie, setCookies, variants } from './sample-loader';

const HOUR = 3_600_000;

/** The `_expire` of a koa.sess cookie pair (base64 JSON, the koa-session wire format). */
function expireOf(cookie: string): number {
  const value = /(?:^|; )koa\.sess=([^;]*)/.exec(cookie)![1]!;
  return (JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { _expire: number })._expire;
}

describe.each(variants('renew'))('seed sample: session renew, %s', (_name, load) => {
  const { createApp } = load();
  let now: number;

  beforeEach(() => {
    now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('leaves the cookie alone while more than half of the day is left', async () => {
    const app = createApp();
    const set = await request(app.callback()).get('/set').expect(200, 'Session is set!');
    now += 11 * HOUR;
    const read = await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect(200, 'User: JohnDoe');
    expect(setCookies(read)).toEqual([]);
  });

  it('re-sends the cookie with a new day once less than half of it is left', async () => {
    const app = createApp();
    const set = await request(app.callback()).get('/set').expect(200, 'Session is set!');
    const firstExpire = expireOf(cookieHeader(set));
    expect(firstExpire).toBe(now + 24 * HOUR);

    now += 13 * HOUR;
    const renewed = await request(app.callback())
      .get('/')
      .set('Cookie', cookieHeader(set))
      .expect(200, 'User: JohnDoe');
    expect(findCookie(renewed, 'koa.sess')).toMatch(/; expires=/);
    expect(expireOf(cookieHeader(renewed))).toBe(now + 24 * HOUR);

    // A day after the first visit the old cookie is expired, the renewed one still works.
    now += 12 * HOUR;
    await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect(200, 'User: undefined');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(renewed)).expect(200, 'User: JohnDoe');
  });
});
