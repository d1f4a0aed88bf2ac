import { SessionStoreError, SessionStateError, MemoryStore, StoreUnavailableError } from 'koa-typed-session';
import { Controller, Get, Post, Body, Session, SessionModule, createApp } from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

@Controller('/')
class SessionController {
  @Get('/touch')
  touch(@Session() s: Record<string, unknown>) {
    s.at = 1;
    return 'ok';
  }
}

@Controller('/')
class FailingController {
  @Get('/state')
  state() {
    throw new SessionStateError('internal detail that must stay hidden');
  }

  @Get('/store')
  store() {
    throw new SessionStoreError('get', new Error('ECONNREFUSED'));
  }

  @Get('/unavailable')
  unavailable() {
    // What a handler that calls RedisStore's methods itself may get.
    throw new StoreUnavailableError('Redis not ready within 200 ms (readyTimeout) at redis-7.internal');
  }

  @Get('/http')
  http() {
    throw Object.assign(new Error('No such cart'), { status: 404, code: 'ERR_NO_CART' });
  }

  @Get('/crash')
  crash() {
    throw new Error('database password is hunter2');
  }

  @Get('/not-an-error')
  notAnError() {
    throw 'a string';
  }

  @Get('/headers')
  headers() {
    throw Object.assign(new Error('slow down'), { status: 429, headers: { 'retry-after': '10' } });
  }

  @Post('/echo')
  echo(@Body() body: unknown) {
    return body;
  }
}

function build() {
  const app = createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [FailingController] });
  const errors: unknown[] = [];
  app.on('error', (err: unknown) => errors.push(err));
  return { app, errors, agent: request(app.callback()) };
}

describe('createApp error mapping: JSON bodies { statusCode, code, message, errors? }', () => {
  it('honours a SessionError status and hides an unexposed 5xx message', async () => {
    const { agent, errors } = build();
    await agent
      .get('/state')
      .expect(500, { statusCode: 500, code: 'ERR_SESSION_STATE', message: 'Internal Server Error' });
    expect(errors).toHaveLength(1);
  });

  it('shows an exposed SessionStoreError (503)', async () => {
    const { agent } = build();
    const res = await agent.get('/store').expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'ERR_SESSION_STORE' });
    expect(res.body.message).toMatch(/^koa-typed-session: the session store is unavailable \(`get` failed\)/);
    expect(res.body.message).not.toContain('ECONNREFUSED');
  });

  it("answers a store's own StoreUnavailableError with a 503 that names nothing of the deployment", async () => {
    const { agent, errors } = build();
    await agent
      .get('/unavailable')
      .expect(503, { statusCode: 503, code: 'ERR_STORE_UNAVAILABLE', message: 'Service Unavailable' });
    expect(errors).toHaveLength(1);
  });

  it('maps http-errors style errors (status, expose by default below 500, code)', async () => {
    const { agent, errors } = build();
    await agent.get('/http').expect(404, { statusCode: 404, code: 'ERR_NO_CART', message: 'No such cart' });
    expect(errors).toHaveLength(0);
  });

  it('turns unknown errors and non-errors into a bare 500, reported on the app', async () => {
    const { agent, errors } = build();
    await agent.get('/crash').expect(500, { statusCode: 500, code: 'ERR_HTTP_500', message: 'Internal Server Error' });
    await agent
      .get('/not-an-error')
      .expect(500, { statusCode: 500, code: 'ERR_HTTP_500', message: 'Internal Server Error' });
    expect(errors).toHaveLength(2);
  });

  it("keeps the error's headers", async () => {
    const { agent } = build();
    await agent.get('/headers').expect('retry-after', '10').expect(429);
  });

  it('answers a malformed JSON body with a 400, not a 500', async () => {
    const { agent, errors } = build();
    const res = await agent.post('/echo').set('Content-Type', 'application/json').send('{"broken":').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400 });
    expect(errors).toHaveLength(0);
  });

  it('answers a store failure during the session load with a JSON 503', async () => {
    const store = new MemoryStore();
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ store })],
      controllers: [SessionController],
    });
    const agent = request(app.callback());
    const first = await agent.get('/touch').expect(200);
    store.get = () => {
      throw new Error('store down');
    };
    const res = await agent.get('/touch').set('Cookie', cookieHeader(first)).expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'ERR_SESSION_STORE' });
    expect(res.body.message).not.toContain('store down');
  });
});
