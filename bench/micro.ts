/**
 * `npm run bench -- micro`: the per-request CPU cost of each app, measured in-process without
 * sockets (requests injected into `app.callback()`), in alternating batches, reporting the fastest
 * batch. Preemption by other processes only ever adds time, so the minimum over many batches is a
 * stable figure on a shared machine, where req/s over loopback is not. With BENCH_BEFORE=<ref>,
 * our apps also run on that commit's src/, batch for batch: the way to measure one change.
 *
 * Environment: MICRO_BATCH (requests per batch, 2000), MICRO_BATCHES (per app, 40), BENCH_ONLY
 * (regex over app ids), MICRO_ALLOC=1 (also bytes allocated per request).
 */
import { IncomingMessage, ServerResponse, type RequestListener } from 'node:http';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import type { AppEnv } from './apps';
import { startRedis, type RedisHandle } from './redis-server';
import { checkResponse, type Expectation } from './load';
import { LAYERS, ROWS, SCENARIOS } from './scenarios';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One request through Node's real req/res objects, minus the socket. */
async function inject(handler: RequestListener, path: string, cookie: string): Promise<Reply> {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = path;
  req.headers = cookie ? { host: 'bench', cookie } : { host: 'bench' };
  req.push(null);
  const res = new ServerResponse(req);
  let body = '';
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    if (typeof chunk === 'string') body = chunk;
    return end(chunk);
  }) as typeof res.end;
  await (handler(req, res) as unknown as Promise<void>);
  const setCookie = res.getHeader('set-cookie');
  return { status: res.statusCode, body, headers: { 'set-cookie': Array.isArray(setCookie) ? setCookie : undefined } };
}

interface Subject {
  name: string;
  handler: RequestListener;
  path: string;
  cookie: string;
  expect: Expectation;
  best: number;
  /** Least process CPU (user + system) per request in a batch: for Redis, where wall time is mostly waiting. */
  cpu: number;
  /** Fewest bytes allocated per request in a batch (MICRO_ALLOC=1). */
  bytes: number;
}

async function subject(name: string, appsDir: string, scenarioId: string, env: AppEnv): Promise<Subject | undefined> {
  const scenario = SCENARIOS.find((s) => s.id === scenarioId)!;
  const { APPS } = (await import(join(appsDir, 'index.js'))) as {
    APPS: Record<string, (env: AppEnv) => Promise<{ callback(): RequestListener }>>;
  };
  let app;
  try {
    app = await APPS[scenario.app]!(env);
  } catch (err) {
    console.log(`micro: ${name} skipped: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const handler = app.callback();
  let cookie = '';
  if (scenario.prime) {
    const first = await inject(handler, scenario.prime.path, '');
    const problem = checkResponse(scenario.prime.expect, first.status, first.body, first.headers);
    if (problem) throw new Error(`micro: ${name}: first request: ${problem}`);
    cookie = ((first.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]).join('; ');
  }
  return {
    name,
    handler,
    path: scenario.path,
    cookie,
    expect: scenario.expect,
    best: Infinity,
    cpu: Infinity,
    bytes: Infinity,
  };
}

/**
 * Bytes allocated per request over one batch: heap growth plus what each GC freed. Deterministic
 * where time is not, so it shows allocation savings the timing noise hides (GC is a third of a
 * request's time in profiles).
 */
async function allocations(s: Subject, size: number): Promise<void> {
  const profiler = new GCProfiler();
  profiler.start();
  const before = getHeapStatistics().used_heap_size;
  for (let i = 0; i < size; i++) await inject(s.handler, s.path, s.cookie);
  const after = getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  let freed = 0;
  for (const gc of statistics)
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  s.bytes = Math.min(s.bytes, (after - before + freed) / size);
}

async function batch(s: Subject, size: number): Promise<void> {
  if (process.env.MICRO_ALLOC) await allocations(s, size);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < size; i++) {
    const reply = await inject(s.handler, s.path, s.cookie);
    if (i === 0) {
      const problem = checkResponse(s.expect, reply.status, reply.body, reply.headers);
      if (problem) throw new Error(`micro: ${s.name}: ${problem}`);
    }
  }
  s.best = Math.min(s.best, Number(process.hrtime.bigint() - start) / 1000 / size);
  const cpu = process.cpuUsage(cpuStart);
  s.cpu = Math.min(s.cpu, (cpu.user + cpu.system) / size);
}

/** Runs the micro benchmark; resolves with the exit code. */
export async function micro({ build, before }: { build: string; before?: string }): Promise<number> {
  const size = Number(process.env.MICRO_BATCH ?? 2000);
  const batches = Number(process.env.MICRO_BATCHES ?? 40);
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
  const ids = [
    'bare',
    'floor',
    'floor+4us',
    'floor+8us',
    'floor+garbage',
    'koa-session:signed',
    'ours:signed',
    'floor:read',
    'koa-session:signed-read',
    'ours:signed-read',
    'ours:unsigned',
    'ours:encrypted',
    'koa-session:map-store',
    'ours:memory-store',
    'koa-session:redis',
    'ours:redis',
    'routing-controllers:koa-session',
    'ours:decorators',
    'ours:decorators-unvalidated',
    'ours:decorators-untyped',
    'ours:decorators-no-session',
  ].filter((id) => !only || only.test(id));
  // The Redis scenarios talk to a redis-server of their own (on core 1, as in the socket benchmark).
  const redis: RedisHandle | undefined = ids.some((id) => id.includes('redis')) ? await startRedis(1) : undefined;
  const env: AppEnv = { redisUrl: redis?.url };
  try {
    const subjects: Subject[] = [];
    for (const id of ids) {
      if (before && id.startsWith('ours:')) {
        const old = await subject(`${id} @${before}`, join(build, 'before', 'bench', 'apps'), id, env);
        if (old) subjects.push(old);
      }
      const now = await subject(id, join(build, 'bench', 'apps'), id, env);
      if (now) subjects.push(now);
    }
    for (let i = 0; i < batches; i++) for (const s of subjects) await batch(s, size);
    console.log(`\nfastest of ${batches} batches of ${size} requests, µs per request (in-process, no sockets):\n`);
    for (const s of subjects) {
      // Redis: wall time is mostly the round trips; the process's own CPU is the comparable figure.
      const cpu = s.name.includes('redis') ? `  cpu ${s.cpu.toFixed(2).padStart(6)}` : '';
      const bytes = process.env.MICRO_ALLOC ? `  ${Math.round(s.bytes).toString().padStart(6)} B/request` : '';
      console.log(`${s.name.padEnd(44)} ${s.best.toFixed(2).padStart(7)}${cpu}${bytes}`);
    }
    // The rows of the socket table, in-process: baseline time over subject time is the throughput
    // ratio a core to itself would give; the difference is the subject's own work.
    const fastest = new Map(subjects.map((s) => [s.name, s.best]));
    const lines: string[] = [];
    for (const row of ROWS) {
      if (!row.baseline) continue;
      for (const suffix of before && row.subject.startsWith('ours:') ? [` @${before}`, ''] : ['']) {
        const subjectTime = fastest.get(row.subject + suffix);
        const baseTime = fastest.get(row.baseline);
        if (subjectTime === undefined || baseTime === undefined) continue;
        const target = row.target === undefined ? '' : `  (goal ${row.target}x)`;
        lines.push(
          `${`${row.label}${suffix}`.padEnd(66)} ${(baseTime / subjectTime).toFixed(2)}x  ${(subjectTime - baseTime).toFixed(2).padStart(6)} µs${target}`,
        );
      }
    }
    if (lines.length)
      console.log(
        `\nratios (baseline time / subject time) and the subject's extra µs per request:\n\n${lines.join('\n')}`,
      );
    const layers: string[] = [];
    for (const layer of LAYERS) {
      const subjectTime = fastest.get(layer.subject);
      const baseTime = fastest.get(layer.baseline);
      if (subjectTime === undefined || baseTime === undefined) continue;
      layers.push(`${layer.label.padEnd(66)} ${(subjectTime - baseTime).toFixed(2).padStart(6)} µs`);
    }
    if (layers.length) console.log(`\nthe decorator layer taken apart (µs per request):\n\n${layers.join('\n')}`);
  } finally {
    redis?.stop();
  }
  return 0;
}
