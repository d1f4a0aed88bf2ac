// A worked example of the testing kit: the cart sample's CartService unit-tested without HTTP,
// with its catalogue replaced by a fake, against a real session (and a real MemoryStore).
import { MemoryStore, SessionValidationError } from 'koa-typed-session';
import { createTestingApp, withSession } from 'koa-typed-session/decorators';
import request from 'supertest';
import { cartAppOptions } from '../../samples/cart/app';
import { CartService } from '../../samples/cart/cart.service';
import { CatalogueService, type Product } from '../../samples/cart/catalogue.service';

/** A catalogue with one test product: the service's only other dependency. */
class FakeCatalogue {
  find(sku: string): Product {
    if (sku !== 'TST-001') throw Object.assign(new Error(`no ${sku}`), { status: 404, expose: true });
    return { sku, name: 'Test product', price: 100 };
  }
}

function testApp(store = new MemoryStore()) {
  return createTestingApp({
    ...cartAppOptions(store),
    overrideProviders: [{ provide: CatalogueService, useClass: FakeCatalogue }],
  });
}

describe('sample: CartService unit-tested with the testing kit', () => {
  it('adds to a cart that already holds a line, and saves the merged line', async () => {
    const store = new MemoryStore();
    const run = await withSession(
      testApp(store),
      { data: { lines: [{ sku: 'TST-001', qty: 2 }], theme: 'dark' } },
      ({ get }) => get(CartService).add('TST-001', 3),
    );
    expect(run.result).toEqual({
      customer: null,
      lines: [{ sku: 'TST-001', name: 'Test product', qty: 5, subtotal: 500 }],
      total: 500,
    });
    // What the next request loads: the merged line, and the key the cart schema does not own.
    expect(run.saved).toMatchObject({ lines: [{ sku: 'TST-001', qty: 5 }], theme: 'dark' });
    expect(await store.get(run.id!)).toMatchObject({ lines: [{ sku: 'TST-001', qty: 5 }] });
  });

  it('login() moves the cart to a new session id', async () => {
    const app = testApp();
    const before = await withSession(
      app,
      { data: { lines: [{ sku: 'TST-001', qty: 1 }] } },
      ({ sessions }) => sessions.id,
    );
    const after = await withSession(app, { cookie: before.cookie }, ({ get }) => get(CartService).login('ada'));
    expect(after.id).not.toBe(before.id);
    expect(after.saved).toMatchObject({ customer: 'ada', lines: [{ sku: 'TST-001', qty: 1 }] });
  });

  it('refuses a line over 99 at commit: nothing is saved', async () => {
    const app = testApp();
    const start = await withSession(app, { data: { lines: [{ sku: 'TST-001', qty: 98 }] } }, () => undefined);
    await expect(
      withSession(app, { cookie: start.cookie }, ({ get }) => get(CartService).add('TST-001', 5)),
    ).rejects.toBeInstanceOf(SessionValidationError);
    const after = await withSession(app, { cookie: start.cookie }, () => undefined);
    expect(after.saved).toMatchObject({ lines: [{ sku: 'TST-001', qty: 98 }] });
  });

  it('removes the previous version of the cart (obsoleteKeys), and nothing else', async () => {
    const run = await withSession(testApp(), { data: { cart: ['old'], theme: 'dark' } }, ({ get }) =>
      get(CartService).view(),
    );
    expect(run.saved).toEqual({ theme: 'dark' }); // an unedited cart writes nothing of its own
  });

  it('the same testing app answers HTTP, with the fake catalogue', async () => {
    const server = testApp().callback();
    await request(server).post('/cart/items').send({ sku: 'TST-001', qty: 2 }).expect(200);
    await request(server).post('/cart/items').send({ sku: 'TEA-001' }).expect(404);
    const bad = await request(server).post('/cart/items').send({ sku: 'TST-001', qty: 'many' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'ERR_REQUEST_VALIDATION', errors: [{ property: 'qty' }] });
  });
});
