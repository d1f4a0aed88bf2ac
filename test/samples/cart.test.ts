import { MemoryStore } from 'koa-typed-session';
import request from 'supertest';
import { createCartApp } from '../../samples/cart/app';
import { cookieHeader, setCookies } from '../helpers/app';

const sidOf = (res: { headers: Record<string, unknown> }) => /cart\.sid=([^;]+)/.exec(cookieHeader(res))?.[1];

/** A client that keeps its cookies between requests, as a browser would. */
function client(app = createCartApp()) {
  const agent = request(app.callback());
  let cookie = '';
  const track = <T extends { headers: Record<string, unknown> }>(res: T): T => {
    if (setCookies(res).length > 0) cookie = cookieHeader(res);
    return res;
  };
  return {
    get: async (path: string) => track(await agent.get(path).set('Cookie', cookie)),
    post: async (path: string, body: object = {}) => track(await agent.post(path).set('Cookie', cookie).send(body)),
    del: async (path: string) => track(await agent.delete(path).set('Cookie', cookie)),
    cookie: () => cookie,
  };
}

describe('sample: shopping cart with SessionService in a service class', () => {
  it('adds, merges, removes and totals lines across requests', async () => {
    const c = client();
    expect((await c.get('/cart')).body).toEqual({ customer: null, lines: [], total: 0 });
    await c.post('/cart/items', { sku: 'TEA-001', qty: 2 });
    await c.post('/cart/items', { sku: 'MUG-001' });
    const merged = await c.post('/cart/items', { sku: 'TEA-001', qty: 1 });
    expect(merged.body).toEqual({
      customer: null,
      lines: [
        { sku: 'TEA-001', name: 'Green tea', qty: 3, subtotal: 1350 },
        { sku: 'MUG-001', name: 'Mug', qty: 1, subtotal: 1200 },
      ],
      total: 2550,
    });
    const removed = await c.del('/cart/items/MUG-001');
    expect(removed.body.total).toBe(1350);
    expect((await c.get('/cart')).body.lines).toEqual([{ sku: 'TEA-001', name: 'Green tea', qty: 3, subtotal: 1350 }]);
  });

  it('refuses a quantity the session schema forbids, and keeps the stored cart', async () => {
    const c = client();
    await c.post('/cart/items', { sku: 'TEA-002', qty: 98 });
    const refused = await c.post('/cart/items', { sku: 'TEA-002', qty: 5 });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'ERR_SESSION_VALIDATION', errors: [{ property: 'lines' }] });
    expect((await c.get('/cart')).body.lines).toEqual([
      { sku: 'TEA-002', name: 'Black tea', qty: 98, subtotal: 38220 },
    ]);
  });

  it('answers an unknown product with a JSON 404', async () => {
    const res = await client().post('/cart/items', { sku: 'CAT-999' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      statusCode: 404,
      code: 'ERR_UNKNOWN_PRODUCT',
      message: 'No product CAT-999 in the catalogue.',
    });
  });

  it('login keeps the cart under a new session id and destroys the old one', async () => {
    const store = new MemoryStore();
    const c = client(createCartApp(store));
    const added = await c.post('/cart/items', { sku: 'TEA-001' });
    const anonymous = sidOf(added)!;
    const login = await c.post('/cart/login', { name: 'ada' });
    expect(sidOf(login)).not.toBe(anonymous);
    expect(store.get(anonymous)).toBeUndefined();
    expect(login.body).toMatchObject({ customer: 'ada', total: 450 });
    expect((await c.get('/cart')).body).toMatchObject({ customer: 'ada', total: 450 });
  });

  it('checkout returns the order and empties the cart; logout ends the session', async () => {
    const c = client();
    await c.post('/cart/items', { sku: 'MUG-001', qty: 2 });
    expect((await c.post('/cart/checkout')).body.total).toBe(2400);
    expect((await c.get('/cart')).body.lines).toEqual([]);
    const out = await c.post('/cart/logout');
    expect(out.status).toBe(204);
    expect(setCookies(out).join()).toMatch(/cart\.sid=;/);
  });

  it('keeps each shopper’s cart apart under concurrent requests', async () => {
    const app = createCartApp();
    const shoppers = Array.from({ length: 5 }, () => client(app));
    await Promise.all(shoppers.map((s, i) => s.post('/cart/items', { sku: 'TEA-001', qty: i + 1 })));
    const carts = await Promise.all(shoppers.map((s) => s.get('/cart')));
    expect(carts.map((r) => r.body.lines[0].qty)).toEqual([1, 2, 3, 4, 5]);
  });
});
