import type { Context } from 'koa';
import {
  Body,
  Controller,
  Ctx,
  Delete,
  Get,
  Param,
  Patch,
  Post,
  Put,
  Query,
  SessionModule,
  createApp,
} from 'koa-typed-session/decorators';
import { request } from '../helpers/app';

@Controller('/items')
class ItemsController {
  private readonly items = new Map<string, unknown>([['1', { name: 'one' }]]);

  @Get('/')
  list(@Query() query: Record<string, unknown>, @Query('page') page?: string) {
    return { query, page: page ?? null, count: this.items.size };
  }

  @Get('/:id')
  find(@Param('id') id: string, @Param() params: Record<string, string>) {
    return { id, params, item: this.items.get(id) ?? null };
  }

  @Post('/')
  create(@Body() body: { id: string; name: string }, @Ctx() ctx: Context) {
    this.items.set(body.id, { name: body.name });
    ctx.status = 201;
    return { created: body.id };
  }

  @Put('/:id')
  replace(@Param('id') id: string, @Body('name') name: string) {
    this.items.set(id, { name });
    return `replaced ${id}`;
  }

  @Patch('/:id')
  rename(@Param('id') id: string, @Body() body: unknown) {
    return { id, body };
  }

  @Delete('/:id')
  remove(@Param('id') id: string) {
    this.items.delete(id);
  }

  @Get('/raw/ctx')
  raw(@Ctx() ctx: Context) {
    ctx.set('x-handled', 'yes');
    ctx.body = 'set by ctx';
  }
}

@Controller()
class RootController {
  @Get()
  home() {
    return 'home';
  }
}

function build() {
  return createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [ItemsController, RootController] });
}

describe('createApp routing: controllers, verbs and parameter decorators', () => {
  const agent = () => request(build().callback());

  it('GET with @Query() and @Query(name)', async () => {
    await agent()
      .get('/items?page=2&q=x')
      .expect(200, { query: { page: '2', q: 'x' }, page: '2', count: 1 });
  });

  it('GET with @Param(name) and @Param()', async () => {
    await agent()
      .get('/items/1')
      .expect(200, { id: '1', params: { id: '1' }, item: { name: 'one' } });
  });

  it('POST with a JSON @Body() and @Ctx(); an explicit status is kept', async () => {
    await agent().post('/items').send({ id: '2', name: 'two' }).expect(201, { created: '2' });
  });

  it('PUT with @Body(field) from a form body; a string result is the text body', async () => {
    await agent().put('/items/3').type('form').send({ name: 'three' }).expect(200, 'replaced 3');
  });

  it('PATCH and DELETE; a handler returning nothing answers 204', async () => {
    await agent()
      .patch('/items/1')
      .send({ name: 'uno' })
      .expect(200, { id: '1', body: { name: 'uno' } });
    await agent().delete('/items/1').expect(204);
  });

  it('a handler may answer through @Ctx() itself', async () => {
    await agent().get('/items/raw/ctx').expect('x-handled', 'yes').expect(200, 'set by ctx');
  });

  it('joins the controller prefix and paths ("/" + "/" is "/")', async () => {
    await agent().get('/').expect(200, 'home');
  });

  it('answers unknown paths with a JSON 404 and wrong verbs with a JSON 405', async () => {
    await agent().get('/nowhere').expect(404, { statusCode: 404, code: 'ERR_HTTP_404', message: 'Not Found' });
    const res = await agent().post('/items/1').expect(405);
    expect(res.headers.allow).toMatch(/GET/);
    expect(res.body).toEqual({ statusCode: 405, code: 'ERR_HTTP_405', message: 'Method Not Allowed' });
  });
});
