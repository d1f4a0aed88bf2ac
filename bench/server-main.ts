/**
 * A benchmark server, alone in its own process: `node server-main.js <app id>`. Listens on
 * 127.0.0.1 (a free port) and talks to the harness over IPC: `ready`/`unavailable` once, then
 * `stats` on request (RSS, peak RSS, CPU time, app errors), and exits on `stop` or when the
 * harness goes away.
 */
import { createServer } from 'node:http';
import { APPS, Unavailable } from './apps';
import type { ChildMessage, ParentMessage } from './ipc';

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const id = process.argv[2] ?? '';
  const factory = APPS[id];
  if (!factory) throw new Error(`unknown benchmark app "${id}"`);
  let app;
  try {
    app = await factory({ redisUrl: process.env.BENCH_REDIS_URL || undefined });
  } catch (err) {
    if (!(err instanceof Unavailable)) throw err;
    send({ type: 'unavailable', reason: err.message });
    process.exit(0);
  }
  // Koa logs every 500 to stderr; count them instead (a 500 is also a failed check).
  let appErrors = 0;
  const emitter = app as { silent?: boolean; on?: (event: string, listener: () => void) => void };
  if (typeof emitter.on === 'function') {
    emitter.silent = true;
    emitter.on('error', () => appErrors++);
  }
  let peakRss = process.memoryUsage.rss();
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100).unref();

  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      const cpu = process.cpuUsage();
      send({ type: 'stats', rss, peakRss, cpuMicros: cpu.user + cpu.system, appErrors });
    } else if (message.type === 'stop') {
      // A normal exit, so that --cpu-prof writes its profile.
      server.close();
      server.closeAllConnections();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
  });
}

main().catch((err: unknown) => {
  send({ type: 'failed', reason: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
