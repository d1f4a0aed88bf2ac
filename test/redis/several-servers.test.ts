import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist', 'index.cjs');
// What 'koa-typed-session/redis' resolves to (package.json "exports").
const distRedis = join(root, 'dist', 'lib', 'redis.js');

/** True when dist/ holds a build of this package with the store features these apps use. */
function distIsUsable(): boolean {
  const lib = join(root, 'dist', 'lib', 'index.js');
  return (
    existsSync(dist) &&
    existsSync(lib) &&
    existsSync(distRedis) &&
    readFileSync(lib, 'utf8').includes('destroyAllSessionsOf')
  );
}

interface AppProcess {
  child: ChildProcess;
  url: string;
}

function startApp(name: string, env: Record<string, string>): Promise<AppProcess> {
  const child = fork(join(__dirname, 'fixtures', 'shared-app.cjs'), [], {
    env: { ...process.env, ...env, KTS_NAME: name, KTS_DIST: dist, KTS_DIST_REDIS: distRedis },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app ${name} did not start`)), 15_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`app ${name} exited with ${code}`)));
    child.once('message', (msg: { port: number }) => {
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${msg.port}` });
    });
  });
}

function stopApp(app: AppProcess | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => app.child.kill('SIGKILL'), 5_000);
    app.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    app.child.disconnect();
  });
}

describe('several servers, one session: two app processes sharing one Redis', () => {
  let redis: { url: string; close(): Promise<void> };
  let first: AppProcess | undefined;
  let second: AppProcess | undefined;

  beforeAll(async () => {
    // Jest's global setup (test/helpers/build-dist.cjs) has built dist/ before any test started.
    if (!distIsUsable()) throw new Error('dist/ is missing or predates RedisStore: run `npm run build`');
    redis = await useRedis();
    const env = { REDIS_URL: redis.url, KTS_PREFIX: uniquePrefix('several-servers') };
    [first, second] = await Promise.all([startApp('first', env), startApp('second', env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopApp(first), stopApp(second)]);
    await redis?.close();
  });

  it('a login on the first server is seen on the second; a logout on the second is seen on the first', async () => {
    const login = await request(first!.url).get('/login?user=ann').expect(200);
    const cookie = cookieHeader(login);
    const seen = await request(second!.url).get('/whoami').set('Cookie', cookie).expect(200);
    expect(seen.body.server).toBe('second');
    expect(seen.body.pid).not.toBe(login.body.pid);
    expect(seen.body.session).toEqual({ user: 'ann' });

    await request(second!.url).get('/logout').set('Cookie', cookie).expect(200);
    const after = await request(first!.url).get('/whoami').set('Cookie', cookie).expect(200);
    expect(after.body.session).toEqual({});
  });

  it('50 parallel writes spread over both servers all land in the one session', async () => {
    const login = await request(first!.url).get('/login?user=bob').expect(200);
    const cookie = cookieHeader(login);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request((i % 2 ? second : first)!.url)
          .get(`/set/k${i}`)
          .set('Cookie', cookie)
          .expect(200),
      ),
    );
    const { body } = await request(second!.url).get('/whoami').set('Cookie', cookie).expect(200);
    const keys = Object.keys(body.session as object).filter((k) => k.startsWith('k'));
    expect(keys).toHaveLength(50);
    expect(body.session.k0).toBe('first');
    expect(body.session.k1).toBe('second');
  });
});
