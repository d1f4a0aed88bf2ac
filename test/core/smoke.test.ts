import { createTestApp, cookieHeader, request, setCookies } from '../helpers/app';

describe('smoke', () => {
  it('counts views across requests', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.views = ((ctx.session!.views as number) ?? 0) + 1;
      ctx.body = `${ctx.session!.views} views`;
    });
    const server = app.callback();
    const first = await request(server).get('/').expect(200, '1 views');
    expect(setCookies(first)).toHaveLength(2);
    const second = await request(server).get('/').set('Cookie', cookieHeader(first)).expect(200, '2 views');
    expect(setCookies(second)[0]).toMatch(/^koa\.sess=/);
  });
});
