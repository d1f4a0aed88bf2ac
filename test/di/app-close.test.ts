import type { AddressInfo } from 'node:net';
import { get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import { injectable } from 'tsyringe';
import { MemoryStore, SessionConfigError } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import {
  Controller,
  Get,
  SESSION_STORE,
  SessionModule,
  SessionService,
  createApp,
  type DecoratedApp,
} from 'koa-typed-session/decorators';
import { uniquePrefix, useRedis } from '../helpers/redis';
import { request } from '../helpers/app';

let gate: { promise: Promise<void>; open: () => void };
function newGate(): void {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  gate = { promise, open };
}

let entered: () => void = () => undefined;

@Controller('/')
class SlowController {
  constructor(private readonly sessions: SessionService) {}
  @Get('/slow') async slow() {
    entered();
    await gate.promise;
    this.sessions.session!.done = true;
    return 'finished';
  }
  @Get('/fast') fast() {
    return 'fast';
  }
}

/** A GET on its own connection (no shared agent, so nothing outlives the test). */
function get(url: string): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function listen(app: DecoratedApp): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

describe('app.close(): graceful shutdown', () => {
  let redis: Awaited<ReturnType<typeof useRedis>>;
  beforeAll(async () => {
    redis = await useRedis();
  });
  afterAll(() => redis?.close()); // undefined when setup failed

  it('lets a request in flight finish (its session committed), refuses new connections, quits the owned RedisStore', async () => {
    let owned!: RedisStore;
    const app = createApp({
      keys: ['k'],
      providers: [
        {
          provide: SESSION_STORE,
          useFactory: () => (owned = new RedisStore({ url: redis.url, prefix: uniquePrefix('close') })),
        },
      ],
      imports: [SessionModule.forRoot()],
      controllers: [SlowController],
    });
    const { server, url } = await listen(app);
    // A new session reads nothing from the store: wait for its client, so "still ready" below means "not quit".
    if (owned.client.status !== 'ready') await new Promise((resolve) => owned.client.once('ready', resolve));
    newGate();
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const inFlight = get(`${url}/slow`);
    await inside;

    const closing = Date.now();
    const closed = app.close();
    expect(app.close()).toBe(closed); // idempotent
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.listening).toBe(false);
    await expect(get(`${url}/fast`)).rejects.toThrow(); // no new connections
    expect(owned.status).toBe('ready'); // not quit while a request still needs it

    gate.open();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.text).toBe('finished');
    const sid = /koa\.sess=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    expect(sid).toBeDefined();
    await closed;
    expect(Date.now() - closing).toBeLessThan(2_000); // the finished request's keep-alive socket does not hold it
    // quit() resolves on Redis's OK; the socket closes right after.
    await new Promise((resolve) => (owned.status === 'end' ? resolve(undefined) : owned.once('end', resolve)));
    expect(owned.status).toBe('end');
  });

  it('leaves stores passed in open (useValue, SessionModule store), and disposes services the app created', async () => {
    const passed = new RedisStore({ url: redis.url, prefix: uniquePrefix('passed') });
    const memory = new MemoryStore();
    const disposed: string[] = [];
    @injectable()
    class Cache {
      dispose(): void {
        disposed.push('cache');
      }
    }
    @Controller('/')
    class CacheController {
      constructor(readonly cache: Cache) {}
      @Get('/') get() {
        return 'ok';
      }
    }
    const apps = [
      createApp({
        keys: ['k'],
        providers: [{ provide: SESSION_STORE, useValue: passed }],
        imports: [SessionModule.forRoot()],
        controllers: [CacheController],
      }),
      createApp({ keys: ['k'], imports: [SessionModule.forRoot({ store: memory })], controllers: [CacheController] }),
    ];
    for (const app of apps) {
      const { server } = await listen(app);
      await app.close();
      expect(server.listening).toBe(false);
    }
    await passed.set('still-here', { a: 1 }, 10_000);
    expect(await passed.get('still-here')).toEqual({ a: 1 }); // still connected
    expect(passed.status).toBe('ready');
    expect(disposed).toEqual(['cache', 'cache']);
    await passed.quit();
  });

  it('closes an owned MemoryStore app and one without listen(); a store built from a class is owned too', async () => {
    class QuittableStore extends MemoryStore {
      quits = 0;
      quit(): void {
        this.quits++;
      }
    }
    let created!: QuittableStore;
    const app = createApp({
      keys: ['k'],
      providers: [{ provide: SESSION_STORE, useFactory: () => (created = new QuittableStore()) }],
      imports: [SessionModule.forRoot()],
      controllers: [SlowController],
    });
    await request(app.callback()).get('/fast').expect(200, 'fast');
    await app.close();
    expect(created.quits).toBe(1);

    const fromClass = createApp({
      keys: ['k'],
      providers: [{ provide: SESSION_STORE, useClass: QuittableStore }],
      imports: [SessionModule.forRoot()],
      controllers: [SlowController],
    });
    const store = fromClass.container.resolve(SESSION_STORE) as QuittableStore;
    expect(store).toBeInstanceOf(QuittableStore);
    await fromClass.close();
    expect(store.quits).toBe(1);
  });

  it('destroys connections still open after shutdownTimeout', async () => {
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot()],
      controllers: [SlowController],
      shutdownTimeout: 100,
    });
    const { url } = await listen(app);
    newGate();
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const hanging = get(`${url}/slow`);
    await inside;
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(hanging).rejects.toThrow();
    gate.open();
  });

  it('checks shutdownTimeout', () => {
    expect(() => createApp({ shutdownTimeout: -1 })).toThrow(SessionConfigError);
    expect(() => createApp({ shutdownTimeout: '10s' as unknown as number })).toThrow(/shutdownTimeout/);
  });
});
