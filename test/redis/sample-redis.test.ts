import request from 'supertest';
import Redis from 'ioredis';
import { createApp, type RedisSampleApp } from '../../samples/redis/multi-api';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

describe('samples/redis: the seed multi-API app on RedisStore', () => {
  let redis: { url: string; close(): Promise<void> };
  let raw: Redis;
  let sample: RedisSampleApp;
  let other: RedisSampleApp;
  const prefix = uniquePrefix('sample-redis');

  beforeAll(async () => {
    redis = await useRedis();
    raw = new Redis(redis.url);
    sample = createApp(redis.url, prefix);
    other = createApp(redis.url, prefix); // a second "server" on the same Redis
  });

  afterAll(async () => {
    await sample?.store.quit();
    await other?.store.quit();
    raw?.disconnect();
    await redis?.close();
  });

  it('set -> get (on another instance) -> destroy, with the record in Redis', async () => {
    const set = await request(sample.app.callback()).get('/set').expect(200, 'Session is set!');
    const cookie = cookieHeader(set);
    const id = /koa:sess=([^;]+)/.exec(cookie)![1]!;
    expect(JSON.parse((await raw.get(prefix + id))!)).toMatchObject({ user: 'JohnDoe', _maxAge: 86400000 });
    await request(other.app.callback()).get('/get').set('Cookie', cookie).expect(200, 'User: JohnDoe');
    await request(sample.app.callback()).get('/destroy').set('Cookie', cookie).expect(200, 'Session destroyed!');
    expect(await raw.exists(prefix + id)).toBe(0);
    await request(other.app.callback()).get('/get').set('Cookie', cookie).expect(200, 'User: undefined');
  });

  it('logs a user out everywhere', async () => {
    const phone = cookieHeader(
      await request(sample.app.callback()).get('/login?user=ann').expect(200, 'Logged in as ann'),
    );
    const laptop = cookieHeader(await request(other.app.callback()).get('/login?user=ann').expect(200));
    await request(other.app.callback())
      .get('/logout-everywhere')
      .set('Cookie', phone)
      .expect(200, 'Destroyed 2 session(s)');
    await request(sample.app.callback()).get('/get').set('Cookie', laptop).expect(200, 'User: undefined');
  });

  it('answers Hello World elsewhere', async () => {
    await request(sample.app.callback()).get('/').expect(200, 'Hello World');
  });
});
