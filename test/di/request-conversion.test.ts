import { IsBoolean, IsDate, IsInt, IsOptional, IsString } from 'class-validator';
import { Body, Controller, Get, Param, Post, Query, createApp } from 'koa-typed-session/decorators';
import { request } from '../helpers/app';

class ListQuery {
  @IsOptional() @IsBoolean() archived?: boolean;
  @IsOptional() @IsInt() page?: number;
  @IsOptional() @IsDate() since?: Date;
}

class SignupDto {
  @IsString() name!: string;
}

@Controller()
class ConversionController {
  @Get('/list')
  list(@Query() query: ListQuery) {
    return { archived: query.archived, page: query.page, since: query.since?.toISOString() };
  }

  @Get('/flag')
  flag(@Query('archived') archived: boolean, @Query('n') n: number, @Query('at') at: Date, @Query('s') s: string) {
    return { archived, n, at: at instanceof Date ? at.toISOString() : at, s };
  }

  @Get('/items/:id')
  item(@Param('id') id: number) {
    return { id, type: typeof id };
  }

  @Post('/signup')
  signup(@Body() body: SignupDto) {
    return { ...body };
  }

  @Post('/strict')
  strict(@Body({ whitelist: true, forbidNonWhitelisted: true }) body: SignupDto) {
    return { ...body };
  }

  @Post('/loose')
  loose(@Body({ whitelist: false }) body: SignupDto) {
    return { ...body };
  }
}

describe('decorator module: query and route values are converted to their declared types', () => {
  const server = createApp({ controllers: [ConversionController] }).callback();

  it('converts booleans in a DTO as routing-controllers does (false stays false)', async () => {
    await request(server).get('/list?archived=false').expect(200, { archived: false });
    await request(server).get('/list?archived=0').expect(200, { archived: false });
    await request(server).get('/list?archived=true&page=3').expect(200, { archived: true, page: 3 });
    await request(server).get('/list?archived=1').expect(200, { archived: true });
    await request(server)
      .get('/list?since=2024-01-02T00:00:00.000Z')
      .expect(200, { since: '2024-01-02T00:00:00.000Z' });
    const res = await request(server).get('/list?archived=maybe').expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_REQUEST_VALIDATION', errors: [{ property: 'archived' }] });
  });

  it('converts a single @Query value to number, boolean and Date, and leaves strings alone', async () => {
    await request(server)
      .get('/flag?archived=false&n=7&at=2024-01-02T00:00:00.000Z&s=007')
      .expect(200, { archived: false, n: 7, at: '2024-01-02T00:00:00.000Z', s: '007' });
    await request(server).get('/flag').expect(200, {});
  });

  it('converts a single @Param value to its declared number', async () => {
    await request(server).get('/items/7').expect(200, { id: 7, type: 'number' });
  });

  it('answers 400 naming the value when a single value does not convert', async () => {
    const res = await request(server).get('/items/abc').expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'ERR_REQUEST_VALIDATION',
      errors: [{ property: 'id', constraints: { isNumber: expect.any(String) } }],
    });
    expect(res.body.message).toContain('the request parameters do not match');
    for (const query of ['n=abc', 'n=', 'archived=yes', 'at=never']) {
      const bad = await request(server).get(`/flag?${query}`).expect(400);
      expect(bad.body).toMatchObject({ code: 'ERR_REQUEST_VALIDATION' });
    }
  });

  it('says "does" for a body that does not match', async () => {
    const res = await request(server).post('/signup').send({ name: 3 }).expect(400);
    expect(res.body.message).toContain('the request body does not match SignupDto');
  });
});

describe('decorator module: validation options at app and parameter level', () => {
  it('keeps unknown properties by default, as Nest ValidationPipe does', async () => {
    const server = createApp({ controllers: [ConversionController] }).callback();
    await request(server).post('/signup').send({ name: 'a', admin: true }).expect(200, { name: 'a', admin: true });
  });

  it('strips unknown properties with createApp({ validation: { whitelist: true } })', async () => {
    const server = createApp({ controllers: [ConversionController], validation: { whitelist: true } }).callback();
    await request(server).post('/signup').send({ name: 'a', admin: true }).expect(200, { name: 'a' });
    // The parameter's own options win over the app's.
    await request(server).post('/loose').send({ name: 'a', admin: true }).expect(200, { name: 'a', admin: true });
  });

  it('refuses unknown properties with forbidNonWhitelisted at the parameter', async () => {
    const server = createApp({ controllers: [ConversionController] }).callback();
    const res = await request(server).post('/strict').send({ name: 'a', admin: true }).expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_REQUEST_VALIDATION', errors: [{ property: 'admin' }] });
    await request(server).post('/strict').send({ name: 'a' }).expect(200, { name: 'a' });
  });

  it('refuses forbidNonWhitelisted at app level too', async () => {
    const server = createApp({
      controllers: [ConversionController],
      validation: { whitelist: true, forbidNonWhitelisted: true },
    }).callback();
    await request(server).post('/signup').send({ name: 'a', admin: true }).expect(400);
  });

  it('refuses an unknown validation option at startup', () => {
    expect(() => createApp({ controllers: [], validation: { whitelsit: true } as never })).toThrow(
      /koa-typed-session: option `validation.whitelsit`/,
    );
  });
});
