/**
 * Real Redis for the tests (never a mock). `useRedis()` takes REDIS_URL when CI set it, else spawns
 * a private redis-server on a free port of 127.0.0.1. `startRedisServer()` always spawns one, for
 * the tests that stop and restart it (outages). Use `uniquePrefix()` so parallel files never share keys.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let binary: string | undefined;

/**
 * The redis-server binary. Tests never install it: `npm test` checks for it (and installs it when it
 * can) before jest starts, in scripts/provision.mjs.
 */
export function redisServerBinary(): string {
  if (binary) return binary;
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found)
    throw new Error(
      'redis-server is not installed: `npm test` installs it when run as root with apt-get ' +
        '(scripts/provision.mjs); otherwise run `sudo apt-get install redis-server`.',
    );
  return (binary = found);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Answers whether a Redis on 127.0.0.1:port replies to PING within `ms`. */
export function pingRedis(port: number, ms = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

/** A redis-server child process of this test file. */
export interface SpawnedRedis {
  readonly port: number;
  readonly url: string;
  /** Starts (or restarts, on the same port and data directory) the server; resolves once it answers. */
  start(): Promise<void>;
  /** Kills the server (SIGKILL: a crash, not a clean shutdown). */
  kill(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: a Redis that accepts connections but never answers. */
  pause(): void;
  resume(): void;
  /** Kills the server and removes its data directory. */
  close(): Promise<void>;
}

/**
 * Spawns a redis-server on a free 127.0.0.1 port. With `persistent`, every write is fsynced to an
 * append-only file, so data survives a crash and restart (the outage tests show "data intact").
 */
export async function startRedisServer({ persistent = false, extraArgs = [] as string[] } = {}): Promise<SpawnedRedis> {
  const bin = redisServerBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kts-redis-'));
  let child: ChildProcess | undefined;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ...extraArgs,
  ];
  const server: SpawnedRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(bin, args, { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!(await pingRedis(port))) {
        if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      proc.kill('SIGCONT');
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async close() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A Redis for one test file: REDIS_URL when set (CI), else a private server. Call `close()` in afterAll. */
export async function useRedis(): Promise<{ url: string; close(): Promise<void> }> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return { url: fromEnv, close: async () => undefined };
  const server = await startRedisServer();
  return { url: server.url, close: () => server.close() };
}

/** A key prefix no other test file (or run) uses. */
export function uniquePrefix(name: string): string {
  return `kts-test:${name}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Polls `check` every 50 ms until it is true; throws after `ms`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  for (const deadline = Date.now() + ms; ;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Every command the server at `url` receives from now on, as the text of MONITOR's lines, read
 * on a plain socket. ioredis's own monitor() is not used: it sets its "monitoring" status a
 * promise tick after MONITOR's +OK, so a monitored line that arrives in the same chunk as the
 * +OK is taken for a reply and emits "Command queue state error" (seen in CI when another
 * suite was busy on the same server).
 */
export async function monitorRedis(url: string): Promise<{ seen(): string[]; stop(): Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = createConnection({ host: hostname, port: Number(port) });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.startsWith('+OK\r\n')) resolve();
    });
    socket.write('MONITOR\r\n');
  });
  const seen = () =>
    text
      .slice(5)
      .split('\r\n')
      .filter((line) => line.startsWith('+'))
      .map((line) => line.slice(1));
  return {
    seen,
    /** Sends a marker command on another connection, waits (up to 2 s) for its line, then closes. */
    async stop() {
      const marker = `kts-monitor-marker-${randomBytes(6).toString('hex')}`;
      const probe = createConnection({ host: hostname, port: Number(port) });
      probe.on('error', () => undefined);
      probe.write(`ECHO ${marker}\r\nQUIT\r\n`);
      try {
        await until('MONITOR shows the marker command', () => text.includes(marker), 2000);
      } finally {
        probe.destroy();
        socket.destroy();
      }
    },
  };
}

/** `value` as MONITOR prints an argument (Redis's sdscatrepr over its UTF-8 bytes), without the quotes. */
export function redisRepr(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (byte === 7) out += '\\a';
    else if (byte === 8) out += '\\b';
    else if (byte >= 0x20 && byte < 0x7f) out += ch;
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
