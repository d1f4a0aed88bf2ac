import 'reflect-metadata';
import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import Koa from 'koa';
import { ONE_DAY, session, type KoaSessionOptions } from 'koa-typed-session';
import { cartPage, homePage, loginPage, type PageState } from './views';
import { AddToCartForm, CATALOGUE, LoginForm, WebSession } from './web-session';

/** Options of {@link createWebApp}. */
export interface WebAppOptions {
  /** Cookie-signing keys. @default a fixed development key (set SESSION_KEYS in production) */
  keys?: string[];
  /** Session options, merged over the demo's (one day, SameSite=Lax). */
  session?: KoaSessionOptions;
}

/** INTERIM plain-Koa version (replaced by the decorator module once it lands). */
export function createWebApp(options: WebAppOptions = {}): Koa {
  const app = new Koa();
  app.keys = options.keys ?? ['koa-typed-session demo key: change me'];
  app.use(session({ maxAge: ONE_DAY, sameSite: 'lax', ...options.session }, app));
  app.use(bodyParser());
  const router = new Router();
  const load = (ctx: Koa.Context): WebSession => plainToInstance(WebSession, ctx.session!.toJSON());
  const save = (ctx: Koa.Context, s: WebSession): void => {
    Object.assign(ctx.session!, s);
  };
  const state = (s: WebSession): PageState => ({
    user: s.user,
    views: s.views,
    cartCount: s.cart.reduce((n, l) => n + l.quantity, 0),
    canLogoutEverywhere: typeof options.session?.store?.destroyAllOf === 'function',
    flash: s.flash,
  });
  router.get('/', (ctx) => {
    const s = load(ctx);
    s.views++;
    const st = state(s);
    delete s.flash;
    ctx.session = { ...s };
    ctx.body = homePage(st);
  });
  router.get('/login', (ctx) => {
    ctx.body = loginPage(state(load(ctx)));
  });
  router.post('/login', async (ctx) => {
    const form = plainToInstance(LoginForm, ctx.request.body);
    const errors = validateSync(form);
    const s = load(ctx);
    if (errors.length) {
      ctx.status = 400;
      ctx.body = loginPage(state(s), Object.values(errors[0]!.constraints ?? {})[0]);
      return;
    }
    await ctx.session!.regenerate();
    s.user = form.name;
    s.flash = `Logged in as ${form.name}.`;
    save(ctx, s);
    ctx.redirect('/');
    ctx.status = 303;
  });
  router.post('/logout', (ctx) => {
    ctx.session = null;
    ctx.redirect('/login');
    ctx.status = 303;
  });
  router.post('/logout-everywhere', async (ctx) => {
    const user = load(ctx).user;
    if (user) await options.session!.store!.destroyAllOf!(user, { ctx });
    ctx.session = null;
    ctx.redirect('/login');
    ctx.status = 303;
  });
  router.get('/cart', (ctx) => {
    const s = load(ctx);
    ctx.body = cartPage(state(s), s.cart.map((l) => ({ ...l, name: CATALOGUE[l.sku] ?? l.sku })), CATALOGUE);
  });
  router.post('/cart/add', (ctx) => {
    const form = plainToInstance(AddToCartForm, ctx.request.body);
    const errors = validateSync(form);
    const s = load(ctx);
    if (errors.length) {
      ctx.status = 400;
      ctx.body = cartPage(state(s), s.cart.map((l) => ({ ...l, name: CATALOGUE[l.sku] ?? l.sku })), CATALOGUE, Object.values(errors[0]!.constraints ?? {})[0]);
      return;
    }
    const line = s.cart.find((l) => l.sku === form.sku);
    if (line) line.quantity += form.quantity;
    else s.cart.push({ sku: form.sku, quantity: form.quantity });
    ctx.session = { ...s, cart: s.cart.map((l) => ({ ...l })) };
    ctx.redirect('/cart');
    ctx.status = 303;
  });
  router.post('/cart/clear', (ctx) => {
    ctx.session!.cart = [];
    ctx.redirect('/cart');
    ctx.status = 303;
  });
  app.use(router.routes());
  return app;
}
