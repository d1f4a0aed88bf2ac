import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
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

class Address {
  @IsString() city = 'Paris';
}

class ViewSession {
  @IsInt() @Min(0) views = 0;
  @IsOptional() @IsString() user?: string;
  @IsOptional() @IsDate() @Type(() => Date) lastSeen?: Date;
  @ValidateNested() @Type(() => Address) address = new Address();
}

@Controller('/')
class ViewsController {
  @Get('/')
  count(@Session() s: ViewSession) {
    s.views++;
    return { views: s.views };
  }

  @Get('/peek')
  peek(@Session() s: ViewSession) {
    return { views: s.views, isInstance: s instanceof ViewSession, addressIsClass: s.address instanceof Address };
  }

  @Post('/visit')
  visit(@Body('city') city: string, @Session() s: ViewSession) {
    s.lastSeen = new Date('2030-01-02T03:04:05.000Z');
    s.address.city = city;
  }

  @Get('/visit')
  readVisit(@Session() s: ViewSession) {
    return { lastSeenIsDate: s.lastSeen instanceof Date, lastSeen: s.lastSeen?.toISOString(), city: s.address.city };
  }

  @Get('/twice')
  twice(@Session() a: ViewSession, @Session(ViewSession) b: ViewSession) {
    a.views += 10;
    return { same: a === b, views: b.views };
  }

  @Get('/field')
  field(@Session('views') views: number, @Session('missing') missing: unknown) {
    return { views, missing: missing ?? null };
  }

  @Get('/raw')
  raw(@Session() s: Record<string, unknown>) {
    s.free = 'form';
    return { isEngineSession: s instanceof Session, views: s.views ?? null };
  }
}

const modes: Array<[string, () => SessionModuleOptions]> = [
  ['cookie', () => ({})],
  ['store', () => ({ store: new MemoryStore() })],
];

describe.each(modes)('typed @Session() (%s sessions): a live instance whose edits persist', (_mode, options) => {
  const build = () =>
    createApp({ keys: ['k1'], imports: [SessionModule.forRoot(options())], controllers: [ViewsController] });

  it('persists edits across requests, starting from the initialisers', async () => {
    const agent = request(build().callback());
    const first = await agent.get('/').expect(200, { views: 1 });
    const second = await agent.get('/').set('Cookie', cookieHeader(first)).expect(200, { views: 2 });
    const cookie = setCookies(second).length ? cookieHeader(second) : cookieHeader(first);
    await agent.get('/peek').set('Cookie', cookie).expect(200, { views: 2, isInstance: true, addressIsClass: true });
  });

  it('writes nothing for a visitor whose instance was not edited', async () => {
    const res = await request(build().callback())
      .get('/peek')
      .expect(200, { views: 0, isInstance: true, addressIsClass: true });
    expect(setCookies(res)).toEqual([]);
  });

  it('round-trips nested classes and Dates', async () => {
    const agent = request(build().callback());
    const visit = await agent.post('/visit').send({ city: 'Lyon' }).expect(204);
    await agent
      .get('/visit')
      .set('Cookie', cookieHeader(visit))
      .expect(200, { lastSeenIsDate: true, lastSeen: '2030-01-02T03:04:05.000Z', city: 'Lyon' });
  });

  it('gives two @Session() parameters of one class the same object', async () => {
    const agent = request(build().callback());
    const res = await agent.get('/twice').expect(200, { same: true, views: 10 });
    await agent
      .get('/peek')
      .set('Cookie', cookieHeader(res))
      .expect(200, { views: 10, isInstance: true, addressIsClass: true });
  });

  it("@Session('field') gives that field's value", async () => {
    const agent = request(build().callback());
    const res = await agent.get('/').expect(200);
    await agent.get('/field').set('Cookie', cookieHeader(res)).expect(200, { views: 1, missing: null });
  });

  it('a Record-typed @Session() is the untyped ctx.session, live and unvalidated', async () => {
    const agent = request(build().callback());
    const res = await agent.get('/raw').expect(200, { isEngineSession: true, views: null });
    expect(setCookies(res).length).toBeGreaterThan(0);
    // `free` is not in the schema and survives typed use (no whitelist by default).
    const counted = await agent.get('/').set('Cookie', cookieHeader(res)).expect(200, { views: 1 });
    const cookie = cookieHeader(counted);
    await agent.get('/raw').set('Cookie', cookie).expect(200, { isEngineSession: true, views: 1 });
  });
});
