import request from 'supertest';
import { cookieHeader, findCookie, setCookies, variants } from './sample-loader';

describe.each(variants('multi-api'))('seed sample: the app with multiple APIs, %s', (_name, load) => {
  const { createApp } = load();

  it('set -> get -> destroy -> get, on the koa:sess cookie', async () => {
    const app = createApp();
    const agent = request(app.callback());

    const set = await agent.get('/set').expect(200, 'Session is set!');
    expect(findCookie(set, 'koa:sess')).toMatch(/; path=\/; expires=[^;]+; httponly$/);
    expect(findCookie(set, 'koa:sess.sig')).toBeDefined();

    const got = await agent.get('/get').set('Cookie', cookieHeader(set)).expect(200, 'User: JohnDoe');
    // rolling: true, so even a read re-sends the cookie pair.
    expect(setCookies(got)).toHaveLength(2);

    const destroyed = await agent.get('/destroy').set('Cookie', cookieHeader(got)).expect(200, 'Session destroyed!');
    expect(findCookie(destroyed, 'koa:sess')).toMatch(/^koa:sess=; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT/);

    const after = await agent.get('/get').set('Cookie', cookieHeader(destroyed)).expect(200, 'User: undefined');
    expect(setCookies(after)).toEqual([]);
  });

  it("answers 'Hello World' elsewhere without touching the session", async () => {
    const res = await request(createApp().callback()).get('/').expect(200, 'Hello World');
    expect(setCookies(res)).toEqual([]);
  });

  it('keeps a session across apps that share app.keys (the data lives in the cookie)', async () => {
    const set = await request(createApp().callback()).get('/set').expect(200);
    await request(createApp().callback()).get('/get').set('Cookie', cookieHeader(set)).expect(200, 'User: JohnDoe');
  });

  it('rejects a session signed with another key, without a 500', async () => {
    const set = await request(createApp().callback()).get('/set').expect(200);
    const forged = cookieHeader(set).replace(/koa:sess\.sig=[^;]+/, 'koa:sess.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await request(createApp().callback()).get('/get').set('Cookie', forged).expect(200, 'User: undefined');
  });
});
