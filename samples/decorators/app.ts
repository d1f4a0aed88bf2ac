// The seed's multi-API app (samples/seed/multi-api.js) rewritten with the decorator module: a
// controller per API surface, a typed session class, and the same options and wire format.
// Run: `npm run build && npx tsc -p tsconfig.samples.json && node dist-samples/samples/decorators/app.js`.
import 'reflect-metadata';
import { SessionModule, createApp, type DecoratedApp, type SessionModuleOptions } from 'koa-typed-session/decorators';
import { listenIfMain } from '../seed/typed/listen';
import { SeedController } from './seed.controller';

/** The seed's CONFIG, unchanged. */
export const CONFIG: SessionModuleOptions = {
  key: 'koa:sess',
  maxAge: 86400000,
  autoCommit: true,
  overwrite: true,
  httpOnly: true,
  signed: true,
  rolling: true,
  renew: false,
};

/** Builds the app: GET /set, /get, /destroy, and 'Hello World' elsewhere. */
export function createSeedApp(): DecoratedApp {
  return createApp({
    keys: ['your-secret-key'],
    imports: [SessionModule.forRoot(CONFIG)],
    controllers: [SeedController],
  });
}

listenIfMain(module, createSeedApp, 'decorators');
