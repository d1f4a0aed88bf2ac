import { MAX_COOKIE_BYTES } from './cookie-format';
import { SessionStateError } from './errors';
import type { NormalizedOptions } from './options';
import { isCanonicalCookie, rejection } from './payload';
import { CUSTOM_KEY_RULE } from './session-id';
import type { Session } from './session';
import { callStore, isThenable } from './store-call';
import type { StoreKeys } from './store-keys';
import type {
  CookieJar,
  CookieReadOptions,
  CookieWriteOptions,
  MaxAge,
  SessionEvent,
  SessionPayload,
  SessionStore,
} from './types';

/** What the engine needs from the host framework for one request. */
export interface RequestPort<Ctx> {
  /** The host's request context (Koa's `ctx`), handed to hooks and stores. */
  readonly ctx: Ctx;
  /** The request's cookies. */
  readonly jar: CookieJar;
  /** Emits an app event (asynchronously, as koa-session does). */
  emit(
    event: 'session:missed' | 'session:expired' | 'session:invalid' | 'session:error',
    payload: SessionEvent<Ctx>,
  ): void;
  /** Whether the request arrived over HTTPS (honouring the host's proxy setting). */
  isSecure(): boolean;
  /** The Set-Cookie headers written so far (attached to rethrown decode errors). */
  outgoingCookies(): string[];
  /** Clock, injectable for tests. */
  now(): number;
}

/**
 * What loading needs from the request's coordinator ({@link SessionContext}): its collaborators
 * and this request's view of the options, read-only, plus the few state transitions loading
 * causes, as methods. The coordinator owns the state; loading only asks it to change.
 */
export interface LoadingRequest<Ctx> extends CookieReadOptions {
  readonly port: RequestPort<Ctx>;
  readonly opts: NormalizedOptions<Ctx>;
  readonly store: SessionStore<Ctx> | undefined;
  /** The store-key lifecycle (store mode). */
  readonly keys: StoreKeys;
  /** This request's cookie name (`ctx.sessionOptions.key` once that was read). */
  readonly key: string;
  /** Whether this request's cookie is signed. */
  readonly signed: boolean;
  /** The cookie is there but its signature is wrong or missing: `session:invalid` with that reason. */
  onTampered(reason: 'bad-signature' | 'missing-signature'): void;
  /** Whether this request re-saves an unchanged session. */
  readonly rolling: boolean;
  /** This request's session lifetime. */
  readonly maxAge: MaxAge | undefined;
  /** The cookie attributes for this request. */
  cookieOptions(maxAge: number | undefined): CookieWriteOptions;
  /** Makes `ctx.session` a session holding `data` (a new, empty one without). */
  begin(data?: SessionPayload): Session;
  /** The cookie was opened by an older `encrypt` key: the commit re-seals it. */
  openedByOldKey(): void;
  /** The store failed and `onStoreError: 'continue'`: the session is never saved. */
  storeFailed(): void;
}

/**
 * Loading: reading the cookie (signature, size, decryption), decoding it or asking the store, the
 * expiry and validity checks, and the koa-session events on rejection. Stateless: every function
 * takes the request it loads for, so loading allocates nothing of its own per request.
 */

/** Loads the session from the store (store mode), before the handler runs. */
export async function loadFromStore<Ctx>(req: LoadingRequest<Ctx>): Promise<void> {
  const { opts, port, keys } = req;
  const store = req.store!;
  const key = opts.externalKey ? opts.externalKey.get(port.ctx) : readCookie(req);
  if (!key) {
    await beginFresh(req);
    return;
  }
  if (!opts.isIssuedKey(key)) {
    // Not an id genid could have issued (a foreign key of a shared keyspace, the user index, a
    // 1 kB string): never asked of the store. The key is not echoed into the event.
    reject(req, 'invalid', undefined, undefined, 'malformed-id');
    await beginFresh(req);
    return;
  }
  let data: unknown;
  try {
    data = await callStore('get', () => store.get(key, req.maxAge, { rolling: req.rolling, ctx: port.ctx }), opts);
  } catch (err) {
    if (opts.onStoreError === 'fail') throw err;
    port.emit('session:error', { key, value: undefined, ctx: port.ctx, reason: 'store-get', errors: err });
    req.storeFailed();
    await beginFresh(req);
    // The record may still exist: a logout (`ctx.session = null`) must still destroy it.
    keys.persisted = key;
    return;
  }
  if (!(await accept(req, data, key))) {
    await beginFresh(req);
    return;
  }
  req.begin(data as SessionPayload);
  keys.adopt(key);
}

/** Loads the session from the cookie (cookie mode); synchronous unless the `valid` hook is async. */
export function loadFromCookie<Ctx>(req: LoadingRequest<Ctx>): Session | Promise<Session> {
  const { opts, port } = req;
  const value = readCookie(req);
  if (!value) return req.begin();
  let data: unknown;
  try {
    data = opts.decode(value);
  } catch (err) {
    if (!opts.defaultCodec && err instanceof Error && !(err instanceof SyntaxError)) {
      // koa-session: a custom decoder's own error clears the cookie and propagates (500).
      port.jar.set(req.key, '', req.cookieOptions(undefined));
      Reflect.set(err, 'headers', { 'set-cookie': port.outgoingCookies() });
      throw err;
    }
    reject(req, 'invalid', undefined, value, 'malformed');
    return req.begin();
  }
  if (!req.signed && !opts.sealer && opts.defaultCodec && !isCanonicalCookie(value, data, req.key, opts)) {
    reject(req, 'invalid', undefined, value, 'malformed');
    return req.begin();
  }
  const verdict = accept(req, data, undefined);
  if (isThenable(verdict)) return verdict.then((ok) => (ok ? req.begin(data as SessionPayload) : req.begin()));
  return verdict ? req.begin(data as SessionPayload) : req.begin();
}

/** Expiry and validity checks of loaded data; emits the koa-session events on rejection. */
function accept<Ctx>(req: LoadingRequest<Ctx>, data: unknown, key: string | undefined): boolean | Promise<boolean> {
  const { opts, port } = req;
  const rejected = rejection(data, req.store !== undefined, port.now(), opts.absoluteTimeout);
  if (rejected) return reject(req, rejected.kind, key, data, rejected.reason);
  const valid = opts.valid;
  if (!valid) return true;
  const verdict = valid(port.ctx, data as SessionPayload);
  const judge = (ok: unknown): boolean => (ok ? true : reject(req, 'invalid', key, data, 'valid-hook'));
  return isThenable(verdict) ? Promise.resolve(verdict).then(judge) : judge(verdict);
}

/** The cookie's signature is wrong or missing: `session:invalid` with that reason (see {@link LoadingRequest.onTampered}). */
export function rejectTampered<Ctx>(req: LoadingRequest<Ctx>, reason: 'bad-signature' | 'missing-signature'): void {
  reject(req, 'invalid', undefined, undefined, reason);
}

function reject<Ctx>(
  req: LoadingRequest<Ctx>,
  kind: 'missed' | 'expired' | 'invalid',
  key: string | undefined,
  value: unknown,
  reason: string,
): false {
  req.port.emit(`session:${kind}`, { key, value, ctx: req.port.ctx, reason });
  return false;
}

/** The cookie's value: signature checked, opened when encrypted. `undefined`: no usable cookie. */
function readCookie<Ctx>(req: LoadingRequest<Ctx>): string | undefined {
  const { opts } = req;
  // The request is its own read options (`signed`, `onTampered`): nothing is allocated per read.
  const value = req.port.jar.get(req.key, req);
  // No browser sends a cookie over the limit, and this library never writes one (unless
  // `oversizedCookie: 'warn'`): don't spend a decode or a store lookup on it.
  if (value && value.length > MAX_COOKIE_BYTES) {
    reject(req, 'invalid', undefined, undefined, 'oversized');
    return undefined;
  }
  if (!value || !opts.sealer) return value;
  const opened = opts.sealer.unseal(value);
  if (!opened) {
    reject(req, 'invalid', undefined, value, 'undecryptable');
    return undefined;
  }
  if (opened.keyIndex > 0) req.openedByOldKey();
  return opened.plaintext;
}

/** An empty session; with a store, under a new key. */
async function beginFresh<Ctx>(req: LoadingRequest<Ctx>): Promise<void> {
  req.begin();
  if (req.store) req.keys.current = await newKey(req.port.ctx, req.opts);
}

/** A new store key from `genid`, checked. @throws SessionStateError when genid returns an unusable key. */
export async function newKey<Ctx>(ctx: Ctx, opts: NormalizedOptions<Ctx>): Promise<string> {
  const id: unknown = await opts.genid(ctx);
  if (typeof id !== 'string' || id === '') {
    throw new SessionStateError(`genid must return a non-empty string, got ${typeof id}. Fix the \`genid\` option.`);
  }
  if (!opts.isIssuedKey(id)) {
    throw new SessionStateError(
      `genid returned a key that is not ${CUSTOM_KEY_RULE} (${id.length} characters): such a key would never load again. Fix the \`genid\` option.`,
    );
  }
  return id;
}
