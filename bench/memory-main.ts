/**
 * Resident size of 100,000 sessions held in memory: our MemoryStore (JSON strings, as it keeps
 * them) and, for comparison, the Map of payload objects that the koa-session scenario uses.
 * Run as `node --expose-gc memory-main.js <store>`; answers over IPC.
 */
import { randomUUID } from 'node:crypto';
import { MemoryStore } from 'koa-typed-session';

const COUNT = 100_000;
const DAY = 86_400_000;

function settle(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage.rss();
}

function payload(i: number): Record<string, unknown> {
  return { view: i % 100, user: `user-${i}`, _expire: Date.now() + DAY, _maxAge: DAY };
}

function main(): void {
  const which = process.argv[2];
  const before = settle();
  let keep: unknown;
  if (which === 'memory-store') {
    const store = new MemoryStore({ maxEntries: COUNT });
    for (let i = 0; i < COUNT; i++) store.set(randomUUID(), payload(i), DAY + 10_000);
    if (store.size !== COUNT) throw new Error(`expected ${COUNT} sessions, the store holds ${store.size}`);
    keep = store;
  } else {
    const map = new Map<string, unknown>();
    for (let i = 0; i < COUNT; i++) map.set(randomUUID(), payload(i));
    keep = map;
  }
  const after = settle();
  process.send?.({
    which,
    count: COUNT,
    rssBefore: before,
    rssAfter: after,
    bytesPerSession: (after - before) / COUNT,
    kept: keep !== undefined,
  });
  process.exit(0);
}

main();
