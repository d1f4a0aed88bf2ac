import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Session,
  SessionModule,
  createApp,
} from 'koa-typed-session/decorators';
import { cookieHeader, request, setCookies } from '../helpers/app';

class LoginDto {
  @IsString() @Length(1, 20) name!: string;
  @IsOptional() @IsString() remember?: string;
}

class PageQuery {
  @IsInt() @Min(1) page!: number;
}

class IdParams {
  @IsUUID() id!: string;
}

/** A class without class-validator decorators: passed through as the raw body, as before. */
class Untyped {
  anything?: unknown;
}

const calls: string[] = [];

@Controller('/')
class DtoController {
  @Post('/login')
  login(@Body() body: LoginDto, @Session() s: Record<string, unknown>) {
    calls.push('login');
    s.user = body.name;
    return { isDto: body instanceof LoginDto, name: body.name };
  }

  @Get('/items')
  items(@Query() query: PageQuery) {
    return { page: query.page, type: typeof query.page };
  }

  @Get('/items/:id')
  item(@Param() params: IdParams) {
    return { id: params.id };
  }

  @Post('/raw')
  raw(@Body() body: Untyped, @Body('name') name: unknown) {
    return { body, name, isUntyped: body instanceof Untyped };
  }
}

describe('decorator module: @Body/@Query/@Param DTO classes are converted and validated', () => {
  const app = createApp({ keys: ['a secret'], imports: [SessionModule.forRoot({})], controllers: [DtoController] });
  const server = app.callback();

  beforeEach(() => {
    calls.length = 0;
  });

  it('hands a valid body to the handler as an instance of the DTO class', async () => {
    const res = await request(server).post('/login').send({ name: 'ada' }).expect(200);
    expect(res.body).toEqual({ isDto: true, name: 'ada' });
    expect(setCookies(res)).toHaveLength(2);
  });

  it('answers 400 with the invalid fields, without calling the handler or touching the session', async () => {
    const login = await request(server).post('/login').send({ name: 'ada' }).expect(200);
    const res = await request(server)
      .post('/login')
      .set('Cookie', cookieHeader(login))
      .send({ name: '', remember: 3 })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'ERR_REQUEST_VALIDATION' });
    expect((res.body as { errors: Array<{ property: string }> }).errors.map((e) => e.property).sort()).toEqual([
      'name',
      'remember',
    ]);
    expect(calls).toEqual(['login']);
    expect(setCookies(res)).toHaveLength(0);
  });

  it('refuses a missing body like an empty one', async () => {
    const res = await request(server).post('/login').expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_REQUEST_VALIDATION' });
  });

  it('refuses a body with a __proto__ key (the body parser answers 400) and drops constructor keys', async () => {
    const proto = await request(server)
      .post('/login')
      .set('Content-Type', 'application/json')
      .send('{"name":"eve","__proto__":{"polluted":true}}')
      .expect(400);
    expect(proto.body).toMatchObject({ statusCode: 400 });
    const res = await request(server)
      .post('/login')
      .set('Content-Type', 'application/json')
      .send('{"name":"eve","constructor":{"prototype":{"polluted":true}}}')
      .expect(200);
    expect(res.body).toEqual({ isDto: true, name: 'eve' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((LoginDto.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(calls).toEqual(['login']);
  });

  it('converts query strings to the declared types before validating them', async () => {
    await request(server).get('/items?page=2').expect(200, { page: 2, type: 'number' });
    const res = await request(server).get('/items?page=zero').expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_REQUEST_VALIDATION', errors: [{ property: 'page' }] });
    await request(server).get('/items').expect(400);
  });

  it('validates route parameters', async () => {
    const id = '3b241101-e2bb-4255-8caf-4136c566a962';
    await request(server).get(`/items/${id}`).expect(200, { id });
    const res = await request(server).get('/items/not-a-uuid').expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_REQUEST_VALIDATION', errors: [{ property: 'id' }] });
  });

  it('passes a class without validation decorators, and a single field, through unchanged', async () => {
    const res = await request(server).post('/raw').send({ name: 'x', extra: 1 }).expect(200);
    expect(res.body).toEqual({ body: { name: 'x', extra: 1 }, name: 'x', isUntyped: false });
  });
});
