/**
 * Drives a real Koa app in-process for the property-based hostile-input suites: `app.callback()`
 * is called with Node's own IncomingMessage/ServerResponse (no socket, no port), which is ~30 µs a
 * request, so tens of thousands of generated cookies run in seconds on two cores.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Koa from 'koa';
import { Session, session, type KoaSessionOptions } from 'koa-typed-session';
import { cookiePair } from '../helpers/app';

/** One cookie of a Cookie header: name and raw value. */
export type Pair = [name: string, value: string];

/** What the handler does with the session it was given. */
export type Op = 'read' | 'write' | 'regenerate' | 'destroy';

/** The result of one request. */
export interface Outcome {
  status: number;
  /** JSON of the session data the handler saw (`{}` for a fresh session). */
  observed: string;
  /** Whether ctx.session was a genuine Session (prototype not replaced). */
  genuine: boolean;
  setCookie: string[];
  /** Errors the app emitted (each is a 5xx the client would have seen). */
  errors: unknown[];
}

/** Number of generated cases per mode: `SESSION_FUZZ_RUNS`, default 10,000. */
export const FUZZ_RUNS = runsFromEnv(process.env.SESSION_FUZZ_RUNS);

function runsFromEnv(value: string | undefined): number {
  const runs = Number(value ?? 10_000);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`SESSION_FUZZ_RUNS must be a positive integer, got ${value}`);
  return runs;
}

/** Session data the server issues before the run (varied shapes, one near the size limit). */
export const ISSUED_DATA: Array<Record<string, unknown>> = [
  { user: 'alice', role: 'admin' },
  { user: 'bob', cart: [1, 2, 3], nested: { a: { b: 'c' } } },
  { n: 0 },
  { unicode: 'é✓𝄞', quote: '"; \\ =' },
  { big: 'x'.repeat(2000) },
  { list: [null, true, 1.5, 'x', { deep: [[]] }] },
  { user: 'carol', flags: { admin: false } },
  { user: 'dave' },
];

/** Data only another server (other keys) ever signs: seeing it would mean a forgery got through. */
export const FOREIGN_DATA = { user: 'mallory', role: 'admin', foreign: true };

/** The persisted view of a session: own keys minus `isNew` and `_`-prefixed ones, as toJSON() does. */
function dataOf(sess: object): string {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(sess)) {
    if (key !== 'isNew' && key.charCodeAt(0) !== 95) out[key] = (sess as Record<string, unknown>)[key];
  }
  return JSON.stringify(out);
}

/** A mode's app, with the data the server has issued so far. */
export class FuzzTarget {
  readonly app: Koa;
  /** JSON of every session data set this server wrote (issued before or during the run). */
  readonly issued = new Set<string>(['{}']);
  private readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  private errors: unknown[] = [];
  private observed = '';
  private genuine = true;

  constructor(options: KoaSessionOptions, keys: string[] | null) {
    const app = (this.app = new Koa());
    if (keys) app.keys = keys;
    app.silent = true;
    app.on('error', (err: unknown) => this.errors.push(err));
    app.use(session({ ...options, maxAge: 86_400_000 }, app));
    app.use(async (ctx) => {
      const sess = ctx.session!;
      this.genuine = Object.getPrototypeOf(sess) === Session.prototype;
      this.observed = dataOf(sess);
      const data = ctx.get('x-data');
      const op = ctx.get('x-op') as Op;
      if (data) {
        Object.assign(sess, JSON.parse(data));
      } else if (!sess.isNew) {
        if (op === 'write') sess.visits = typeof sess.visits === 'number' ? sess.visits + 1 : 1;
      } else if (op === 'write') {
        sess.fresh = true;
      } else if (op === 'regenerate') {
        await sess.regenerate();
      } else if (op === 'destroy') {
        ctx.session = null;
      }
      // Only what this server wrote counts as issued (never the data it was merely sent).
      if (ctx.session && (data || op === 'write')) this.issued.add(dataOf(ctx.session));
      ctx.body = 'ok';
    });
    this.handle = app.callback() as never;
  }

  /** One GET with the given Cookie header. */
  async send(cookie: string, op: Op = 'read', data?: string): Promise<Outcome> {
    this.errors = [];
    this.observed = '';
    this.genuine = true;
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = '/';
    req.headers = { host: '127.0.0.1', cookie, 'x-op': op };
    if (data) req.headers['x-data'] = data;
    const res = new ServerResponse(req);
    await this.handle(req, res);
    const header = res.getHeader('set-cookie');
    const setCookie = header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
    return { status: res.statusCode, observed: this.observed, genuine: this.genuine, setCookie, errors: this.errors };
  }

  /** Has the server issue a session holding `data`; returns its cookies. */
  async issue(data: Record<string, unknown>): Promise<Pair[]> {
    const outcome = await this.send('', 'read', JSON.stringify(data));
    if (outcome.status !== 200) throw new Error(`issue failed with ${outcome.status}`);
    return outcome.setCookie.map((c) => cookiePair(c) as Pair);
  }
}

/** Serialises pairs as a Cookie header. */
export function header(pairs: Pair[]): string {
  return pairs.map(([n, v]) => `${n}=${v}`).join('; ');
}

const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const baseline = prototypes.map((p) => Object.getOwnPropertyNames(p).sort().join(','));

/** True when no built-in prototype gained, lost or exposed a property. */
export function prototypesIntact(): boolean {
  if (({} as Record<string, unknown>).polluted !== undefined) return false;
  return prototypes.every(
    (p, i) => Object.keys(p).length === 0 && Object.getOwnPropertyNames(p).sort().join(',') === baseline[i],
  );
}

/**
 * The invariants of every case. `trusted`: the mode authenticates the cookie, so the handler may
 * only ever see data this server issued (unsigned mode cannot promise that: anyone can forge it).
 */
export function checkOutcome(target: FuzzTarget, outcome: Outcome, trusted: boolean): void {
  if (outcome.status !== 200 || outcome.errors.length > 0) {
    const err = outcome.errors[0];
    throw new Error(`status ${outcome.status}: ${err instanceof Error ? err.stack : String(err)}`);
  }
  if (!outcome.genuine) throw new Error('ctx.session is not a Session (prototype replaced)');
  // Attributes only: a base64 value may spell anything.
  const broken = outcome.setCookie.find((c) => /Invalid Date|NaN|undefined|\[object/.test(c.slice(c.indexOf(';'))));
  if (broken) throw new Error(`malformed Set-Cookie: ${broken.slice(0, 200)}`);
  if (!prototypesIntact()) throw new Error('a built-in prototype was polluted');
  if (trusted && !target.issued.has(outcome.observed)) {
    throw new Error(`the handler saw a session this server never issued: ${outcome.observed.slice(0, 200)}`);
  }
}
