/**
 * Flash messages: a value kept in the session for exactly the next request that reads it
 * ("Saved", "Wrong password", a form's errors and old input after a redirect).
 *
 * Storage: one session key per message, `$flash:<id>` -> `[name, value]`. Ordinary keys on the wire
 * (no `_` prefix, which koa-session and this library never persist), so cookies and store records
 * move between koa-session and this library with their messages. One key per message, not one key
 * for all of them, because stores merge a request's changes key by key (`patch`): a message set by
 * one request and a message consumed by a parallel one are then different keys and never overwrite
 * each other. Reading consumes through the store's `take` capability when it has one (an atomic
 * remove-and-return), so two parallel requests never both receive the same message.
 */
import { randomBytes } from 'node:crypto';
import { FLASH_PREFIX, isUnsafeKey } from './keys';
import type { Session } from './session';
import type { SessionData } from './types';

export { FLASH_PREFIX } from './keys';

/**
 * The flash messages of your app, by name. Augment it to type `ctx.flash`:
 *
 * @example
 * ```ts
 * declare module 'koa-typed-session' {
 *   interface FlashMessages { notice: string; cartError: string }
 * }
 * ```
 *
 * `errors` and `old` are what a form redirect flashes (see `@FormRedirect`). Undeclared names are
 * `unknown`, as in {@link SessionData}'s pattern.
 */
export interface FlashMessages {
  [name: string]: unknown;
  /** Field errors of a form that failed validation: field -> messages. */
  errors?: Record<string, string[]>;
  /** The submitted values of that form (minus secret fields), to refill it. */
  old?: Record<string, unknown>;
}

/** The names of a messages type, as strings. */
export type FlashName<M> = keyof M & string;

/** The messages a request received, read synchronously (after {@link Flash.load}). */
export interface FlashBag<M extends object = FlashMessages> {
  /** One received message, or `undefined`. */
  get<K extends FlashName<M>>(name: K): M[K] | undefined;
  /** Every received message, by name. */
  all(): Partial<M>;
  /** Sets a message for the next request. */
  set<K extends FlashName<M>>(name: K, value: M[K]): void;
  /** Keeps one received message (or all of them) for one more request. */
  keep(name?: FlashName<M>): void;
}

/** What {@link Flash} needs from the request's session lifecycle. */
export interface FlashHost {
  /** `ctx.session`, loaded. */
  session(): Session | null;
  /** Starts a new, empty session (after `ctx.session = null`): a message still reaches the next request. */
  renew(): Session;
  /**
   * Removes the named keys from the session, and from the stored record atomically when the store
   * can `take`; resolves to the values this request claimed (a parallel request may have claimed
   * some first).
   */
  claim(names: readonly string[]): ReadonlyMap<string, unknown> | Promise<ReadonlyMap<string, unknown>>;
}

let counter = 0;

/** A new message key: time-ordered (later messages of one name win), unique across processes. */
function newKey(): string {
  counter = (counter + 1) % 1_296; // two base36 digits
  const time = Date.now().toString(36).padStart(9, '0');
  return `${FLASH_PREFIX}${time}${counter.toString(36).padStart(2, '0')}${randomBytes(4).toString('hex')}`;
}

/** A stored entry as `[name, value]`, or `undefined` when it is not one (client input: never trusted). */
function entry(value: unknown): [string, unknown] | undefined {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string') return undefined;
  const name = value[0];
  if (isUnsafeKey(name)) return undefined;
  return [name, value[1]];
}

/**
 * `ctx.flash`: flash messages of one request. Created on first use; a request that never touches
 * it costs nothing (in cookie mode the session is not even loaded).
 *
 * @example
 * ```ts
 * ctx.flash.set('notice', 'Saved');             // shown by the next request that reads flash
 * const { notice } = await ctx.flash.all();     // what this request received: consumed
 * ctx.flash.keep('notice');                     // ...but kept for one more request
 * ```
 */
export class RequestFlash<M extends object = FlashMessages> implements Omit<FlashBag<M>, 'get' | 'all'> {
  #host: FlashHost;
  /** The received messages once claimed: name -> [key, value] (the latest key of each name). */
  #received: Map<string, [string, unknown]> | undefined;
  #loading: Promise<FlashBag<M>> | undefined;
  /** Keys of messages set in this request: never "received" by it. */
  #own = new Set<string>();
  /** `true`: keep all; a set: keep these names (applied when the messages are claimed). */
  #keep: true | Set<string> | undefined;
  #bag: FlashBag<M> | undefined;

  constructor(host: FlashHost) {
    this.#host = host;
  }

  /** Sets a message for the next request that reads flash messages (replacing one of the same name). */
  set<K extends FlashName<M>>(name: K, value: M[K]): void {
    if (typeof name !== 'string') {
      throw new TypeError(`koa-typed-session: a flash message needs a string name, got ${typeof name}.`);
    }
    const session = this.#host.session() ?? this.#host.renew();
    const key = newKey();
    this.#own.add(key);
    (session as SessionData)[key] = [name, value];
  }

  /** Keeps one received message (or, without a name, all of them) for one more request ("reflash"). */
  keep(name?: FlashName<M>): void {
    if (name === undefined) this.#keep = true;
    else if (this.#keep !== true) {
      this.#keep ??= new Set();
      this.#keep.add(name);
    }
    if (this.#received) this.#applyKeep();
  }

  /** Every message this request received, by name; consumed (gone after this request unless kept). */
  async all(): Promise<Partial<M>> {
    return (await this.load()).all();
  }

  /** One message this request received; consumes every received message (see {@link all}). */
  async get<K extends FlashName<M>>(name: K): Promise<M[K] | undefined> {
    return (await this.load()).get(name);
  }

  /**
   * Claims the messages this request received (once; later calls get the same answer) and returns
   * a synchronous view of them.
   */
  load(): Promise<FlashBag<M>> {
    return (this.#loading ??= this.#claim());
  }

  async #claim(): Promise<FlashBag<M>> {
    const session = this.#host.session();
    const names = session ? Object.keys(session).filter((k) => k.startsWith(FLASH_PREFIX) && !this.#own.has(k)) : [];
    const claimed = names.length > 0 ? await this.#host.claim(names) : new Map<string, unknown>();
    const received = new Map<string, [string, unknown]>();
    // Keys sort by time: a later message of the same name replaces an earlier one.
    for (const key of [...claimed.keys()].sort()) {
      const found = entry(claimed.get(key));
      if (found) received.set(found[0], [key, found[1]]);
    }
    this.#received = received;
    if (this.#keep) this.#applyKeep();
    return this.#view(received);
  }

  /** Puts kept messages back into the session under their own keys. */
  #applyKeep(): void {
    const keep = this.#keep;
    if (!keep || !this.#received) return;
    const session = this.#host.session() ?? this.#host.renew();
    for (const [name, [key, value]] of this.#received) {
      if (keep === true || keep.has(name)) (session as SessionData)[key] = [name, value];
    }
  }

  #view(received: Map<string, [string, unknown]>): FlashBag<M> {
    if (this.#bag) return this.#bag;
    const all = (): Partial<M> => {
      const out: Record<string, unknown> = {};
      for (const [name, [, value]] of received) out[name] = value;
      return out as Partial<M>;
    };
    return (this.#bag = {
      get: <K extends FlashName<M>>(name: K) => received.get(name)?.[1] as M[K] | undefined,
      all,
      set: (name, value) => this.set(name, value),
      keep: (name) => this.keep(name),
    });
  }
}
