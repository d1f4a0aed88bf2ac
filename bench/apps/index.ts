import type { RequestListener } from 'node:http';

/** What an app factory gets from the harness. */
export interface AppEnv {
  /** `redis://127.0.0.1:PORT` of the benchmark's own redis-server, when one runs. */
  redisUrl: string | undefined;
}

/** Thrown by a factory whose feature is not in the library (yet): the scenario is skipped with this note. */
export class Unavailable extends Error {}

type Factory = (env: AppEnv) => { callback(): RequestListener } | Promise<{ callback(): RequestListener }>;

function needRedis(env: AppEnv): string {
  if (!env.redisUrl) throw new Unavailable('no redis-server on this machine (apt-get install redis-server)');
  return env.redisUrl;
}

/**
 * Every benchmark server, by id. Each runs alone in its own child process and loads only its own
 * app module, so that no server pays (in memory or start-up) for another library.
 */
export const APPS: Record<string, Factory> = {
  bare: async () => (await import('./bare.app')).bareApp(),
  floor: async () => (await import('./floor.app')).floorApp(),
  'floor-work-4': async () => (await import('./floor.app')).floorWithWorkApp(4),
  'floor-work-8': async () => (await import('./floor.app')).floorWithWorkApp(8),
  'floor-garbage': async () => (await import('./floor.app')).floorWithGarbageApp(40),
  'ks-signed': async () => (await import('./koa-session.app')).koaSessionSigned(),
  'ks-unsigned': async () => (await import('./koa-session.app')).koaSessionUnsigned(),
  'ks-map-store': async () => (await import('./koa-session.app')).koaSessionMapStore(),
  'ks-redis': async (env) => (await import('./koa-session.app')).koaSessionRedis(needRedis(env)),
  'ours-signed': async () => (await import('./typed-session.app')).typedSessionSigned(),
  'ours-unsigned': async () => (await import('./typed-session.app')).typedSessionUnsigned(),
  'ours-encrypted': async () => (await import('./typed-session.app')).typedSessionEncrypted(),
  'ours-memory-store': async () => (await import('./typed-session.app')).typedSessionMemoryStore(),
  'ours-redis': async (env) => (await import('./typed-session.app')).typedSessionRedis(needRedis(env)),
  'rc-koa-session': async () => (await import('./routing-controllers.app')).routingControllersApp(),
  'ours-decorators': async () => (await import('./decorator.app')).decoratorApp(),
  'ours-decorators-unvalidated': async () => (await import('./decorator.app')).decoratorUnvalidatedApp(),
  'ours-decorators-untyped': async () => (await import('./decorator.app')).decoratorUntypedApp(),
  'ours-decorators-no-session': async () => (await import('./decorator.app')).decoratorNoSessionApp(),
};
