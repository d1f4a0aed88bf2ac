import type { Context } from 'koa';
import { SessionConfigError } from '../core/errors';
import { normalizeOptions, type NormalizedOptions } from '../core/options';
import type { SessionStore } from '../core/types';
import type { KoaSessionOptions } from '../koa/middleware';

/** Options of `SessionModule`: every session option, plus the keys that sign the cookies. */
export interface SessionModuleOptions extends KoaSessionOptions {
  /** Signing keys (`app.keys`), newest first; may come from here instead of `createApp({ keys })`. */
  keys?: string[];
}

/** Checks a list of signing keys. @throws SessionConfigError naming `option`. */
export function checkKeys(option: string, keys: unknown): string[] {
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && k.length > 0)) {
    throw new SessionConfigError(
      option,
      'must be a non-empty array of non-empty strings',
      'For example `keys: [process.env.SESSION_SECRET!]` (newest key first).',
    );
  }
  return [...(keys as string[])];
}

/**
 * The app's session configuration, validated: an injectable class (registered by `SessionModule`)
 * for services that need to know how sessions are set up. Constructing it checks every option.
 *
 * @example
 * ```ts
 * @injectable()
 * class Diagnostics {
 *   constructor(private readonly config: SessionConfig) {}
 *   describe() { return `${this.config.key}, ${this.config.storeMode ? 'store' : 'cookie'} sessions`; }
 * }
 * ```
 * @throws SessionConfigError naming the invalid option.
 */
export class SessionConfig {
  /** The normalised options (defaults filled in), frozen. */
  readonly options: NormalizedOptions<Context>;
  /** The options as given (a frozen copy, without `keys`), from which the middleware is built. */
  readonly source: Readonly<KoaSessionOptions>;
  /** Signing keys given to the module, if any. */
  readonly keys: readonly string[] | undefined;

  constructor(options: SessionModuleOptions = {}) {
    const { keys, ...rest } = options;
    this.keys = keys === undefined ? undefined : Object.freeze(checkKeys('keys', keys));
    this.options = normalizeOptions<Context>(rest, ['keys']);
    this.source = Object.freeze(rest);
  }

  /** The cookie name. */
  get key(): string {
    return this.options.key;
  }

  /** The session lifetime (ms or `'session'`); `undefined` means koa-session's default of one day. */
  get maxAge(): NormalizedOptions['maxAge'] {
    return this.options.maxAge;
  }

  /** The store, when sessions live in one (`undefined` for cookie sessions or a ContextStore). */
  get store(): SessionStore<Context> | undefined {
    return this.options.store;
  }

  /** True when the cookie carries only an id and the data lives in a store. */
  get storeMode(): boolean {
    return this.options.store !== undefined || this.options.ContextStore !== undefined;
  }
}
