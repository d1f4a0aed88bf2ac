import { createHmac, randomUUID } from 'node:crypto';
import { MemoryStore, createCookieSealer } from 'koa-typed-session';
import type { Pair } from './fuzz-harness';
import { describeHostile } from './hostile-suite';
import { SECRET_NEW } from './security-helpers';

const KEYS = ['fuzz-key-new', 'fuzz-key-old'];

/** Ids the server never issued, correctly signed (as if app.keys had leaked): still no session. */
function unknownSignedIds(name: string): Pair[][] {
  return Array.from({ length: 4 }, (_, i) => {
    const id = i === 0 ? '__proto__' : randomUUID();
    const sig = createHmac('sha1', KEYS[0]!).update(`${name}=${id}`).digest('base64url');
    return [
      [name, id],
      [`${name}.sig`, sig],
    ];
  });
}

describeHostile('store mode (signed id)', {
  options: () => ({ store: new MemoryStore({ maxEntries: 1_000_000 }) }),
  keys: KEYS,
  foreignOptions: () => ({ store: new MemoryStore() }),
  foreignKeys: ['some-other-app-key'],
  codec: 'id',
  trusted: true,
  extra: unknownSignedIds,
});

describeHostile('store mode with an encrypted id', {
  options: () => ({ store: new MemoryStore({ maxEntries: 1_000_000 }), encrypt: { keys: [SECRET_NEW] } }),
  keys: null,
  foreignOptions: () => ({ store: new MemoryStore(), encrypt: { keys: ['w'.repeat(40)] } }),
  foreignKeys: null,
  codec: 'id',
  trusted: true,
  extra: (name) => {
    const sealer = createCookieSealer({ keys: [SECRET_NEW] }, name);
    return [[[name, sealer.seal(randomUUID())]], [[name, sealer.seal('')]], [[name, sealer.seal('__proto__')]]];
  },
});
