import { IsInt } from 'class-validator';
import { container as rootContainer, inject, injectable } from 'tsyringe';
import { MemoryStore, SessionConfigError, type SessionStore } from 'koa-typed-session';
import {
  Controller,
  Get,
  SESSION_STORE,
  Session,
  SessionConfig,
  SessionModule,
  createApp,
  createAppAsync,
} from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

class CountSession {
  @IsInt() n = 0;
}

@injectable()
class SecretsService {
  async sessionKeys(): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return ['from-the-vault'];
  }
}

@Controller('/')
class InfoController {
  constructor(
    private readonly config: SessionConfig,
    @inject(SESSION_STORE) private readonly store: SessionStore,
  ) {}

  @Get('/')
  info(@Session() s: CountSession) {
    s.n++;
    return {
      key: this.config.key,
      storeMode: this.config.storeMode,
      memory: this.store instanceof MemoryStore,
      n: s.n,
    };
  }
}

@Controller('/')
class CountController {
  @Get('/')
  count(@Session() s: CountSession) {
    s.n++;
    return { n: s.n };
  }
}

function expectConfigError(build: () => unknown, option: string, message: RegExp): void {
  let error: unknown;
  try {
    build();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(SessionConfigError);
  expect((error as SessionConfigError).option).toBe(option);
  expect((error as Error).message).toMatch(message);
}

describe('SessionModule and SessionConfig', () => {
  it('forRoot registers SessionConfig and the store, injectable into controllers', async () => {
    const store = new MemoryStore();
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ key: 'sid', store })],
      controllers: [InfoController],
    });
    await request(app.callback()).get('/').expect(200, { key: 'sid', storeMode: true, memory: true, n: 1 });
    expect(app.container.resolve(SESSION_STORE)).toBe(store);
  });

  it('uses a store bound to SESSION_STORE through providers', async () => {
    const store = new MemoryStore();
    const app = createApp({
      keys: ['k'],
      providers: [{ provide: SESSION_STORE, useValue: store }],
      imports: [SessionModule.forRoot({})],
      controllers: [InfoController],
    });
    const res = await request(app.callback()).get('/').expect(200);
    expect(res.body).toMatchObject({ storeMode: true, memory: true });
    const id = /koa\.sess=([^;]+)/.exec(cookieHeader(res))![1]!;
    expect(await store.get(id)).toMatchObject({ n: 1 });
  });

  it('forRootAsync builds the options from an injected provider (keys from a secrets service)', async () => {
    const app = await createAppAsync({
      imports: [
        SessionModule.forRootAsync({
          inject: [SecretsService],
          useFactory: async (secrets: SecretsService) => ({ keys: await secrets.sessionKeys(), maxAge: 60_000 }),
        }),
      ],
      controllers: [CountController],
    });
    expect(app.keys).toEqual(['from-the-vault']);
    expect(app.container.resolve(SessionConfig).maxAge).toBe(60_000);
    const first = await request(app.callback()).get('/').expect(200, { n: 1 });
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect(200, { n: 2 });
  });

  it('createApp refuses a forRootAsync import and points to createAppAsync', () => {
    expectConfigError(
      () =>
        createApp({ keys: ['k'], imports: [SessionModule.forRootAsync({ useFactory: () => ({}) })], controllers: [] }),
      'imports',
      /createAppAsync/,
    );
  });

  it('rejects invalid options at createApp, naming the option', () => {
    expectConfigError(
      () => createApp({ keys: ['k'], imports: [SessionModule.forRoot({ maxAge: 'forever' as never })] }),
      'maxAge',
      /^koa-typed-session: option `maxAge`/,
    );
    expectConfigError(
      () => createApp({ keys: ['k'], imports: [SessionModule.forRoot({ rolling: 'yes' as never })] }),
      'rolling',
      /rolling/,
    );
    expectConfigError(
      () => createApp({ keys: ['k'], imports: [SessionModule.forRoot({ keys: [] })] }),
      'keys',
      /non-empty array/,
    );
    expectConfigError(() => createApp({ keys: [''] }), 'keys', /non-empty/);
    expectConfigError(() => createApp({ imports: [SessionModule.forRoot()] }), 'keys', /createApp\(\{ keys/);
  });

  it('rejects a forRootAsync without a factory', () => {
    expectConfigError(() => SessionModule.forRootAsync({} as never), 'useFactory', /must be a function/);
  });

  it('rejects a forRootAsync whose inject is not an array, or whose factory returns no options', async () => {
    expectConfigError(
      () => SessionModule.forRootAsync({ inject: SecretsService as never, useFactory: () => ({}) }),
      'inject',
      /must be an array/,
    );
    await expect(
      createAppAsync({
        keys: ['k'],
        imports: [SessionModule.forRootAsync({ useFactory: async () => undefined as never })],
      }),
    ).rejects.toMatchObject({ name: 'SessionConfigError', option: 'SessionModule', message: /useFactory/ });
  });

  it('rejects an import that is not a module (SessionModule without forRoot) and unknown createApp options', () => {
    expectConfigError(
      () => createApp({ keys: ['k'], imports: [SessionModule as never], controllers: [CountController] }),
      'imports',
      /SessionModule\.forRoot/,
    );
    expectConfigError(
      () => createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controller: [CountController] } as never),
      'controller',
      /not an option of createApp/,
    );
  });

  it('rejects invalid options from forRootAsync when the app is created', async () => {
    await expect(
      createAppAsync({
        keys: ['k'],
        imports: [SessionModule.forRootAsync({ useFactory: async () => ({ key: 'bad key' }) })],
      }),
    ).rejects.toMatchObject({ option: 'key' });
  });

  it('rejects keys given in two places, and two SessionModules', () => {
    expectConfigError(
      () => createApp({ keys: ['a'], imports: [SessionModule.forRoot({ keys: ['b'] })] }),
      'keys',
      /both/,
    );
    expectConfigError(
      () => createApp({ keys: ['a'], imports: [SessionModule.forRoot(), SessionModule.forRoot()] }),
      'imports',
      /more than once/,
    );
  });

  it('registers nothing in the parent container (per-app child containers)', () => {
    const parent = rootContainer.createChildContainer();
    createApp({
      keys: ['k'],
      container: parent,
      imports: [SessionModule.forRoot({ store: new MemoryStore() })],
      controllers: [CountController],
    });
    expect(parent.isRegistered(SessionConfig)).toBe(false);
    expect(parent.isRegistered(SESSION_STORE)).toBe(false);
    expect(rootContainer.isRegistered(SessionConfig, true)).toBe(false);
  });

  it('two apps in one process keep separate configurations and sessions', async () => {
    const one = createApp({
      keys: ['one'],
      imports: [SessionModule.forRoot({ key: 'one' })],
      controllers: [CountController],
    });
    const two = createApp({
      keys: ['two'],
      imports: [SessionModule.forRoot({ key: 'two' })],
      controllers: [CountController],
    });
    const a = await request(one.callback()).get('/').expect(200, { n: 1 });
    expect(cookieHeader(a)).toMatch(/^one=/);
    // app two does not accept app one's cookie (other name, other keys)
    await request(two.callback()).get('/').set('Cookie', cookieHeader(a)).expect(200, { n: 1 });
  });
});
