import { IsInt } from 'class-validator';
import type { Context } from 'koa';
import { SessionConfigError, SessionError } from 'koa-typed-session';
import {
  Body,
  Controller,
  Get,
  Post,
  createApp,
  createAppAsync,
  type ErrorMapper,
  toErrorResponse,
} from 'koa-typed-session/decorators';
import { request } from '../helpers/app';

class Dto {
  @IsInt() n!: number;
}

@Controller('/items')
class ItemsController {
  @Get('/') list() {
    return ['a'];
  }
  @Post('/') create(@Body() dto: Dto) {
    return dto;
  }
  @Get('/boom') boom() {
    throw new Error('secret detail');
  }
  @Get('/gone') gone() {
    throw new SessionError('koa-typed-session: the item is gone.', 'ERR_GONE', 410, true);
  }
}

describe('globalPrefix', () => {
  it('prefixes every controller route; the bare paths answer 404', async () => {
    for (const globalPrefix of ['/api', 'api', '/api/']) {
      const agent = request(createApp({ controllers: [ItemsController], globalPrefix }).callback());
      await agent.get('/api/items').expect(200, ['a']);
      await agent.get('/items').expect(404);
    }
    const app = await createAppAsync({ controllers: [ItemsController], globalPrefix: '/v2' });
    await request(app.callback()).get('/v2/items').expect(200, ['a']);
  });

  it('rejects a prefix that is not a path', () => {
    for (const globalPrefix of [42, '/api?x', '/a b']) {
      expect(() => createApp({ controllers: [ItemsController], globalPrefix: globalPrefix as string })).toThrow(
        SessionConfigError,
      );
    }
    expect(() => createApp({ globalPrefix: 42 as unknown as string })).toThrow(/option `globalPrefix` must be a path/);
  });
});

/** RFC 9457 problem details. */
const problemJson: ErrorMapper = (error: unknown, ctx: Context) => {
  const { status, body, headers } = toErrorResponse(error);
  return {
    status,
    type: 'application/problem+json',
    ...(headers && { headers }),
    body: {
      type: `https://errors.example/${body.code}`,
      title: body.message,
      status,
      instance: ctx.path,
      ...(body.errors && { errors: body.errors }),
    },
  };
};

describe('errorMapper', () => {
  it('replaces the JSON shape, e.g. with RFC 9457 problem+json, for thrown errors and empty 404/405', async () => {
    const app = createApp({ controllers: [ItemsController], errorMapper: problemJson });
    const errors: unknown[] = [];
    app.on('error', (err) => errors.push(err));
    const agent = request(app.callback());

    const gone = await agent
      .get('/items/gone')
      .expect(410)
      .expect('content-type', /^application\/problem\+json/);
    expect(gone.body).toEqual({
      type: 'https://errors.example/ERR_GONE',
      title: 'koa-typed-session: the item is gone.',
      status: 410,
      instance: '/items/gone',
    });
    const invalid = await agent.post('/items').send({ n: 'x' }).expect(400);
    expect(invalid.body).toMatchObject({ type: 'https://errors.example/ERR_REQUEST_VALIDATION', status: 400 });
    expect(invalid.body.errors[0].property).toBe('n');

    const boom = await agent.get('/items/boom').expect(500);
    expect(boom.body.title).toBe('Internal Server Error');
    expect(errors).toHaveLength(1); // 5xx errors are still emitted

    const missing = await agent
      .get('/nowhere')
      .expect(404)
      .expect('content-type', /problem\+json/);
    expect(missing.body).toEqual({
      type: 'https://errors.example/ERR_HTTP_404',
      title: 'Not Found',
      status: 404,
      instance: '/nowhere',
    });
    const wrongMethod = await agent
      .delete('/items')
      .expect(405)
      .expect('content-type', /problem\+json/);
    expect(wrongMethod.headers.allow).toMatch(/GET/);
  });

  it('keeps the default shape without the option', async () => {
    await request(createApp({ controllers: [ItemsController] }).callback())
      .get('/items/gone')
      .expect(410, { statusCode: 410, code: 'ERR_GONE', message: 'koa-typed-session: the item is gone.' });
  });

  it('falls back to the default response when the mapper throws or answers nonsense, and emits why', async () => {
    for (const mapper of [
      () => {
        throw new Error('mapper bug');
      },
      () => ({ status: 200, body: 'ok?' }),
      () => undefined as never,
    ]) {
      const app = createApp({ controllers: [ItemsController], errorMapper: mapper });
      const errors: unknown[] = [];
      app.on('error', (err) => errors.push(err));
      await request(app.callback())
        .get('/items/gone')
        .expect(410, { statusCode: 410, code: 'ERR_GONE', message: 'koa-typed-session: the item is gone.' });
      expect(errors).toHaveLength(1);
    }
  });

  it('must be a function', () => {
    expect(() => createApp({ errorMapper: 'problem' as unknown as ErrorMapper })).toThrow(
      /option `errorMapper` must be a function/,
    );
  });
});
