import { SessionError } from '../core/errors';

/**
 * Fails with one clear message when an optional peer dependency of a subpath entry is not
 * installed (instead of Node's "Cannot find module" from deep inside the library).
 */
export function requirePeers(entry: string, names: readonly string[]): void {
  const missing = names.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  const list = missing.join(', ');
  throw new SessionError(
    `koa-typed-session: '${entry}' needs ${missing.length === 1 ? 'the package' : 'the packages'} ${list}, ` +
      `which ${missing.length === 1 ? 'is' : 'are'} not installed (optional peer dependencies). ` +
      `Install ${missing.length === 1 ? 'it' : 'them'}: npm install ${missing.join(' ')}`,
    { code: 'ERR_SESSION_PEER_MISSING', status: 500, expose: false },
  );
}
