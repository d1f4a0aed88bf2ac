import request from 'supertest';
import { DIST_ENTRY, cookieHeader, loadJsSample, setCookies, type SampleName } from './sample-loader';

/**
 * The drop-in promise, on the seed's own code: the same JavaScript file run once on koa-session 7
 * and once on koa-typed-session writes the same bytes, and each reads the other's cookies.
 */
function pair(name: SampleName): { ours: ReturnType<typeof loadJsSample>; theirs: ReturnType<typeof loadJsSample> } {
  return { ours: loadJsSample(name, 'dist'), theirs: loadJsSample(name, 'koa-session') };
}

describe('seed samples: koa-session 7 <-> koa-typed-session', () => {
  afterEach(() => jest.restoreAllMocks());

  it('multi-api: both send byte-identical Set-Cookie headers for /set', async () => {
    const { ours, theirs } = pair('multi-api');
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    const a = await request(ours.createApp().callback()).get('/set').expect(200, 'Session is set!');
    const b = await request(theirs.createApp().callback()).get('/set').expect(200, 'Session is set!');
    expect(setCookies(a)).toHaveLength(2);
    expect(setCookies(a)).toEqual(setCookies(b));
  });

  it('multi-api: a cookie set by koa-session is read by koa-typed-session, and the reverse', async () => {
    const { ours, theirs } = pair('multi-api');
    const fromTheirs = await request(theirs.createApp().callback()).get('/set').expect(200);
    await request(ours.createApp().callback())
      .get('/get')
      .set('Cookie', cookieHeader(fromTheirs))
      .expect(200, 'User: JohnDoe');

    const fromOurs = await request(ours.createApp().callback()).get('/set').expect(200);
    await request(theirs.createApp().callback())
      .get('/get')
      .set('Cookie', cookieHeader(fromOurs))
      .expect(200, 'User: JohnDoe');
  });

  it('multi-api: a destroy by either ends the session for both', async () => {
    const { ours, theirs } = pair('multi-api');
    const set = await request(theirs.createApp().callback()).get('/set').expect(200);
    const destroyed = await request(ours.createApp().callback())
      .get('/destroy')
      .set('Cookie', cookieHeader(set))
      .expect(200);
    const b = await request(theirs.createApp().callback()).get('/destroy').set('Cookie', cookieHeader(set)).expect(200);
    expect(setCookies(destroyed)).toEqual(setCookies(b));
    await request(theirs.createApp().callback())
      .get('/get')
      .set('Cookie', cookieHeader(destroyed))
      .expect(200, 'User: undefined');
  });

  it('basic-setup: the views counter keeps counting while requests alternate between the two', async () => {
    const { ours, theirs } = pair('basic-setup');
    const apps = [ours.createApp(), theirs.createApp()];
    let cookie = '';
    for (let i = 1; i <= 4; i++) {
      const res = await request(apps[i % 2]!.callback())
        .get('/')
        .set('Cookie', cookie)
        .expect(200, `${i} views`);
      cookie = cookieHeader(res);
    }
  });

  it('config: the koa:sess cookie pair moves between the two', async () => {
    const { ours, theirs } = pair('config');
    const first = await request(theirs.createApp().callback()).get('/').expect(200, '1 views');
    const second = await request(ours.createApp().callback())
      .get('/')
      .set('Cookie', cookieHeader(first))
      .expect(200, '2 views');
    await request(theirs.createApp().callback()).get('/').set('Cookie', cookieHeader(second)).expect(200, '3 views');
  });

  it("koa-session 7's own require() is not callable; ours is, as koa-session 6's was", () => {
    expect(typeof jest.requireActual('koa-session')).toBe('object');
    const entry = jest.requireActual<((...args: unknown[]) => unknown) & Record<string, unknown>>(DIST_ENTRY);
    expect(typeof entry).toBe('function');
    expect(entry.default).toBe(entry);
    expect(typeof entry.createSession).toBe('function');
  });
});
