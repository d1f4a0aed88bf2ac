// koa-redis 4 ships no types; only what the benchmark uses.
declare module 'koa-redis' {
  interface KoaRedisOptions {
    host?: string;
    port?: number;
  }
  interface KoaRedisStore {
    get(key: string): Promise<unknown>;
    set(key: string, sess: unknown, maxAge: number | 'session' | undefined): Promise<void>;
    destroy(key: string): Promise<void>;
    quit(): Promise<void>;
  }
  function redisStore(options?: KoaRedisOptions): KoaRedisStore;
  export = redisStore;
}
