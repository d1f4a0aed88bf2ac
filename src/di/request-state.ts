/**
 * One request's typed session views. Each schema class gets one live instance per request (its
 * "binding"); the instance is the source of truth while the request runs, and its changes are
 * written back into `ctx.session` (validated first) before the engine commits.
 */
import type { Context } from 'koa';
import { SessionStateError, SessionValidationError, type SessionFieldError } from '../core/errors';
import { Session as EngineSession } from '../core/session';
import type { SessionData, SessionEvent } from '../core/types';
import { check, readData, toInstance, toPlain, type CompiledSchema } from './validate-session';

/** Payload of `session:invalid` when stored data fails a schema (reason `'schema'`). */
export interface SchemaInvalidEvent extends SessionEvent<Context> {
  reason: 'schema';
  /** The schema class's name. */
  schema: string;
  errors: SessionFieldError[];
}

interface Binding {
  readonly schema: CompiledSchema;
  readonly instance: object;
  /** Per-key JSON of the data this instance was last read from or written to. */
  base: Map<string, string>;
  /** JSON of the instance as last synced: unchanged instances are neither validated nor written. */
  synced: string;
}

/** Keys the engine keeps for itself: never written from a schema instance. */
function reserved(key: string): boolean {
  return key === 'isNew' || key.charCodeAt(0) === 95 /* _ */ || key in EngineSession.prototype;
}

function perKey(data: Record<string, unknown>): Map<string, string> {
  const map = new Map<string, string>();
  for (const key of Object.keys(data)) {
    const json = JSON.stringify(data[key]);
    if (json !== undefined && !reserved(key)) map.set(key, json);
  }
  return map;
}

function resetInPlace(instance: object, type: new () => object): void {
  for (const key of Object.keys(instance)) Reflect.deleteProperty(instance, key);
  Object.assign(instance, new type());
}

/** The per-request state the decorator module keeps in its AsyncLocalStorage. */
export class RequestState {
  /** Set when the request's middleware chain has finished: later use is an error. */
  closed = false;
  private readonly loads = new Map<object, Promise<Binding>>();
  private readonly bound: Binding[] = [];

  constructor(
    readonly ctx: Context,
    private readonly sessionsEnabled: boolean,
  ) {}

  /** `ctx.session` (the engine's object), or `null` once destroyed. */
  session(): (EngineSession & SessionData) | null {
    if (!this.sessionsEnabled) {
      throw new SessionStateError(
        'no session middleware in this app. Add `SessionModule.forRoot({...})` to the `imports` of createApp().',
      );
    }
    return this.ctx.session;
  }

  /** The request's live instance of `schema`, loaded and validated on first use. */
  get<T extends object>(schema: CompiledSchema<T>): Promise<T> {
    let load = this.loads.get(schema.type);
    if (!load) {
      load = this.load(schema);
      this.loads.set(schema.type, load);
      // A failed load (e.g. rejected data) is not cached: the next caller gets the error afresh.
      load.catch(() => this.loads.delete(schema.type));
    }
    return load.then((binding) => binding.instance as T);
  }

  private async load(schema: CompiledSchema): Promise<Binding> {
    await this.flush(); // edits made through another schema's instance become visible first
    const session = this.session();
    let data = session ? readData(session.toJSON()) : {};
    let instance = toInstance(schema, data);
    if (session && Object.keys(data).length > 0) {
      const errors = await check(schema, instance);
      if (errors.length > 0) {
        if (schema.onInvalid === 'reject') throw new SessionValidationError(schema.name, errors);
        this.emitInvalid(schema, data, errors);
        instance = new schema.type();
        data = toPlain(instance);
        this.replaceAll(session, data);
      }
    }
    const binding: Binding = { schema, instance, base: perKey(data), synced: JSON.stringify(toPlain(instance)) };
    this.bound.push(binding);
    return binding;
  }

  /**
   * Writes every changed instance into `ctx.session`. All changed instances are validated before
   * any is written, so a failure leaves `ctx.session` (and therefore the store) untouched.
   * @throws SessionValidationError listing the invalid fields.
   */
  async flush(): Promise<void> {
    const changed: Array<{ binding: Binding; plain: Record<string, unknown>; json: string }> = [];
    for (const binding of this.bound) {
      const plain = toPlain(binding.instance);
      const json = JSON.stringify(plain);
      if (json !== binding.synced) changed.push({ binding, plain, json });
    }
    if (changed.length === 0) return;
    for (const { binding } of changed) {
      const errors = await check(binding.schema, binding.instance);
      if (errors.length > 0) throw new SessionValidationError(binding.schema.name, errors);
    }
    const session = this.session();
    for (const entry of changed) {
      const { binding } = entry;
      // Validation with `whitelist` strips properties: only then is the instance read again.
      const plain = binding.schema.validator.whitelist ? toPlain(binding.instance) : entry.plain;
      const next = perKey(plain);
      if (session) {
        for (const [key, json] of next)
          if (binding.base.get(key) !== json) (session as SessionData)[key] = JSON.parse(json) as unknown;
        for (const key of binding.base.keys()) if (!next.has(key)) Reflect.deleteProperty(session, key);
      }
      binding.base = next;
      binding.synced = plain === entry.plain ? entry.json : JSON.stringify(plain);
    }
  }

  /** After `destroy()` or `regenerate({ keepData: false })`: every instance becomes a fresh one, in place. */
  resetAll(): void {
    for (const binding of this.bound) {
      resetInPlace(binding.instance, binding.schema.type);
      binding.base = new Map();
      binding.synced = JSON.stringify(toPlain(binding.instance));
    }
  }

  /** Removes every persisted key from `ctx.session`. */
  clearData(session: EngineSession): void {
    for (const key of Object.keys(session.toJSON())) Reflect.deleteProperty(session, key);
  }

  private replaceAll(session: EngineSession, data: Record<string, unknown>): void {
    this.clearData(session);
    for (const [key, json] of perKey(data)) (session as SessionData)[key] = JSON.parse(json) as unknown;
  }

  private emitInvalid(schema: CompiledSchema, value: unknown, errors: SessionFieldError[]): void {
    const { ctx } = this;
    const event: SchemaInvalidEvent = { key: ctx.sessionId, value, ctx, reason: 'schema', schema: schema.name, errors };
    // Asynchronous, like the engine's own events (and koa-session's): a listener cannot break the request.
    setImmediate(() => ctx.app.emit('session:invalid', event));
  }
}
