/**
 * What is measured: each scenario is one server (an app from apps/, in its own process) and one
 * path, with the response every request must get; each row of the table compares two scenarios
 * measured in the same rounds.
 */
import type { Expectation } from './load';

/** One server under load. */
export interface Scenario {
  /** Unique id; also the CPU profile's file name. */
  id: string;
  /** The app (key of APPS in apps/index.ts). */
  app: string;
  /** Path under load. */
  path: string;
  /** The first request (no cookie) that gets the cookie replayed by every request; none for bare Koa. */
  prime?: { path: string; expect: Expectation };
  expect: Expectation;
  /** Run on the src/ of the BENCH_BEFORE commit instead of the working tree. */
  before?: boolean;
  /** Only in `npm run bench -- micro` (the decorator layers taken apart), not in the socket table. */
  microOnly?: boolean;
}

/** One line of the results table: a subject and what it is compared with. */
export interface Row {
  label: string;
  subject: string;
  baseline?: string;
  /** The target ratio subject/baseline (req/s): issue 6 (vs koa-session), issue 14 (vs the floor). */
  target?: number;
}

const SIGNED = ['koa.sess', 'koa.sess.sig'];
const UNSIGNED = ['koa.sess'];

function readWrite(id: string, app: string, setCookies: readonly string[]): Scenario {
  return {
    id,
    app,
    path: '/',
    prime: { path: '/', expect: { status: 200, body: '1 views', setCookies } },
    expect: { status: 200, body: '2 views', setCookies },
  };
}

function readOnly(id: string, app: string, setCookies: readonly string[]): Scenario {
  return {
    id,
    app,
    path: '/read',
    prime: { path: '/', expect: { status: 200, body: '1 views', setCookies } },
    // Nothing changed: neither library may write a cookie.
    expect: { status: 200, body: '1 views', setCookies: [] },
  };
}

/** With a store every request writes the record the next one reads: the count only grows. */
function storeReadWrite(id: string, app: string): Scenario {
  const grows = (body: string): boolean => /^\d+ views$/.test(body) && Number.parseInt(body, 10) >= 2;
  return {
    id,
    app,
    path: '/',
    prime: { path: '/', expect: { status: 200, body: '1 views', setCookies: SIGNED } },
    expect: { status: 200, body: grows, setCookies: SIGNED },
  };
}

/**
 * The floor (apps/floor.app.ts): the session cookies come in, constant ones of the same size go
 * out, no session work. The cookie replayed is the floor's own constant one.
 */
function floor(id: string, path: string, body: string, setCookies: readonly string[], app = 'floor'): Scenario {
  return {
    id,
    app,
    path,
    prime: { path: '/', expect: { status: 200, body: '2 views', setCookies: SIGNED } },
    expect: { status: 200, body, setCookies },
  };
}

/** Every scenario, in the order of one round (pairs side by side). */
export const SCENARIOS: Scenario[] = [
  { id: 'bare', app: 'bare', path: '/', expect: { status: 200, body: 'hello', setCookies: [] } },
  floor('floor', '/', '2 views', SIGNED),
  // Calibration: the floor plus a known amount of pure CPU work per request.
  floor('floor+4us', '/', '2 views', SIGNED, 'floor-work-4'),
  floor('floor+8us', '/', '2 views', SIGNED, 'floor-work-8'),
  floor('floor+garbage', '/', '2 views', SIGNED, 'floor-garbage'),
  readWrite('koa-session:signed', 'ks-signed', SIGNED),
  readWrite('ours:signed', 'ours-signed', SIGNED),
  floor('floor:read', '/read', '1 views', []),
  readOnly('koa-session:signed-read', 'ks-signed', SIGNED),
  readOnly('ours:signed-read', 'ours-signed', SIGNED),
  readWrite('koa-session:unsigned', 'ks-unsigned', UNSIGNED),
  readWrite('ours:unsigned', 'ours-unsigned', UNSIGNED),
  // AES-GCM authenticates the value itself: no `.sig` cookie.
  readWrite('ours:encrypted', 'ours-encrypted', UNSIGNED),
  storeReadWrite('koa-session:map-store', 'ks-map-store'),
  storeReadWrite('ours:memory-store', 'ours-memory-store'),
  storeReadWrite('koa-session:redis', 'ks-redis'),
  storeReadWrite('ours:redis', 'ours-redis'),
  readWrite('routing-controllers:koa-session', 'rc-koa-session', SIGNED),
  readWrite('ours:decorators', 'ours-decorators', SIGNED),
  // The decorator layer taken apart (micro only): see apps/decorator.app.ts.
  { ...readWrite('ours:decorators-unvalidated', 'ours-decorators-unvalidated', SIGNED), microOnly: true },
  { ...readWrite('ours:decorators-untyped', 'ours-decorators-untyped', SIGNED), microOnly: true },
  {
    id: 'ours:decorators-no-session',
    app: 'ours-decorators-no-session',
    path: '/',
    expect: { status: 200, body: 'hello', setCookies: [] },
    microOnly: true,
  },
];

/**
 * The decorator layer taken apart (`npm run bench -- micro`): each line is the µs between two
 * scenarios, i.e. the cost of one layer of `ours:decorators`.
 */
export const LAYERS: { label: string; subject: string; baseline: string }[] = [
  {
    label: 'framework (router, error mapper, scope, body parser)',
    subject: 'ours:decorators-no-session',
    baseline: 'bare',
  },
  {
    label: 'the session engine through @Session() (untyped)',
    subject: 'ours:decorators-untyped',
    baseline: 'ours:decorators-no-session',
  },
  {
    label: 'class-transformer (typed, no validators)',
    subject: 'ours:decorators-unvalidated',
    baseline: 'ours:decorators-untyped',
  },
  {
    label: 'class-validator (validateSync on load and before save)',
    subject: 'ours:decorators',
    baseline: 'ours:decorators-unvalidated',
  },
];

/** The results table. */
export const ROWS: Row[] = [
  { label: 'bare Koa, no session', subject: 'bare' },
  // Issue 14: against what is physically possible (the floor), ours beside koa-session.
  { label: 'floor: session cookies in, 2 constant Set-Cookie out', subject: 'floor' },
  // Calibration: what 4 and 8 µs of pure CPU work per request (in-process) cost over sockets.
  { label: 'calibration: the floor + 4 µs of CPU work vs the floor', subject: 'floor+4us', baseline: 'floor' },
  { label: 'calibration: the floor + 8 µs of CPU work vs the floor', subject: 'floor+8us', baseline: 'floor' },
  {
    label: 'calibration: the floor + about 4.5 KB of garbage vs the floor',
    subject: 'floor+garbage',
    baseline: 'floor',
  },
  { label: 'signed read+write vs the floor', subject: 'ours:signed', baseline: 'floor', target: 0.8 },
  { label: 'koa-session signed read+write vs the floor', subject: 'koa-session:signed', baseline: 'floor' },
  {
    label: 'signed read-only vs bare Koa (cookie in)',
    subject: 'ours:signed-read',
    baseline: 'floor:read',
    target: 0.85,
  },
  {
    label: 'koa-session signed read-only vs bare Koa (cookie in)',
    subject: 'koa-session:signed-read',
    baseline: 'floor:read',
  },
  { label: 'signed cookie, read+write', subject: 'ours:signed', baseline: 'koa-session:signed', target: 2 },
  { label: 'signed cookie, read-only', subject: 'ours:signed-read', baseline: 'koa-session:signed-read', target: 2 },
  { label: 'unsigned cookie, read+write', subject: 'ours:unsigned', baseline: 'koa-session:unsigned' },
  {
    label: 'encrypted (ours) vs koa-session signed',
    subject: 'ours:encrypted',
    baseline: 'koa-session:signed',
    target: 1,
  },
  {
    label: 'in-process store (Map / MemoryStore)',
    subject: 'ours:memory-store',
    baseline: 'koa-session:map-store',
    target: 1.5,
  },
  { label: 'Redis store (koa-redis / RedisStore)', subject: 'ours:redis', baseline: 'koa-session:redis', target: 1.5 },
  {
    label: 'decorators + validated @Session() vs routing-controllers',
    subject: 'ours:decorators',
    baseline: 'routing-controllers:koa-session',
    target: 2,
  },
  // At most 25% slower than the plain middleware: a ratio of at least 0.75.
  {
    label: 'decorators vs our plain middleware (signed)',
    subject: 'ours:decorators',
    baseline: 'ours:signed',
    target: 0.75,
  },
];

/**
 * With BENCH_BEFORE=<ref>: each of our scenarios also runs on that commit's src/, just before its
 * twin in every round, and gets a row "ours now vs <ref>".
 */
export function withBefore(scenarios: Scenario[], rows: Row[], ref: string): { scenarios: Scenario[]; rows: Row[] } {
  const all: Scenario[] = [];
  const extra: Row[] = [];
  for (const scenario of scenarios) {
    if (scenario.id.startsWith('ours:')) {
      all.push({ ...scenario, id: `before:${scenario.id}`, before: true });
      extra.push({ label: `${scenario.id} vs ${ref}`, subject: scenario.id, baseline: `before:${scenario.id}` });
    }
    all.push(scenario);
  }
  return { scenarios: all, rows: [...rows, ...extra] };
}
