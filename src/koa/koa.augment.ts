import type { FlashMessages, RequestFlash } from '../core/flash';
import type { Session } from '../core/session';
import type { SessionData } from '../core/types';

declare module 'koa' {
  interface DefaultContext {
    /**
     * The request's session (koa-typed-session), `null` after `ctx.session = null`.
     * Declare your own keys by augmenting `SessionData` from 'koa-typed-session'.
     */
    get session(): (Session & SessionData) | null;
    /** Assign `null` to destroy the session, or an object to replace its data. */
    set session(value: SessionData | null);
    /** This request's copy of the session options; changes apply to this request only. */
    readonly sessionOptions: Record<string, unknown>;
    /** The session's store id (store mode); `undefined` in cookie mode. */
    readonly sessionId: string | undefined;
    /**
     * Flash messages: `set` one for the next request, `await all()` / `await get(name)` to read
     * (and consume) what this request received, `keep` to re-flash. Type the names by augmenting
     * `FlashMessages` from 'koa-typed-session'.
     */
    readonly flash: RequestFlash<FlashMessages>;
  }
}

export {};
