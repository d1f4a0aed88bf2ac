/**
 * One request's typed session views. Each schema class gets one live instance per request (its
 * "binding"); the instance is the source of truth while the request runs, and its changes are
 * written back into `ctx.session` (validated first) before the engine commits.
 */
import type { Context } from 'koa';
import { SessionStateError, SessionValidationError, type SessionFieldError } from '../core/errors';
import { FLASH_PREFIX, isReservedForSchemas, jsonByKey } from '../core/keys';
import { andThen } from '../core/maybe-promise';
import type { Session as EngineSession } from '../core/session';
import type { SessionData, SessionEvent } from '../core/types';
import { check, checkSync, readData, toInstance, toJsonByKey, type CompiledSchema } from './validate-session';

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
  /** Per-key JSON of the data in `ctx.session` this instance was last read from or written to. */
  base: Map<string, string>;
  /** Per-key JSON of the instance as last synced: unchanged instances are neither validated nor written. */
  synced: Map<string, string>;
}

/** A changed instance, with its per-key JSON. */
interface Change {
  readonly binding: Binding;
  readonly json: Map<string, string>;
}

/** The session's data without flash messages: they are not the schema's business. */
function schemaData(data: SessionData): SessionData {
  for (const key of Object.keys(data)) if (key.startsWith(FLASH_PREFIX)) delete data[key];
  return data;
}

function perKey(data: Record<string, unknown>): Map<string, string> {
  return jsonByKey(data, (key) => !isReservedForSchemas(key));
}

function onlyKeys(data: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (keys.has(key)) view[key] = data[key];
  return view;
}

function withoutReserved(json: Map<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of json) if (!isReservedForSchemas(key)) map.set(key, value);
  return map;
}

function sameJson(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, json] of a) if (b.get(key) !== json) return false;
  return true;
}

function resetInPlace(instance: object, type: new () => object): void {
  for (const key of Object.keys(instance)) Reflect.deleteProperty(instance, key);
  Object.assign(instance, new type());
}

/** What a load read before validation. */
interface Read {
  readonly session: (EngineSession & SessionData) | null;
  readonly data: Record<string, unknown>;
  readonly instance: object;
  readonly validate: boolean;
}

/** The per-request state the decorator module keeps in its AsyncLocalStorage. */
export class RequestState {
  /** Set when the request's middleware chain has finished: later use is an error. */
  closed = false;
  private readonly loads = new Map<object, Promise<Binding>>();
  private readonly bound: Binding[] = [];
  /** True while every bound schema validates synchronously: loads and flushes then need no promise. */
  private allSync = true;

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

  /**
   * The request's live instance of `schema`, loaded and validated on first use. Synchronous
   * (a value, or a thrown error) when every schema involved validates synchronously.
   */
  get<T extends object>(schema: CompiledSchema<T>): T | Promise<T> {
    for (const binding of this.bound) if (binding.schema.type === schema.type) return binding.instance as T;
    let load = this.loads.get(schema.type);
    if (!load) {
      if (schema.sync && this.allSync && this.loads.size === 0) {
        // flush() is synchronous here (every bound schema is): so is this whole load.
        // Edits made through another schema's instance become visible first.
        return andThen(this.flush(), () => {
          const read = this.read(schema);
          return this.bind(schema, read, read.validate ? checkSync(schema, read.instance) : []).instance as T;
        });
      }
      load = this.load(schema);
      this.loads.set(schema.type, load);
      // A failed load (e.g. rejected data) is not cached: the next caller gets the error afresh.
      load.then(
        () => this.loads.delete(schema.type),
        () => this.loads.delete(schema.type),
      );
    }
    return load.then((binding) => binding.instance as T);
  }

  private async load(schema: CompiledSchema): Promise<Binding> {
    await this.flush(); // edits made through another schema's instance become visible first
    const read = this.read(schema);
    return this.bind(schema, read, read.validate ? await check(schema, read.instance) : []);
  }

  private read(schema: CompiledSchema): Read {
    const session = this.session();
    let data = session ? readData(schemaData(session.toJSON())) : {};
    if (session && schema.obsolete.length > 0) {
      // The one explicit way a schema removes keys it does not declare (`obsoleteKeys`).
      for (const key of schema.obsolete) {
        if (Object.hasOwn(data, key)) Reflect.deleteProperty(session, key);
        delete data[key];
      }
    }
    // A whitelist schema's view is its own keys: other schemas' and plain code's keys stay out of it.
    if (schema.scope) data = onlyKeys(data, schema.scope);
    // A new or empty session has nothing stored to validate: the instance is the schema's defaults.
    return {
      session,
      data,
      instance: toInstance(schema, data),
      validate: session !== null && Object.keys(data).length > 0,
    };
  }

  /** Applies the schema's policy to the load's validation errors and binds the instance. */
  private bind(schema: CompiledSchema, { session, data, instance }: Read, errors: SessionFieldError[]): Binding {
    let base: Map<string, string>;
    if (session && errors.length > 0) {
      if (schema.onInvalid === 'reject') throw new SessionValidationError(schema.name, errors);
      this.emitInvalid(schema, data, errors);
      instance = new schema.type();
      base = withoutReserved(toJsonByKey(instance));
      this.resetDeclared(session, schema, base);
    } else {
      base = perKey(data);
    }
    const binding: Binding = { schema, instance, base, synced: toJsonByKey(instance) };
    this.bound.push(binding);
    if (!schema.sync) this.allSync = false;
    return binding;
  }

  private changes(): Change[] {
    const changed: Change[] = [];
    for (const binding of this.bound) {
      const json = toJsonByKey(binding.instance);
      if (!sameJson(json, binding.synced)) changed.push({ binding, json });
    }
    return changed;
  }

  /**
   * Writes every changed instance into `ctx.session`. All changed instances are validated before
   * any is written, so a failure leaves `ctx.session` (and therefore the store) untouched.
   * Synchronous (returns nothing, or throws) when every bound schema validates synchronously.
   * @throws SessionValidationError listing the invalid fields.
   */
  flush(): void | Promise<void> {
    const changed = this.changes();
    if (changed.length === 0) return;
    const sync = this.allSync;
    // Validates the changed instances one after the other, then writes them all.
    const verify = (i: number): void | Promise<void> => {
      if (i === changed.length) return this.write(changed);
      const { schema, instance } = changed[i]!.binding;
      return andThen(sync ? checkSync(schema, instance) : check(schema, instance), (errors) => {
        if (errors.length > 0) throw new SessionValidationError(schema.name, errors, schema.saveStatus);
        return verify(i + 1);
      });
    };
    return verify(0);
  }

  private write(changed: Change[]): void {
    const session = this.session();
    for (const { binding, json } of changed) {
      // Validation with `whitelist` strips properties: only then is the instance read again.
      const all = binding.schema.validator.whitelist ? toJsonByKey(binding.instance) : json;
      const next = withoutReserved(all);
      if (session) {
        for (const [key, value] of next)
          if (binding.base.get(key) !== value) (session as SessionData)[key] = JSON.parse(value) as unknown;
        for (const key of binding.base.keys()) if (!next.has(key)) Reflect.deleteProperty(session, key);
      }
      binding.base = next;
      binding.synced = all;
    }
  }

  /** After `destroy()` or `regenerate({ keepData: false })`: every instance becomes a fresh one, in place. */
  resetAll(): void {
    for (const binding of this.bound) {
      resetInPlace(binding.instance, binding.schema.type);
      binding.base = new Map();
      binding.synced = toJsonByKey(binding.instance);
    }
  }

  /** Removes every persisted key from `ctx.session`. */
  clearData(session: EngineSession): void {
    for (const key of Object.keys(session.toJSON())) Reflect.deleteProperty(session, key);
  }

  /** Replaces the schema's declared keys with the fresh instance's values; other keys survive. */
  private resetDeclared(session: EngineSession, schema: CompiledSchema, json: Map<string, string>): void {
    for (const key of schema.declared) if (!isReservedForSchemas(key)) Reflect.deleteProperty(session, key);
    for (const [key, value] of json) (session as SessionData)[key] = JSON.parse(value) as unknown;
  }

  private emitInvalid(schema: CompiledSchema, value: unknown, errors: SessionFieldError[]): void {
    const { ctx } = this;
    const event: SchemaInvalidEvent = { key: ctx.sessionId, value, ctx, reason: 'schema', schema: schema.name, errors };
    // Asynchronous, like the engine's own events (and koa-session's): a listener cannot break the request.
    setImmediate(() => ctx.app.emit('session:invalid', event));
  }
}
