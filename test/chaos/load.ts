/**
 * Load for the failover tests: real HTTP requests (keep-alive) to a real Koa app on RedisStore.
 * Each worker logs in, writes distinct keys, logs out, and again, recording which requests were
 * acknowledged (2xx). `verify` then reads the authoritative master(s) directly: every acknowledged
 * write must be in its record, every acknowledged logout must have left no record.
 */
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { session } from 'koa-typed-session';
import { type RedisStore } from 'koa-typed-session/redis';

interface Tracked {
  sid: string;
  acked: string[];
  loggedOut: 'acked' | 'failed' | 'no';
}

export interface Figures {
  scenario: string;
  requests: number;
  failed: number;
  lostWrites: number;
  lostLogouts: number;
  recoveryMs: number;
  durationMs: number;
}

export interface LoadRun {
  server: Server;
  sessions: Tracked[];
  requests: number;
  failed: number;
  /** Completion times (ms since epoch) of failed requests. */
  failures: number[];
}

const WRITES_PER_SESSION = 8;

/** The app: /login, /write?k=NAME (sets one key), /logout. */
export function chaosApp(store: RedisStore, storeTimeout: number): Koa {
  const app = new Koa();
  app.keys = ['chaos'];
  app.silent = true;
  app.use(session({ store, storeTimeout }, app));
  app.use((ctx) => {
    if (ctx.path === '/login') ctx.session!.userId = 'u';
    else if (ctx.path === '/write') ctx.session![String(ctx.query.k)] = 1;
    else if (ctx.path === '/logout') ctx.session = null;
    ctx.body = 'ok';
  });
  return app;
}

function get(
  port: number,
  agent: Agent,
  path: string,
  cookie?: string,
): Promise<{ status: number; sid?: string; cookie?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, agent, headers: cookie ? { cookie } : {}, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => {
          const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
          const sid = set.map((c) => /^koa\.sess=([^;]+)/.exec(c)?.[1]).find((v) => v);
          resolve({ status: res.statusCode ?? 0, sid, cookie: set.map((c) => c.split(';')[0]).join('; ') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0 }));
    req.end();
  });
}

/**
 * Starts `workers` sequential request loops that run until `stop()` says so (and at most
 * `maxMs`); `finished` resolves once every loop has ended.
 */
export function startLoad(
  app: Koa,
  { workers = 6, maxMs = 25_000, stop }: { workers?: number; maxMs?: number; stop: (run: LoadRun) => boolean },
): { run: LoadRun; finished: Promise<LoadRun> } {
  const server = createServer(app.callback());
  const run: LoadRun = { server, sessions: [], requests: 0, failed: 0, failures: [] };
  return { run, finished: load(server, run, workers, maxMs, stop) };
}

async function load(
  server: Server,
  run: LoadRun,
  workers: number,
  maxMs: number,
  stop: (run: LoadRun) => boolean,
): Promise<LoadRun> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  const deadline = Date.now() + maxMs;
  const send = async (path: string, cookie?: string): Promise<{ ok: boolean; sid?: string; cookie?: string }> => {
    const res = await get(port, agent, path, cookie);
    run.requests++;
    const ok = res.status >= 200 && res.status < 300;
    if (!ok) {
      run.failed++;
      run.failures.push(Date.now());
    }
    return { ok, sid: res.sid, cookie: res.cookie };
  };
  const done = (): boolean => stop(run) || Date.now() > deadline;
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; !done(); n++) {
      const login = await send('/login');
      if (!login.ok || !login.sid) continue;
      const tracked: Tracked = { sid: login.sid, acked: ['userId'], loggedOut: 'no' };
      run.sessions.push(tracked);
      const cookie = login.cookie!;
      for (let i = 0; i < WRITES_PER_SESSION && !done(); i++) {
        const key = `w${w}_${n}_${i}`;
        if ((await send(`/write?k=${key}`, cookie)).ok) tracked.acked.push(key);
      }
      // Every other session is kept, so its acknowledged writes are checked too.
      if (n % 2 === 0) tracked.loggedOut = (await send('/logout', cookie)).ok ? 'acked' : 'failed';
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  } finally {
    agent.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
  return run;
}

/** Counts acknowledged writes and logouts missing from the authoritative data. */
export async function verify(
  run: LoadRun,
  read: (key: string) => Promise<string | null>,
  prefix: string,
): Promise<{ lostWrites: number; lostLogouts: number; examples: string[] }> {
  let lostWrites = 0;
  let lostLogouts = 0;
  const examples: string[] = [];
  for (const s of run.sessions) {
    const raw = await read(prefix + s.sid);
    if (s.loggedOut === 'acked') {
      if (raw !== null) {
        lostLogouts++;
        examples.push(`logout of ${s.sid} came back`);
      }
      continue;
    }
    if (raw === null) {
      // A logout that failed may still have happened; otherwise every acknowledged write is gone.
      if (s.loggedOut === 'no') {
        lostWrites += s.acked.length;
        examples.push(`record ${s.sid} missing`);
      }
      continue;
    }
    const record = JSON.parse(raw) as Record<string, unknown>;
    for (const key of s.acked) {
      if (!(key in record)) {
        lostWrites++;
        examples.push(`${s.sid}: acknowledged ${key} missing`);
      }
    }
  }
  return { lostWrites, lostLogouts, examples: examples.slice(0, 5) };
}

/** The figures of one scenario: printed, and merged into .ci-out/chaos.json for the docs. */
export function report(figures: Figures): void {
  console.log(`chaos ${figures.scenario}: ${JSON.stringify(figures)}`);
  const dir = '.ci-out';
  const file = `${dir}/chaos.json`;
  try {
    mkdirSync(dir, { recursive: true });
    const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Figures>) : {};
    all[figures.scenario] = figures;
    writeFileSync(file, JSON.stringify(all, null, 2));
  } catch {
    // The figures are printed anyway.
  }
}

/** True once the fault is over (`settledAt`) and no request failed for the last second. */
export function recovered(run: LoadRun, settledAt: number): boolean {
  const now = Date.now();
  return now > settledAt + 1000 && (run.failures.length === 0 || run.failures[run.failures.length - 1]! < now - 1000);
}

/** Recovery: from the fault until the last failed request (0 when none failed after it). */
export function recoveryMs(run: LoadRun, faultAt: number): number {
  const after = run.failures.filter((t) => t >= faultAt);
  return after.length === 0 ? 0 : Math.max(...after) - faultAt;
}

/**
 * Checks a finished run against the authoritative data (`read`): reports its figures, then asserts
 * that no acknowledged write or logout was lost and that the load did real work.
 */
export async function expectNothingLost(
  scenario: string,
  run: LoadRun,
  read: (key: string) => Promise<string | null>,
  { prefix, faultAt, start }: { prefix: string; faultAt: number; start: number },
): Promise<void> {
  const { lostWrites, lostLogouts, examples } = await verify(run, read, prefix);
  report({
    scenario,
    requests: run.requests,
    failed: run.failed,
    lostWrites,
    lostLogouts,
    recoveryMs: recoveryMs(run, faultAt),
    durationMs: Date.now() - start,
  });
  expect(examples).toEqual([]);
  expect({ lostWrites, lostLogouts }).toEqual({ lostWrites: 0, lostLogouts: 0 });
  expect(run.requests - run.failed).toBeGreaterThan(100);
}
