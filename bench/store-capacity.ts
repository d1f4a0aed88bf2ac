/**
 * `npm run bench -- store-capacity`: what one new session costs a MemoryStore holding 50,000
 * sessions, below its `maxEntries` and at it (where each new session evicts one). In-process, in
 * batches, reporting the fastest batch (see micro.ts for why the minimum). With BENCH_BEFORE=<ref>
 * the same runs on that commit's MemoryStore, batch for batch.
 *
 * Environment: STORE_ENTRIES (sessions held, 50000), STORE_BATCH (new sessions per batch, 1000),
 * STORE_BATCHES (per case, 30), STORE_SECONDS (time bound per case, 5).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type MemoryStore as MemoryStoreClass } from 'koa-typed-session';

type Ctor = typeof MemoryStoreClass;

const DAY = 86_400_000;
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

function payload(i: number): Record<string, unknown> {
  return { view: i % 100, user: `user-${i}`, _expire: Date.now() + DAY, _maxAge: DAY };
}

/** µs per new session, fastest batch. */
function measure(MemoryStore: Ctor, atCapacity: boolean): number {
  const entries = num('STORE_ENTRIES', 50_000);
  const batch = num('STORE_BATCH', 1000);
  const batches = num('STORE_BATCHES', 30);
  const deadline = Date.now() + num('STORE_SECONDS', 5) * 1000;
  const store = new MemoryStore({ maxEntries: atCapacity ? entries : entries * 2 });
  for (let i = 0; i < entries; i++) store.set(randomUUID(), payload(i), DAY + 10_000);
  let best = Infinity;
  for (let b = 0; b < batches && Date.now() < deadline; b++) {
    const keys = Array.from({ length: batch }, () => randomUUID());
    const data = keys.map((_, i) => payload(i));
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) store.set(keys[i]!, data[i]!, DAY + 10_000);
    const us = Number(process.hrtime.bigint() - start) / 1000 / batch;
    best = Math.min(best, us);
    // Below capacity, keep the size steady (outside the timing).
    if (!atCapacity) for (const key of keys) store.destroy(key);
    if (store.size !== entries) throw new Error(`expected ${entries} sessions, the store holds ${store.size}`);
  }
  return best;
}

export async function storeCapacity({ build, before }: { build: string; before?: string }): Promise<number> {
  const load = async (dir: string): Promise<Ctor> =>
    ((await import(join(dir, 'src', 'stores', 'memory-store.js'))) as { MemoryStore: Ctor }).MemoryStore;
  const subjects: Array<[string, Ctor]> = [['ours', await load(build)]];
  if (before) subjects.push([`before (${before})`, await load(join(build, 'before'))]);
  const rows = ['| store | below capacity (µs/new session) | at capacity (µs/new session) |', '|---|---:|---:|'];
  for (const [name, ctor] of subjects) {
    const below = measure(ctor, false);
    const at = measure(ctor, true);
    rows.push(`| ${name} | ${below.toFixed(2)} | ${at.toFixed(2)} |`);
  }
  console.log(`MemoryStore holding ${num('STORE_ENTRIES', 50_000)} sessions, fastest batch:\n`);
  console.log(rows.join('\n'));
  return 0;
}
