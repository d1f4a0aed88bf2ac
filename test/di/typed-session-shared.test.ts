import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { MemoryStore } from 'koa-typed-session';
import {
  Body,
  Controller,
  Get,
  Post,
  Session,
  SessionModule,
  SessionSchema,
  createApp,
} from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

@SessionSchema({ whitelist: true })
class CartView {
  @IsInt() @Min(0) items = 0;
}

@SessionSchema({ whitelist: true, forbidNonWhitelisted: true })
class ProfileView {
  @IsOptional() @IsString() name?: string;
}

@SessionSchema({ whitelist: true, obsoleteKeys: ['legacyCart'] })
class CartV2 {
  @IsInt() @Min(0) items = 0;
}

/** No class-validator decorator at all: nothing to validate. */
class Plain {
  theme = 'light';
  visits = 0;
}

@SessionSchema({ invalidSaveStatus: 500 })
class ServerOwned {
  @IsInt() @Max(3) level = 0;
}

class ClientOwned {
  @IsInt() @Max(3) level = 0;
}

@Controller()
class SharedController {
  @Post('/raw')
  raw(@Body() body: Record<string, unknown>, @Session() s: Record<string, unknown>) {
    Object.assign(s, body);
    return s;
  }

  @Get('/raw')
  read(@Session() s: Record<string, unknown>) {
    return s;
  }

  @Post('/cart')
  cart(@Session() s: CartView) {
    s.items++;
    return { ...s };
  }

  @Post('/profile')
  profile(@Body('name') name: string, @Session() s: ProfileView) {
    s.name = name;
    return { ...s };
  }

  @Post('/cart-v2')
  cartV2(@Session() s: CartV2) {
    s.items++;
    return { ...s };
  }

  @Post('/plain')
  plain(@Body('theme') theme: string, @Session() s: Plain) {
    s.theme = theme;
    s.visits++;
    return { ...s };
  }

  @Post('/server')
  server(@Session() s: ServerOwned) {
    s.level = 9; // a server bug: the client sent nothing
    return { ...s };
  }

  @Post('/client')
  client(@Body('level') level: number, @Session() s: ClientOwned) {
    s.level = level;
    return { ...s };
  }
}

const build = () => {
  const store = new MemoryStore();
  const app = createApp({ keys: ['k'], imports: [SessionModule.forRoot({ store })], controllers: [SharedController] });
  return { app, server: app.callback(), store };
};

describe('typed sessions share one session with other schemas and plain ctx.session code', () => {
  it('a whitelist schema saved after an edit keeps the keys it does not declare', async () => {
    const { server } = build();
    const first = await request(server)
      .post('/raw')
      .send({ user: 'ada', prefs: { dark: true } })
      .expect(200);
    const cookie = cookieHeader(first);
    await request(server).post('/profile').set('Cookie', cookie).send({ name: 'Ada' }).expect(200, { name: 'Ada' });
    await request(server).post('/cart').set('Cookie', cookie).expect(200, { items: 1 });
    await request(server)
      .get('/raw')
      .set('Cookie', cookie)
      .expect(200, { user: 'ada', prefs: { dark: true }, name: 'Ada', items: 1 });
  });

  it('forbidNonWhitelisted only looks at the schema own keys, so other code keys do not fail it', async () => {
    const { server } = build();
    const first = await request(server).post('/raw').send({ items: 2, other: 'x' }).expect(200);
    const cookie = cookieHeader(first);
    await request(server).post('/profile').set('Cookie', cookie).send({ name: 'Bo' }).expect(200, { name: 'Bo' });
    await request(server).get('/raw').set('Cookie', cookie).expect(200, { items: 2, other: 'x', name: 'Bo' });
  });

  it('removes obsolete keys only when a schema names them (obsoleteKeys)', async () => {
    const { server } = build();
    const first = await request(server)
      .post('/raw')
      .send({ legacyCart: ['a'], user: 'ada' })
      .expect(200);
    const cookie = cookieHeader(first);
    await request(server).post('/cart-v2').set('Cookie', cookie).expect(200, { items: 1 });
    await request(server).get('/raw').set('Cookie', cookie).expect(200, { user: 'ada', items: 1 });
  });

  it('an invalid stored value reset by one schema leaves the other keys alone', async () => {
    const { server } = build();
    const first = await request(server).post('/raw').send({ items: -5, user: 'ada' }).expect(200);
    const cookie = cookieHeader(first);
    await request(server).post('/cart').set('Cookie', cookie).expect(200, { items: 1 });
    await request(server).get('/raw').set('Cookie', cookie).expect(200, { items: 1, user: 'ada' });
  });
});

describe('a session class without class-validator decorators', () => {
  it('loads and saves (there is nothing to validate)', async () => {
    const { server } = build();
    const first = await request(server)
      .post('/plain')
      .send({ theme: 'dark' })
      .expect(200, { theme: 'dark', visits: 1 });
    const cookie = cookieHeader(first);
    await request(server)
      .post('/plain')
      .set('Cookie', cookie)
      .send({ theme: 'blue' })
      .expect(200, { theme: 'blue', visits: 2 });
    await request(server).get('/raw').set('Cookie', cookie).expect(200, { theme: 'blue', visits: 2 });
  });
});

describe('the status of a save-time validation failure', () => {
  it('is 400 by default (the handler wrote client input that fails the schema)', async () => {
    const { server } = build();
    const res = await request(server).post('/client').send({ level: 7 }).expect(400);
    expect(res.body).toMatchObject({ code: 'ERR_SESSION_VALIDATION', errors: [{ property: 'level' }] });
  });

  it('is the schema invalidSaveStatus when set (500: a server bug, message hidden, app error event)', async () => {
    const { app, server } = build();
    const errors: unknown[] = [];
    app.on('error', (err: unknown) => errors.push(err));
    const res = await request(server).post('/server').expect(500);
    expect(res.body).toEqual({ statusCode: 500, code: 'ERR_SESSION_VALIDATION', message: 'Internal Server Error' });
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toContain('ServerOwned (invalid: level)');
  });

  it('refuses an invalidSaveStatus that is not an HTTP error status at startup', () => {
    @SessionSchema({ invalidSaveStatus: 200 })
    class Bad {
      @IsInt() n = 0;
    }
    @Controller()
    class BadController {
      @Get('/') get(@Session() s: Bad) {
        return s;
      }
    }
    expect(() => createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [BadController] })).toThrow(
      /invalidSaveStatus.*Bad/,
    );
  });
});
