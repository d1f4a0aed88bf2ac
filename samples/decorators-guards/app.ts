// Guards, a @Roles recipe and per-route middleware with the decorator module, under a global /api
// prefix, errors as RFC 9457 problem+json, and a graceful shutdown on SIGTERM/SIGINT.
// Run: `npm run build:samples && node dist-samples/samples/decorators-guards/app.js`.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { MemoryStore } from 'koa-typed-session';
import {
  SESSION_STORE,
  SessionModule,
  createApp,
  toErrorResponse,
  type DecoratedApp,
} from 'koa-typed-session/decorators';
import { AdminController, ArticlesController, AuthController } from './controllers';

/** Builds the app: POST /api/auth/login {user}, /api/auth/logout, GET|POST /api/articles, GET /api/admin/stats. */
export function createGuardsApp(): DecoratedApp {
  return createApp({
    keys: [process.env.SESSION_SECRET ?? 'development-only-key'],
    // Created by the app's container, so app.close() quits it (a store passed with useValue stays open).
    providers: [{ provide: SESSION_STORE, useFactory: () => new MemoryStore() }],
    imports: [SessionModule.forRoot({ maxAge: 86_400_000 })],
    controllers: [AuthController, ArticlesController, AdminController],
    globalPrefix: '/api',
    errorMapper: (error, ctx) => {
      const { status, body, headers } = toErrorResponse(error); // the default mapping, reshaped
      return {
        status,
        type: 'application/problem+json',
        ...(headers && { headers }),
        body: { type: 'about:blank', title: body.message, status, code: body.code, instance: ctx.path },
      };
    },
  });
}

if (require.main === module) {
  const app = createGuardsApp();
  const server = app.listen(Number(process.env.PORT ?? 3000), () => {
    console.log(`decorators-guards listening on http://localhost:${(server.address() as AddressInfo).port}/api`);
  });
  const stop = (): void => void app.close().then(() => console.log('closed'));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
