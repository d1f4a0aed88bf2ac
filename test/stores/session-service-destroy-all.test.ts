import Redis from 'ioredis';
import { MemoryStore, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { Controller, Get, Post, Query, SessionModule, SessionService, createApp } from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

@Controller('/')
class AccountController {
  constructor(private readonly sessions: SessionService) {}

  @Post('/login')
  login(@Query('user') user: string) {
    this.sessions.session!.userId = user;
    return { ok: true };
  }

  @Get('/me')
  me() {
    return { userId: this.sessions.session?.userId ?? null };
  }

  @Post('/logout-everywhere')
  async logoutEverywhere() {
    const destroyed = await this.sessions.destroyAllOf(this.sessions.session!.userId as string);
    this.sessions.destroy();
    return { destroyed };
  }
}

describe('SessionService.destroyAllOf: log out everywhere from the decorator module', () => {
  let redis: { url: string; close(): Promise<void> };
  let client: Redis;

  beforeAll(async () => {
    redis = await useRedis();
    client = new Redis(redis.url);
  });

  afterAll(async () => {
    client?.disconnect();
    await redis?.close();
  });

  it.each([
    ['MemoryStore', (): SessionStore => new MemoryStore({ userField: 'userId' })],
    [
      'RedisStore',
      (): SessionStore => new RedisStore({ client, prefix: uniquePrefix('service-destroy-all'), userField: 'userId' }),
    ],
  ])('with %s', async (_name, makeStore) => {
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ store: makeStore() })],
      controllers: [AccountController],
    });
    const agent = request(app.callback());
    const phone = cookieHeader(await agent.post('/login?user=ann').expect(200));
    const laptop = cookieHeader(await agent.post('/login?user=ann').expect(200));
    const bob = cookieHeader(await agent.post('/login?user=bob').expect(200));
    expect((await agent.post('/logout-everywhere').set('Cookie', phone).expect(200)).body).toEqual({ destroyed: 2 });
    expect((await agent.get('/me').set('Cookie', laptop).expect(200)).body).toEqual({ userId: null });
    expect((await agent.get('/me').set('Cookie', bob).expect(200)).body).toEqual({ userId: 'bob' });
  });

  it('fails with a clear SessionConfigError (500, not exposed) when the store cannot do it', async () => {
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ store: new MemoryStore() })],
      controllers: [AccountController],
    });
    const errors: Error[] = [];
    app.on('error', (err: Error) => errors.push(err));
    const agent = request(app.callback());
    const cookie = cookieHeader(await agent.post('/login?user=ann').expect(200));
    await agent.post('/logout-everywhere').set('Cookie', cookie).expect(500);
    expect(errors[0]?.message).toMatch(/^koa-typed-session: option `MemoryStore.userField` is not set/);
  });
});
