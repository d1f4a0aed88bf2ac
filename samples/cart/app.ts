// A shopping cart on the decorator module: a typed CartSession, a CartService that uses
// SessionService (no ctx passed around), sessions in a store bound to SESSION_STORE.
// Run: `npm run build && npx tsc -p tsconfig.samples.json && node dist-samples/samples/cart/app.js`.
import 'reflect-metadata';
import { MemoryStore, type SessionStore } from 'koa-typed-session';
import {
  SESSION_STORE,
  SessionModule,
  createApp,
  type CreateAppOptions,
  type DecoratedApp,
} from 'koa-typed-session/decorators';
import { listenIfMain } from '../seed/typed/listen';
import { CartController } from './cart.controller';

/** The cart app's options: shared by the app and its tests (`createTestingApp({ ...cartAppOptions(), ... })`). */
export function cartAppOptions(store: SessionStore = new MemoryStore()): CreateAppOptions {
  return {
    keys: [process.env.SESSION_SECRET ?? 'cart-sample-secret'],
    providers: [{ provide: SESSION_STORE, useValue: store }],
    imports: [SessionModule.forRoot({ key: 'cart.sid', maxAge: 7 * 86_400_000, renew: true, sameSite: 'lax' })],
    controllers: [CartController],
  };
}

/** Builds the cart app; pass a RedisStore (or any koa-session store) for several servers. */
export function createCartApp(store: SessionStore = new MemoryStore()): DecoratedApp {
  return createApp(cartAppOptions(store));
}

listenIfMain(module, () => createCartApp(), 'cart');
