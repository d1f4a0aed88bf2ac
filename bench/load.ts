/**
 * The load: autocannon (programmatic API) against one server on 127.0.0.1, the session cookie
 * replayed on every request, and every single response checked against the scenario's
 * expectation (status, body, which Set-Cookie headers are present).
 */
import { request } from 'node:http';
import autocannon from 'autocannon';

/** What every response of a scenario must look like. */
export interface Expectation {
  status: number;
  /** The exact body, or a test of it (stores: the counter grows under concurrent requests). */
  body: string | ((body: string) => boolean);
  /** Names of the Set-Cookie headers, in order; `[]` means no Set-Cookie at all. */
  setCookies: readonly string[];
}

/** One autocannon run, checked. */
export interface LoadResult {
  rps: number;
  latencyP50: number;
  latencyP99: number;
  responses: number;
  checked: number;
  /** Responses that failed a check, plus connection errors and timeouts. */
  failures: number;
  /** The first few failed checks, for the report. */
  samples: string[];
}

type RawHeaders = Record<string, string | string[] | undefined>;

function setCookieNames(headers: RawHeaders): string[] {
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() !== 'set-cookie') continue;
    const value = headers[name];
    const lines = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return lines.map((line) => line.slice(0, line.indexOf('=')));
  }
  return [];
}

/** Why a response does not meet the expectation, or `undefined` when it does. */
export function checkResponse(
  expect: Expectation,
  status: number,
  body: string,
  headers: RawHeaders,
): string | undefined {
  if (status !== expect.status)
    return `status ${status}, expected ${expect.status} (body ${JSON.stringify(body.slice(0, 80))})`;
  const bodyOk = typeof expect.body === 'string' ? body === expect.body : expect.body(body);
  if (!bodyOk) return `body ${JSON.stringify(body.slice(0, 80))}`;
  const names = setCookieNames(headers).join(',');
  if (names !== expect.setCookies.join(',')) return `Set-Cookie [${names}], expected [${expect.setCookies.join(',')}]`;
  return undefined;
}

/** One plain request (no load): the cookie a fresh client gets, checked like the load's responses. */
export function prime(port: number, path: string, expect: Expectation): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const problem = checkResponse(expect, res.statusCode ?? 0, body, res.headers);
        if (problem) return reject(new Error(`bench: first request to ${path}: ${problem}`));
        const cookies = res.headers['set-cookie'] ?? [];
        resolve(cookies.map((line) => line.split(';')[0]).join('; '));
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('bench: first request timed out')));
    req.once('error', reject);
    req.end();
  });
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  port: number;
  path: string;
  cookie: string;
  seconds: number;
  connections: number;
  expect: Expectation;
}

/** Runs autocannon for `seconds` and checks every response. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let checked = 0;
  let failed = 0;
  const samples: string[] = [];
  const headers: Record<string, string> = options.cookie ? { cookie: options.cookie } : {};
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        path: options.path,
        headers,
        onResponse: (status, body, _context, responseHeaders) => {
          checked++;
          const problem = checkResponse(options.expect, status, body, (responseHeaders ?? {}) as RawHeaders);
          if (problem === undefined) return;
          failed++;
          if (samples.length < 3) samples.push(problem);
        },
      },
    ],
  });
  const responses = result.requests.total;
  // Every counted response must have been checked; connection errors and timeouts fail the run too.
  const unchecked = Math.max(0, responses - checked);
  if (unchecked > 0) samples.push(`${unchecked} responses were not checked`);
  if (result.errors > 0) samples.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  return {
    rps: responses / result.duration,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    responses,
    checked,
    failures: failed + unchecked + result.errors,
    samples,
  };
}
