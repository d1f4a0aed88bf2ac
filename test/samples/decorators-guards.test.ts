import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createGuardsApp } from '../../samples/decorators-guards/app';
import { cookieHeader } from '../helpers/app';

async function login(agent: ReturnType<typeof request>, user: string): Promise<string> {
  const res = await agent.post('/api/auth/login').send({ user }).expect(200, `logged in as ${user}`);
  return cookieHeader(res);
}

describe('sample: guards, @Roles, route middleware, problem+json, global prefix', () => {
  it('needs a login for every article route and the right role for the others', async () => {
    const agent = request(createGuardsApp().callback());
    const denied = await agent
      .get('/api/articles')
      .expect(403)
      .expect('content-type', /application\/problem\+json/);
    expect(denied.body).toEqual({
      type: 'about:blank',
      title: 'koa-typed-session: access to this route was denied by a guard.',
      status: 403,
      code: 'ERR_FORBIDDEN',
      instance: '/api/articles',
    });
    const ann = await login(agent, 'ann');
    const bob = await login(agent, 'bob');
    const eve = await login(agent, 'eve');

    await agent.get('/api/articles').set('Cookie', eve).expect(200, ['hello-world']);
    await agent.post('/api/articles').set('Cookie', eve).send({ title: 'x' }).expect(403);
    await agent.post('/api/articles').set('Cookie', bob).send({ title: 'x' }).expect(200, { created: 'x' });
    await agent.get('/api/admin/stats').set('Cookie', bob).expect(403);
    await agent.get('/api/admin/stats').set('Cookie', ann).expect(200, { admin: 'ann' });
    await agent.get('/admin/stats').set('Cookie', ann).expect(404); // only under the prefix
  });

  it('rate-limits the login route only (per-route middleware), answering problem+json', async () => {
    const agent = request(createGuardsApp().callback());
    // The limiter is created by the decorator, so it is shared by every app built from the class
    // (the other tests of this file used some of the 5 logins): the 6th login of the minute at most is refused.
    let limited = await agent.post('/api/auth/login').send({ user: 'nobody' });
    for (let i = 0; i < 5 && limited.status === 200; i++) {
      limited = await agent.post('/api/auth/login').send({ user: 'nobody' });
    }
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too many login attempts, retry later.' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await agent.get('/api/articles').expect(403); // other routes are not limited
  });

  it('closes gracefully: app.close() stops its server', async () => {
    const app = createGuardsApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
      .get('/api/articles')
      .expect(403);
    await app.close();
    expect(server.listening).toBe(false);
  });
});
