import { session } from 'koa-typed-session';
import Koa from 'koa';
import request from 'supertest';
import { CONFIG, createSeedApp } from '../../samples/decorators/app';
import { cookieHeader, setCookies } from '../helpers/app';

const findCookie = (res: { headers: Record<string, unknown> }, name: string) =>
  setCookies(res).find((c) => c.startsWith(`${name}=`));

describe('sample: the seed multi-API app with controllers and a typed session', () => {
  it('set -> get -> destroy -> get, on the koa:sess cookie', async () => {
    const agent = request(createSeedApp().callback());
    const set = await agent.get('/set').expect(200, 'Session is set!');
    expect(findCookie(set, 'koa:sess')).toMatch(/; path=\/; expires=[^;]+; httponly$/);
    expect(findCookie(set, 'koa:sess.sig')).toBeDefined();

    const got = await agent.get('/get').set('Cookie', cookieHeader(set)).expect(200, 'User: JohnDoe');
    expect(setCookies(got)).toHaveLength(2); // rolling: true

    const destroyed = await agent.get('/destroy').set('Cookie', cookieHeader(got)).expect(200, 'Session destroyed!');
    expect(findCookie(destroyed, 'koa:sess')).toMatch(/^koa:sess=; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT/);
    await agent.get('/get').set('Cookie', cookieHeader(destroyed)).expect(200, 'User: undefined');
  });

  it("answers 'Hello World' on any other path without touching the session", async () => {
    const agent = request(createSeedApp().callback());
    for (const path of ['/', '/anything', '/deep/path']) {
      const res = await agent.get(path).expect(200, 'Hello World');
      expect(setCookies(res)).toEqual([]);
    }
  });

  it('shares its cookies with the plain-Koa version of the app (same wire format)', async () => {
    const plain = new Koa();
    plain.keys = ['your-secret-key'];
    plain.use(session(CONFIG, plain));
    plain.use((ctx) => {
      ctx.body = `User: ${String(ctx.session!.user)}`;
    });
    const set = await request(createSeedApp().callback()).get('/set').expect(200);
    await request(plain.callback()).get('/').set('Cookie', cookieHeader(set)).expect(200, 'User: JohnDoe');
  });

  it('resets a session whose data fails the schema, with a session:invalid event', async () => {
    const app = createSeedApp();
    const plain = new Koa();
    plain.keys = ['your-secret-key'];
    plain.use(session(CONFIG, plain));
    plain.use((ctx) => {
      ctx.session!.user = 42;
      ctx.body = 'forged';
    });
    const forged = await request(plain.callback()).get('/').expect(200);
    const invalid = new Promise((resolve) => app.once('session:invalid', resolve));
    await request(app.callback()).get('/get').set('Cookie', cookieHeader(forged)).expect(200, 'User: undefined');
    await expect(invalid).resolves.toMatchObject({ schema: 'SeedSession', errors: [{ property: 'user' }] });
  });
});
