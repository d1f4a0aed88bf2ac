// Imported first by the 'koa-typed-session/decorators' entry: missing peers get one clear message.
import { requirePeers } from './require-peers';

/** The decorator module's optional peer dependencies. */
export const DECORATOR_PEERS = [
  'reflect-metadata',
  'tsyringe',
  'class-validator',
  'class-transformer',
  '@koa/router',
  '@koa/bodyparser',
] as const;

requirePeers('koa-typed-session/decorators', DECORATOR_PEERS);
