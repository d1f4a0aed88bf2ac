/** Flash messages in the decorator module: `@Flash()`, `FlashService`, and `@FormRedirect()` for forms. */
import { IsEmail, IsInt, IsString, Length, Min } from 'class-validator';
import { injectable } from 'tsyringe';
import { MemoryStore, SessionConfigError, type FlashBag } from 'koa-typed-session';
import {
  Body,
  Controller,
  Flash,
  FlashService,
  FormRedirect,
  Get,
  Post,
  Secret,
  Session,
  SessionModule,
  SessionSchema,
  createApp,
} from 'koa-typed-session/decorators';
import { request } from '../helpers/app';

/** The messages of these pages, typed by an interface. */
interface PageFlash {
  notice: string;
  errors: Record<string, string[]>;
  old: Record<string, unknown>;
}

class LoginDto {
  @IsEmail() email!: string;
  @Secret() @IsString() @Length(8, 64) password!: string;
}

@injectable()
class Notifier {
  constructor(private readonly flash: FlashService) {}
  saved(what: string): void {
    this.flash.set('notice', `${what} saved`);
  }
}

@Controller('/')
class PagesController {
  constructor(private readonly notifier: Notifier) {}

  @Get('/login')
  form(@Flash() flash: FlashBag<PageFlash>) {
    return { notice: flash.get('notice') ?? null, errors: flash.get('errors') ?? null, old: flash.get('old') ?? null };
  }

  @Post('/login')
  @FormRedirect('/login')
  login(@Body() body: LoginDto) {
    this.notifier.saved(body.email);
    return { ok: true };
  }

  @Post('/back')
  @FormRedirect()
  back(@Body() body: LoginDto) {
    return { ok: body.email };
  }

  @Get('/keep')
  keep(@Flash() flash: FlashBag<PageFlash>) {
    flash.keep('notice');
    return flash.all();
  }
}

function app(store?: MemoryStore) {
  return createApp({
    keys: ['flash-di'],
    imports: [SessionModule.forRoot(store ? { store } : {})],
    providers: [Notifier],
    controllers: [PagesController],
  });
}

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe.each([
  ['cookie mode', () => undefined],
  ['MemoryStore', () => new MemoryStore()],
])('decorator module flash messages, %s', (_name, store) => {
  it('FlashService sets a message in a service; @Flash() reads it once, typed', async () => {
    const agent = request.agent(app(store()).callback());
    await agent.post('/login').send({ email: 'ada@example.com', password: 'correct horse' }).expect(200);
    await agent.get('/login').expect(200, { notice: 'ada@example.com saved', errors: null, old: null });
    await agent.get('/login').expect(200, { notice: null, errors: null, old: null });
  });

  it('keep() through @Flash() re-flashes for one more request', async () => {
    const agent = request.agent(app(store()).callback());
    await agent.post('/login').send({ email: 'ada@example.com', password: 'correct horse' }).expect(200);
    await agent.get('/keep').expect(200, { notice: 'ada@example.com saved' });
    await agent.get('/login').expect(200, { notice: 'ada@example.com saved', errors: null, old: null });
  });

  it('an invalid form from a browser: 303 back, field errors and old input flashed, the secret field not', async () => {
    const agent = request.agent(app(store()).callback());
    const res = await agent
      .post('/login')
      .set('Accept', HTML)
      .type('form')
      .send({ email: 'not-an-email', password: 'short' })
      .expect(303);
    expect(res.headers.location).toBe('/login');
    const page = await agent.get('/login').expect(200);
    const body = page.body as { errors: Record<string, string[]>; old: Record<string, unknown> };
    expect(Object.keys(body.errors).sort()).toEqual(['email', 'password']);
    expect(body.errors.email![0]).toMatch(/email/);
    expect(body.old).toEqual({ email: 'not-an-email' });
    expect(JSON.stringify(page.body)).not.toContain('short');
  });

  it('a JSON client keeps the 400 with the fields, and nothing is flashed', async () => {
    const agent = request.agent(app(store()).callback());
    const res = await agent
      .post('/login')
      .set('Accept', 'application/json')
      .send({ email: 'not-an-email', password: 'short' })
      .expect(400);
    expect((res.body as { code: string }).code).toBe('ERR_REQUEST_VALIDATION');
    await agent.get('/login').expect(200, { notice: null, errors: null, old: null });
  });

  it('a client that states no preference (Accept */* or none) keeps the 400', async () => {
    const agent = request.agent(app(store()).callback());
    await agent.post('/login').type('form').send({ email: 'x' }).expect(400);
    await agent.post('/login').set('Accept', '*/*').type('form').send({ email: 'x' }).expect(400);
  });
});

describe('@FormRedirect() without a path', () => {
  it('goes back to a same-origin Referer, and to the form’s own path for a foreign one', async () => {
    const server = app().callback();
    const same = await request(server)
      .post('/back')
      .set('Host', 'shop.test')
      .set('Accept', HTML)
      .set('Referer', 'http://shop.test/signup?step=2')
      .type('form')
      .send({ email: 'x' })
      .expect(303);
    expect(same.headers.location).toBe('/signup?step=2');
    const foreign = await request(server)
      .post('/back')
      .set('Host', 'shop.test')
      .set('Accept', HTML)
      .set('Referer', 'https://evil.example/phish')
      .type('form')
      .send({ email: 'x' })
      .expect(303);
    expect(foreign.headers.location).toBe('/back');
    const slashes = await request(server)
      .post('/back')
      .set('Host', 'shop.test')
      .set('Accept', HTML)
      .set('Referer', 'http://shop.test//evil.example/phish')
      .type('form')
      .send({ email: 'x' })
      .expect(303);
    expect(slashes.headers.location).toBe('/back');
  });
});
describe('flash decorators need the session module', () => {
  it('@Flash() without SessionModule fails at startup', () => {
    @Controller('/')
    class NoSessions {
      @Get('/') show(@Flash() flash: FlashBag) {
        return flash.all();
      }
    }
    expect(() => createApp({ keys: ['k'], controllers: [NoSessions] })).toThrow(SessionConfigError);
  });

  it('@FormRedirect() on a route without a @Body() DTO fails at startup', () => {
    @Controller('/')
    class NoDto {
      @Post('/') @FormRedirect('/') save() {
        return 'ok';
      }
    }
    expect(() => createApp({ keys: ['k'], imports: [SessionModule.forRoot({})], controllers: [NoDto] })).toThrow(
      /FormRedirect/,
    );
  });
});

describe('flash messages next to a strict typed session', () => {
  @SessionSchema({ whitelist: true, forbidNonWhitelisted: true, onInvalid: 'reject' })
  class StrictSession {
    @IsInt() @Min(0) views = 0;
  }

  @Controller('/')
  class StrictController {
    constructor(private readonly flash: FlashService) {}

    @Post('/save')
    save(@Session() s: StrictSession) {
      s.views++;
      this.flash.set('notice', 'Saved');
      return { views: s.views };
    }

    @Get('/')
    async show(@Session() s: StrictSession) {
      s.views++;
      return { views: s.views, notice: (await this.flash.get('notice')) ?? null };
    }
  }

  it('the flash keys are neither validated against the schema nor stripped by its whitelist', async () => {
    const agent = request.agent(
      createApp({ keys: ['k'], imports: [SessionModule.forRoot({})], controllers: [StrictController] }).callback(),
    );
    await agent.post('/save').expect(200, { views: 1 });
    await agent.get('/').expect(200, { views: 2, notice: 'Saved' });
    await agent.get('/').expect(200, { views: 3, notice: null });
  });
});
