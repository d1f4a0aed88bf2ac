/** A mistyped option name is rejected with the nearest known name, wherever options are checked. */
import Koa from 'koa';
import { MemoryStore, session, SessionConfigError } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { createApp, createAppAsync, SessionModule } from 'koa-typed-session/decorators';

function thrown(run: () => unknown): SessionConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof SessionConfigError) return err;
    throw err;
  }
  throw new Error('no SessionConfigError');
}

describe('did you mean: the nearest known option name', () => {
  it('session()', () => {
    const app = new Koa();
    app.keys = ['k'];
    const err = thrown(() => session({ rollin: true } as never, app));
    expect(err.option).toBe('rollin');
    expect(err.message).toContain('is not a known option. Did you mean `rolling`?');
  });

  it('MemoryStore', () => {
    const err = thrown(() => new MemoryStore({ userfield: 'id' } as never));
    expect(err.message).toContain('is not a known option. Did you mean `userField`?');
  });

  it('RedisStore (checked before any connection)', () => {
    const err = thrown(() => new RedisStore({ url: 'redis://127.0.0.1:1', sesionTtl: 5 } as never));
    expect(err.option).toBe('RedisStore.sesionTtl');
    expect(err.message).toContain('is not a known option. Did you mean `sessionTtl`?');
  });

  it('createApp', () => {
    const err = thrown(() => createApp({ keys: ['k'], controller: [] } as never));
    expect(err.option).toBe('controller');
    expect(err.message).toContain('Did you mean `controllers`?');
  });

  it('SessionModule.forRoot', () => {
    const err = thrown(() => createApp({ imports: [SessionModule.forRoot({ key: 'k', kyes: ['s'] } as never)] }));
    expect(err.message).toContain('Did you mean `keys`?');
  });

  it('SessionModule.forRootAsync', async () => {
    const err = await createAppAsync({
      imports: [SessionModule.forRootAsync({ useFactory: () => ({ keys: ['s'], absoluteTimout: 1 }) as never })],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionConfigError);
    expect((err as Error).message).toContain('Did you mean `absoluteTimeout`?');
  });

  it('suggests nothing when no name is close', () => {
    const err = thrown(() => new MemoryStore({ color: 'red' } as never));
    expect(err.message).not.toContain('Did you mean');
  });
});
