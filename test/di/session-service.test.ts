import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { injectable } from 'tsyringe';
import { MemoryStore } from 'koa-typed-session';
import {
  Session,
  Body,
  Controller,
  Get,
  Post,
  SessionModule,
  SessionService,
  createApp,
  createTestingApp,
  withSession,
} from 'koa-typed-session/decorators';
import { cookieHeader, request, setCookies } from '../helpers/app';

class AccountSession {
  @IsOptional() @IsString() user?: string;
  @IsInt() @Min(0) visits = 0;
}

/** A service two levels below the controller: it never sees ctx. */
@injectable()
class AuditService {
  constructor(private readonly sessions: SessionService) {}

  async visits(): Promise<number> {
    return (await this.sessions.get(AccountSession)).visits;
  }
}

@injectable()
class AccountService {
  constructor(
    private readonly sessions: SessionService,
    readonly audit: AuditService,
  ) {}

  async login(name: string, keepData: boolean): Promise<AccountSession> {
    await this.sessions.regenerate({ keepData });
    const account = await this.sessions.get(AccountSession);
    account.user = name;
    return account;
  }

  async visit(): Promise<number> {
    const account = await this.sessions.get(AccountSession);
    account.visits++;
    return this.audit.visits();
  }
}

@Controller('/')
class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
  ) {}

  @Post('/visit')
  async visit(@Session() s: AccountSession) {
    const fromService = await this.accounts.visit();
    return { fromService, fromParam: s.visits, id: this.sessions.id ?? null, isNew: this.sessions.isNew };
  }

  @Post('/login')
  async login(@Body('name') name: string, @Body('keepData') keepData: boolean, @Session() s: AccountSession) {
    const before = this.sessions.id;
    const account = await this.accounts.login(name, keepData);
    return {
      before: before ?? null,
      after: this.sessions.id ?? null,
      same: account === s,
      user: s.user,
      visits: s.visits,
    };
  }

  @Post('/login-then-edit')
  async loginThenEdit(@Session() s: AccountSession) {
    await this.sessions.regenerate();
    s.user = 'late';
    return { id: this.sessions.id };
  }

  @Get('/me')
  me(@Session() s: AccountSession) {
    return { user: s.user ?? null, visits: s.visits, isNew: this.sessions.isNew };
  }

  @Post('/logout')
  logout(@Session() s: AccountSession) {
    this.sessions.destroy();
    s.user = 'ignored after destroy';
  }

  @Post('/save')
  async save(@Session() s: AccountSession) {
    s.visits = 100;
    await this.sessions.save();
    return { saved: this.sessions.session?.visits };
  }

  @Post('/touch')
  touch() {
    this.sessions.touch();
  }
}

function build(store = new MemoryStore()) {
  const app = createApp({ keys: ['k'], imports: [SessionModule.forRoot({ store })], controllers: [AccountController] });
  return { app, store, agent: request(app.callback()) };
}

const idOf = (res: { headers: Record<string, unknown> }) => /koa\.sess=([^;]+)/.exec(cookieHeader(res))?.[1];

describe('SessionService', () => {
  it('works in a nested service and shares the live instance with @Session()', async () => {
    const { agent } = build();
    const first = await agent.post('/visit').expect(200);
    // In store mode a new session already has the id it will be saved under.
    expect(first.body).toMatchObject({ fromService: 1, fromParam: 1, id: idOf(first), isNew: true });
    const second = await agent.post('/visit').set('Cookie', cookieHeader(first)).expect(200);
    expect(second.body).toMatchObject({ fromService: 2, fromParam: 2, id: idOf(first), isNew: false });
  });

  it('regenerate() moves the session to a new id, destroys the old record and keeps the injected object usable', async () => {
    const { agent, store } = build();
    const visit = await agent.post('/visit').expect(200);
    const oldId = idOf(visit)!;
    const login = await agent
      .post('/login')
      .set('Cookie', cookieHeader(visit))
      .send({ name: 'ada', keepData: true })
      .expect(200);
    expect(login.body).toMatchObject({ before: oldId, same: true, user: 'ada', visits: 1 });
    expect(login.body.after).not.toBe(oldId);
    expect(idOf(login)).toBe(login.body.after);
    expect(await store.get(oldId)).toBeUndefined();
    await agent.get('/me').set('Cookie', cookieHeader(login)).expect(200, { user: 'ada', visits: 1, isNew: false });
    // The old cookie no longer opens the session.
    await agent.get('/me').set('Cookie', cookieHeader(visit)).expect(200, { user: null, visits: 0, isNew: true });
  });

  it('regenerate({ keepData: false }) starts empty; the injected instance is reset in place', async () => {
    const { agent } = build();
    const visit = await agent.post('/visit').expect(200);
    const login = await agent
      .post('/login')
      .set('Cookie', cookieHeader(visit))
      .send({ name: 'bob', keepData: false })
      .expect(200);
    expect(login.body).toMatchObject({ same: true, user: 'bob', visits: 0 });
    await agent.get('/me').set('Cookie', cookieHeader(login)).expect(200, { user: 'bob', visits: 0, isNew: false });
  });

  it('edits made after regenerate() are committed under the new id', async () => {
    const { agent } = build();
    const res = await agent.post('/login-then-edit').expect(200);
    expect(idOf(res)).toBe(res.body.id);
    await agent.get('/me').set('Cookie', cookieHeader(res)).expect(200, { user: 'late', visits: 0, isNew: false });
  });

  it('destroy() removes the session; later edits of the instance are dropped', async () => {
    const { agent, store } = build();
    const visit = await agent.post('/visit').expect(200);
    const out = await agent.post('/logout').set('Cookie', cookieHeader(visit)).expect(204);
    expect(setCookies(out).join()).toMatch(/koa\.sess=;/);
    expect(await store.get(idOf(visit)!)).toBeUndefined();
  });

  it('save() writes validated typed edits now', async () => {
    const { agent } = build();
    const res = await agent.post('/save').expect(200, { saved: 100 });
    await agent.get('/me').set('Cookie', cookieHeader(res)).expect(200, { user: null, visits: 100, isNew: false });
  });

  it('touch() re-saves an unchanged session (a rolling refresh on demand), and nothing for a new one', async () => {
    const { agent } = build();
    const none = await agent.post('/touch').expect(204);
    expect(setCookies(none)).toEqual([]);
    const visit = await agent.post('/visit').expect(200);
    const touched = await agent.post('/touch').set('Cookie', cookieHeader(visit)).expect(204);
    expect(idOf(touched)).toBe(idOf(visit));
  });
});

describe('SessionService in services unit-tested with the testing kit (no controller, no HTTP)', () => {
  const build = (audit?: Partial<AuditService>) =>
    createTestingApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ store: new MemoryStore() })],
      overrideProviders: audit ? [{ provide: AuditService, useValue: audit }] : [],
    });

  it('AccountService.visit() counts in the typed session and asks the audit service', async () => {
    const run = await withSession(build({ visits: async () => 42 }), { data: { visits: 2 } }, ({ get }) =>
      get(AccountService).visit(),
    );
    expect(run.result).toBe(42);
    expect(run.saved).toEqual({ visits: 3 });
  });

  it('AccountService.login() moves the session to a new id and keeps or drops the data', async () => {
    const app = build();
    const before = await withSession(app, { data: { visits: 5, theme: 'dark' } }, ({ sessions }) => sessions.id);
    const kept = await withSession(app, { cookie: before.cookie }, ({ get }) => get(AccountService).login('ada', true));
    expect(kept.id).not.toBe(before.id);
    expect(kept.saved).toEqual({ visits: 5, theme: 'dark', user: 'ada' });
    const fresh = await withSession(app, { cookie: kept.cookie }, ({ get }) => get(AccountService).login('bo', false));
    expect(fresh.saved).toEqual({ visits: 0, user: 'bo' });
  });
});

describe('SessionService.destroyAllOf', () => {
  class UserSession {
    @IsOptional() @IsString() user?: string;
  }

  @Controller('/')
  class UsersController {
    constructor(private readonly sessions: SessionService) {}

    @Post('/as/:name')
    as(@Session() s: UserSession, @Body('name') name: string) {
      s.user = name;
      return 'ok';
    }

    @Get('/who')
    who(@Session() s: UserSession) {
      return { user: s.user ?? null };
    }

    @Post('/everywhere')
    async everywhere(@Session() s: UserSession) {
      const destroyed = await this.sessions.destroyAllOf(s.user!);
      this.sessions.destroy();
      return { destroyed };
    }
  }

  it("destroys every session of the user and nobody else's", async () => {
    const store = new MemoryStore({ userField: 'user' });
    const app = createApp({ keys: ['k'], imports: [SessionModule.forRoot({ store })], controllers: [UsersController] });
    const agent = request(app.callback());
    const ada1 = cookieHeader(await agent.post('/as/x').send({ name: 'ada' }).expect(200));
    const ada2 = cookieHeader(await agent.post('/as/x').send({ name: 'ada' }).expect(200));
    const bob = cookieHeader(await agent.post('/as/x').send({ name: 'bob' }).expect(200));
    await agent.post('/everywhere').set('Cookie', ada1).expect(200, { destroyed: 2 });
    await agent.get('/who').set('Cookie', ada2).expect(200, { user: null });
    await agent.get('/who').set('Cookie', bob).expect(200, { user: 'bob' });
  });

  it('fails with a SessionConfigError (500, message hidden) in cookie mode', async () => {
    const app = createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [UsersController] });
    app.silent = true;
    const agent = request(app.callback());
    const ada = cookieHeader(await agent.post('/as/x').send({ name: 'ada' }).expect(200));
    await agent
      .post('/everywhere')
      .set('Cookie', ada)
      .expect(500, { statusCode: 500, code: 'ERR_SESSION_CONFIG', message: 'Internal Server Error' });
  });
});
