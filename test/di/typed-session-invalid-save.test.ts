import { IsInt, Max, Min, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { MemoryStore } from 'koa-typed-session';
import {
  Controller,
  Get,
  Post,
  Body,
  Session,
  SessionModule,
  createApp,
  type SessionModuleOptions,
} from 'koa-typed-session/decorators';
import { cookieHeader, request, setCookies } from '../helpers/app';

let validations = 0;

@ValidatorConstraint({ name: 'counted' })
class Counted implements ValidatorConstraintInterface {
  validate(): boolean {
    validations++;
    return true;
  }
}

class CounterSession {
  @IsInt() @Min(0) @Max(10) @Validate(Counted) count = 0;
}

@Controller('/counter')
class CounterController {
  @Post('/')
  set(@Body('count') count: number, @Session() s: CounterSession) {
    s.count = count;
    return { count: s.count };
  }

  @Get('/')
  get(@Session() s: CounterSession) {
    return { count: s.count };
  }

  @Post('/fail')
  fail(@Session() s: CounterSession) {
    s.count = 99;
    throw Object.assign(new Error('teapot'), { status: 418, expose: true });
  }

  @Post('/fail-valid')
  failValid(@Session() s: CounterSession) {
    s.count = 7;
    throw Object.assign(new Error('teapot'), { status: 418, expose: true });
  }
}

const modes: Array<[string, () => SessionModuleOptions]> = [
  ['cookie', () => ({})],
  ['store', () => ({ store: new MemoryStore() })],
];

describe.each(modes)('typed @Session() (%s sessions): invalid data left by a handler', (_mode, options) => {
  const build = () =>
    createApp({ keys: ['k'], imports: [SessionModule.forRoot(options())], controllers: [CounterController] });

  it('is refused with a 400 SessionValidationError listing the fields, and nothing is written', async () => {
    const agent = request(build().callback());
    const saved = await agent.post('/counter').send({ count: 3 }).expect(200, { count: 3 });
    const cookie = cookieHeader(saved);

    const refused = await agent.post('/counter').set('Cookie', cookie).send({ count: 11 }).expect(400);
    expect(refused.body).toMatchObject({
      statusCode: 400,
      code: 'ERR_SESSION_VALIDATION',
      errors: [{ property: 'count', constraints: { max: expect.any(String) } }],
    });
    expect(refused.body.message).toContain('invalid: count');
    // Neither a new cookie nor a store write: the old session is intact.
    expect(setCookies(refused)).toEqual([]);
    await agent.get('/counter').set('Cookie', cookie).expect(200, { count: 3 });
  });

  it('keeps the handler error when a failing handler also left invalid data, and writes nothing', async () => {
    const agent = request(build().callback());
    const saved = await agent.post('/counter').send({ count: 4 }).expect(200);
    const res = await agent.post('/counter/fail').set('Cookie', cookieHeader(saved)).expect(418);
    expect(res.body).toMatchObject({ statusCode: 418, message: 'teapot' });
    expect(setCookies(res)).toEqual([]);
    await agent.get('/counter').set('Cookie', cookieHeader(saved)).expect(200, { count: 4 });
  });

  it('commits valid edits of a failing handler, as koa-session commits in `finally`', async () => {
    const agent = request(build().callback());
    const saved = await agent.post('/counter').send({ count: 4 }).expect(200);
    const res = await agent.post('/counter/fail-valid').set('Cookie', cookieHeader(saved)).expect(418);
    const cookie = setCookies(res).length > 0 ? cookieHeader(res) : cookieHeader(saved);
    await agent.get('/counter').set('Cookie', cookie).expect(200, { count: 7 });
  });

  it('validates before save only when the instance changed', async () => {
    const agent = request(build().callback());
    const saved = await agent.post('/counter').send({ count: 5 }).expect(200);
    const before = validations;
    await agent.get('/counter').set('Cookie', cookieHeader(saved)).expect(200, { count: 5 });
    // One validation on load, none before save (the instance was not edited).
    expect(validations - before).toBe(1);
    await agent.post('/counter').set('Cookie', cookieHeader(saved)).send({ count: 6 }).expect(200);
    expect(validations - before).toBe(3);
  });
});
