/**
 * Which store keys this configuration could have issued. A key read from the cookie (unsigned with
 * `signed: false`) or from `externalKey` is client input: one that `genid` could not have produced
 * never reaches the store, so a client cannot name another key of a shared keyspace (a neighbour's
 * `feature-flags`, the per-user index `user:42`) as its session.
 *
 * - Default `genid`: `prefix` followed by a UUID (`crypto.randomUUID()`, as koa-session 7; hex in
 *   either case).
 * - A custom `genid`: 1 to {@link MAX_KEY_LENGTH} printable ASCII characters (`!` to `~`: no space,
 *   no control or non-ASCII character). A custom `genid` must return keys of that shape; one that
 *   does not fails the request that generated it (SessionStateError), so the mistake shows at once.
 */

/** The longest store key a custom `genid` may return. */
export const MAX_KEY_LENGTH = 256;

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const CUSTOM_KEY = new RegExp(`^[\\x21-\\x7e]{1,${MAX_KEY_LENGTH}}$`);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The test of keys the configuration could have issued (see the file header). */
export function issuedKeyTest(prefix: string | undefined, customGenid: boolean): (key: string) => boolean {
  if (customGenid) return (key) => CUSTOM_KEY.test(key);
  const shape = new RegExp(`^${escapeRegExp(prefix ?? '')}${UUID}$`);
  return (key) => shape.test(key);
}

/** What a custom `genid` must return, for error messages. */
export const CUSTOM_KEY_RULE = `1 to ${MAX_KEY_LENGTH} printable ASCII characters (no space, control or non-ASCII character)`;
