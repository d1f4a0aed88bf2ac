import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { MemoryStore, encodeBase64Json } from 'koa-typed-session';
import {
  Controller,
  Get,
  Session,
  SessionModule,
  SessionSchema,
  createApp,
  type SchemaInvalidEvent,
} from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

class ViewSession {
  @IsInt() @Min(0) views = 0;
  @IsOptional() @IsString() user?: string;
}

@SessionSchema({ onInvalid: 'reject' })
class StrictSession {
  @IsInt() views = 0;
}

@SessionSchema({ whitelist: true })
class CleanSession {
  @IsInt() views = 0;
}

@Controller()
class ProbeController {
  @Get('/view')
  view(@Session() s: ViewSession) {
    return { ...s };
  }

  @Get('/strict')
  strict(@Session() s: StrictSession) {
    return { ...s };
  }

  @Get('/clean')
  clean(@Session() s: CleanSession) {
    s.views++;
    return { ...s };
  }

  @Get('/raw')
  raw(@Session() s: Record<string, unknown>) {
    return s;
  }
}

/** Seeds a MemoryStore record and returns the matching signed cookie, through a real request. */
async function seeded(data: Record<string, unknown>) {
  const store = new MemoryStore();
  const app = createApp({ keys: ['k'], imports: [SessionModule.forRoot({ store })], controllers: [ProbeController] });
  // A plain request creates the record; the store then gets the invalid data under its id.
  const res = await request(app.callback()).get('/clean').expect(200);
  const id = /koa\.sess=([^;]+)/.exec(cookieHeader(res))![1]!;
  await store.set(id, { ...data, _expire: Date.now() + 60_000, _maxAge: 60_000 }, 70_000);
  return { app, store, id, cookie: cookieHeader(res) };
}

describe('typed @Session(): stored data that fails the schema on load', () => {
  it("is reset to a fresh instance by default, with a 'session:invalid' event carrying the errors", async () => {
    const { app, store, id, cookie } = await seeded({ views: -3, user: 42 });
    const events: SchemaInvalidEvent[] = [];
    app.on('session:invalid', (event: SchemaInvalidEvent) => events.push(event));

    await request(app.callback()).get('/view').set('Cookie', cookie).expect(200, { views: 0 });
    await new Promise((resolve) => setImmediate(resolve));

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      reason: 'schema',
      schema: 'ViewSession',
      key: id,
      value: { views: -3, user: 42 },
    });
    expect(events[0]!.errors.map((e) => e.property).sort()).toEqual(['user', 'views']);
    expect(events[0]!.errors.find((e) => e.property === 'views')!.constraints).toHaveProperty('min');
    // The reset is written: the store no longer holds the invalid data.
    const stored = (await store.get(id)) as Record<string, unknown>;
    expect(stored.views).toBe(0);
    expect(stored).not.toHaveProperty('user');
  });

  it('resets a cookie session too (cookie mode)', async () => {
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ signed: false })],
      controllers: [ProbeController],
    });
    const forged = encodeBase64Json({ views: 'many', _expire: Date.now() + 60_000, _maxAge: 60_000 });
    let invalid = 0;
    app.on('session:invalid', () => invalid++);
    const res = await request(app.callback())
      .get('/view')
      .set('Cookie', `koa.sess=${forged}`)
      .expect(200, { views: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(invalid).toBe(1);
    await request(app.callback()).get('/raw').set('Cookie', cookieHeader(res)).expect(200, { views: 0 });
  });

  it("fails the request with a SessionValidationError under onInvalid: 'reject', leaving the data", async () => {
    const { app, store, id, cookie } = await seeded({ views: 'x' });
    const res = await request(app.callback()).get('/strict').set('Cookie', cookie).expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'ERR_SESSION_VALIDATION',
      errors: [{ property: 'views' }],
    });
    expect(res.body.message).toMatch(
      /^koa-typed-session: session data does not match StrictSession \(invalid: views\)/,
    );
    const stored = (await store.get(id)) as Record<string, unknown>;
    expect(stored.views).toBe('x');
  });

  it('applies per-schema options: a whitelist schema sees and saves only its own keys, others survive', async () => {
    const { app, store, id, cookie } = await seeded({ views: 1, stray: 'kept' });
    await request(app.callback()).get('/clean').set('Cookie', cookie).expect(200, { views: 2 });
    const stored = (await store.get(id)) as Record<string, unknown>;
    expect(stored).toMatchObject({ views: 2, stray: 'kept' });
  });

  it('never lets stored __proto__ or constructor keys reach the instance', async () => {
    const { app, cookie } = await seeded(
      JSON.parse('{"views": 1, "__proto__": {"polluted": true}, "constructor": {"x": 1}}') as Record<string, unknown>,
    );
    const res = await request(app.callback()).get('/view').set('Cookie', cookie).expect(200);
    expect(res.body).toEqual({ views: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
