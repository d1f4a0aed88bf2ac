/**
 * Graceful shutdown of an app built by createApp (Nest's `app.close()`): the servers its
 * `listen()` created stop accepting connections and finish their requests, then the session
 * stores the app created are quit and the app's container is disposed.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { DependencyContainer } from 'tsyringe';

/** Something with a connection to close: RedisStore has `quit()`. */
interface Quittable {
  quit?: () => unknown;
}

/** What {@link installLifecycle} needs from createApp. */
export interface Lifecycle {
  container: DependencyContainer;
  /** Stores the app's container created (SESSION_STORE bound with `useFactory` or `useClass`). */
  ownedStores: Set<object>;
  /** Most ms in-flight requests get before their connections are destroyed. */
  shutdownTimeout: number;
}

function closeServer(server: Server, timeout: number): Promise<void> {
  if (!server.listening) {
    // Still binding: close once it listens (or give up if binding failed).
    return new Promise((resolve) => {
      const done = (): void => {
        server.off('listening', listening);
        resolve();
      };
      const listening = (): void => {
        server.off('error', done);
        void closeServer(server, timeout).then(resolve);
      };
      server.once('listening', listening);
      server.once('error', done);
    });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeout);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    // Idle keep-alive sockets would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  });
}

/**
 * Gives the app a `listen()` that remembers its servers, and `close()`. Closing, in order:
 * 1. every server from `app.listen()` stops accepting; idle keep-alive connections are closed,
 *    requests in flight finish (their sessions are committed); after `shutdownTimeout` ms the
 *    remaining connections are destroyed;
 * 2. the stores the app created are quit (`quit()`); stores passed in are left open;
 * 3. the app's container is disposed: services it created that have `dispose()` are disposed.
 * `close()` is idempotent: later calls return the same promise.
 */
export function installLifecycle(app: Koa, { container, ownedStores, shutdownTimeout }: Lifecycle): void {
  const servers = new Set<Server>();
  const listen = app.listen.bind(app) as (...args: unknown[]) => Server;
  let closing: Promise<void> | undefined;
  const inFlight = new Set<ServerResponse>();

  Object.defineProperty(app, 'listen', {
    configurable: true,
    value: function listenTracked(...args: unknown[]): Server {
      const server = listen(...args);
      servers.add(server);
      server.once('close', () => servers.delete(server));
      server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
        if (closing) res.setHeader('connection', 'close');
        inFlight.add(res);
        res.once('close', () => inFlight.delete(res));
        // Once a request finishes during shutdown, its keep-alive socket is idle: close it now.
        res.once('finish', () => {
          if (closing) setImmediate(() => server.closeIdleConnections());
        });
      });
      return server;
    },
  });

  async function shutdown(): Promise<void> {
    // Responses not yet started tell their clients the connection ends with them.
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    await Promise.all([...servers].map((server) => closeServer(server, shutdownTimeout)));
    const failures: unknown[] = [];
    for (const store of ownedStores) {
      try {
        await (store as Quittable).quit?.();
      } catch (err) {
        failures.push(err);
      }
    }
    try {
      await container.dispose();
    } catch (err) {
      failures.push(err);
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, 'koa-typed-session: app.close() could not quit every store or service.');
    }
  }

  Object.defineProperty(app, 'close', {
    configurable: true,
    value: function close(): Promise<void> {
      return (closing ??= shutdown());
    },
  });
}
