import { IsInt, IsString, Max, Min } from 'class-validator';
import { MemoryStore, SessionConfigError, SessionValidationError } from 'koa-typed-session';
import {
  Controller,
  Get,
  SESSION_STORE,
  SessionModule,
  SessionService,
  createTestingApp,
  createTestingAppAsync,
  withSession,
} from 'koa-typed-session/decorators';
import { injectable } from 'tsyringe';
import { request } from '../helpers/app';

class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

class CounterSession {
  @IsInt() @Min(0) @Max(5) count = 0;
  @IsString() owner = 'nobody';
}

@injectable()
class CounterService {
  constructor(
    private readonly sessions: SessionService,
    private readonly greeter: Greeter,
  ) {}

  async bump(by = 1): Promise<string> {
    const counter = await this.sessions.get(CounterSession);
    counter.count += by;
    return this.greeter.greet(`${counter.owner} #${counter.count}`);
  }
}

@Controller()
class CounterController {
  constructor(private readonly counters: CounterService) {}

  @Get('/bump') bump() {
    return this.counters.bump();
  }
}

const fakeGreeter: Greeter = { greet: (name) => `fake ${name}` };

describe('testing kit: createTestingApp overrides providers', () => {
  it('replaces a provider listed in providers, and one the app would create itself', async () => {
    const app = createTestingApp({
      keys: ['test'],
      imports: [SessionModule.forRoot()],
      providers: [Greeter],
      controllers: [CounterController],
      overrideProviders: [{ provide: Greeter, useValue: fakeGreeter }],
    });
    await request(app.callback()).get('/bump').expect(200, 'fake nobody #1');

    const unlisted = createTestingApp({
      keys: ['test'],
      imports: [SessionModule.forRoot()],
      controllers: [CounterController],
      overrideProviders: [{ provide: Greeter, useFactory: () => fakeGreeter }],
    });
    await request(unlisted.callback()).get('/bump').expect(200, 'fake nobody #1');
  });

  it('overrides the store token for SessionModule, with createTestingAppAsync too', async () => {
    const store = new MemoryStore();
    const app = await createTestingAppAsync({
      keys: ['test'],
      providers: [{ provide: SESSION_STORE, useValue: new MemoryStore() }],
      imports: [SessionModule.forRootAsync({ useFactory: () => ({}) })],
      overrideProviders: [{ provide: SESSION_STORE, useValue: store }],
    });
    const run = await withSession(app, { data: { a: 1 } }, () => undefined);
    expect(run.id).toEqual(expect.any(String));
    expect(await store.get(run.id!)).toMatchObject({ a: 1 });
  });

  it('refuses to replace the session machinery', () => {
    expect(() =>
      createTestingApp({
        keys: ['test'],
        imports: [SessionModule.forRoot()],
        overrideProviders: [{ provide: SessionService, useValue: {} }],
      }),
    ).toThrow(SessionConfigError);
  });
});

describe('testing kit: withSession runs code in a real session without HTTP', () => {
  const build = (store?: MemoryStore) =>
    createTestingApp({
      keys: ['test'],
      imports: [SessionModule.forRoot(store ? { store } : {})],
      overrideProviders: [{ provide: Greeter, useValue: fakeGreeter }],
    });

  it.each([
    ['cookie', undefined],
    ['store', new MemoryStore()],
  ])('starts from the given data and reports what was saved (%s sessions)', async (_mode, store) => {
    const app = build(store);
    const run = await withSession(app, { data: { count: 2, owner: 'ada', other: 'kept' } }, ({ get }) =>
      get(CounterService).bump(),
    );
    expect(run.result).toBe('fake ada #3');
    expect(run.written).toBe(true);
    expect(run.saved).toEqual({ count: 3, owner: 'ada', other: 'kept' });
    if (store) expect(run.record).toMatchObject({ count: 3, _expire: expect.any(Number) });
    else expect(run.record).toBeUndefined();

    // The run's cookie continues the session, in a next run or over HTTP.
    const next = await withSession(app, { cookie: run.cookie }, ({ sessions }) => sessions.session?.count);
    expect(next.result).toBe(3);
    expect(next.written).toBe(false);
  });

  it('gives a SessionService usable directly, without casts', async () => {
    const app = build();
    const run = await withSession(app, {}, async ({ sessions }) => {
      expect(sessions.isNew).toBe(true);
      (await sessions.get(CounterSession)).owner = 'bo';
      return new CounterService(sessions, fakeGreeter).bump(2);
    });
    expect(run.result).toBe('fake bo #2');
    expect(run.saved).toEqual({ count: 2, owner: 'bo' });
  });

  it('rejects with the commit error when the code leaves invalid data, and saves nothing', async () => {
    const app = build();
    await expect(
      withSession(app, { data: { count: 5, owner: 'ada' } }, ({ get }) => get(CounterService).bump()),
    ).rejects.toBeInstanceOf(SessionValidationError);
  });

  it('reports saved: null after destroy()', async () => {
    const store = new MemoryStore();
    const run = await withSession(build(store), { data: { count: 1 } }, ({ sessions }) => sessions.destroy());
    expect(run.saved).toBeNull();
    expect(run.id).toBeUndefined();
  });

  it('works with secure cookies behind a proxy header, and passes method, url and headers', async () => {
    const app = createTestingApp({ keys: ['test'], proxy: true, imports: [SessionModule.forRoot({ secure: true })] });
    const run = await withSession(
      app,
      { data: { a: 1 }, method: 'POST', url: '/x?y=1', headers: { 'X-Forwarded-Proto': 'https' } },
      ({ ctx }) => `${ctx.method} ${ctx.path} ${ctx.query.y as string} ${String(ctx.secure)}`,
    );
    expect(run.result).toBe('POST /x 1 true');
    expect(run.saved).toEqual({ a: 1 });
  });

  it('needs an app with SessionModule', async () => {
    const app = createTestingApp({ keys: ['test'] });
    await expect(withSession(app, {}, () => 1)).rejects.toThrow(/has no SessionModule, which withSession\(\) needs/);
  });
});
