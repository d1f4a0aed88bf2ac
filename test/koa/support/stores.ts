import {
  type MaxAge,
  type SessionPayload,
  type SessionStore,
  type StoreDestroyOptions,
  type StoreGetOptions,
  type StoreSetOptions,
} from 'koa-typed-session';

/** One recorded store call. */
export interface StoreCall {
  op: 'get' | 'set' | 'destroy';
  key: string;
  maxAge?: MaxAge | undefined;
  sess?: SessionPayload;
  options: Record<string, unknown>;
}

/**
 * A koa-session style store that round-trips values through JSON (as every real store does) and
 * records its calls. Each test gets its own instance: no module-level state between tests.
 */
export class JsonStore implements SessionStore {
  readonly data = new Map<string, string>();
  readonly calls: StoreCall[] = [];

  get(key: string, maxAge: MaxAge | undefined, options: StoreGetOptions): unknown {
    this.calls.push({ op: 'get', key, maxAge, options: { ...options } });
    const json = this.data.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as unknown);
  }

  set(key: string, sess: SessionPayload, maxAge: MaxAge, options: StoreSetOptions): void {
    this.calls.push({ op: 'set', key, maxAge, sess, options: { ...options } });
    this.data.set(key, JSON.stringify(sess));
  }

  destroy(key: string, options: StoreDestroyOptions): void {
    this.calls.push({ op: 'destroy', key, options: { ...options } });
    this.data.delete(key);
  }

  /** The recorded calls of one kind. */
  callsOf(op: StoreCall['op']): StoreCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  /** The stored record of a key, parsed. */
  record(key: string): SessionPayload | undefined {
    const json = this.data.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as SessionPayload);
  }
}

/** koa-session's `store_with_ctx` fixture: every method leaves a trace in `ctx.state.test`. */
export class CtxTracingStore extends JsonStore {
  override get(key: string, maxAge: MaxAge | undefined, options: StoreGetOptions): unknown {
    (options.ctx as { state: Record<string, unknown> }).state.test = 'get';
    return super.get(key, maxAge, options);
  }

  override set(key: string, sess: SessionPayload, maxAge: MaxAge, options: StoreSetOptions): void {
    (options.ctx as { state: Record<string, unknown> }).state.test = 'set';
    super.set(key, sess, maxAge, options);
  }

  override destroy(key: string, options: StoreDestroyOptions): void {
    (options.ctx as { state: Record<string, unknown> }).state.test = 'destroyed';
    super.destroy(key, options);
  }
}

/**
 * A `ContextStore` class over a shared map, as koa-session's `context_store` fixture: a new
 * instance per request, constructed with `ctx`.
 */
export function contextStoreClass(shared = new Map<string, string>()) {
  return class ContextJsonStore implements SessionStore {
    static readonly shared = shared;
    constructor(readonly ctx: unknown) {}
    get(key: string): unknown {
      const json = shared.get(key);
      return json === undefined ? undefined : (JSON.parse(json) as unknown);
    }
    set(key: string, sess: SessionPayload): void {
      shared.set(key, JSON.stringify(sess));
    }
    destroy(key: string): void {
      shared.delete(key);
    }
  };
}
