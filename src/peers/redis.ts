// Imported first by the 'koa-typed-session/redis' entry: a missing ioredis gets one clear message.
import { requirePeers } from './require-peers';

requirePeers('koa-typed-session/redis', ['ioredis']);
