import type Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts `app` on `port` (and `host`, if given) and logs its address. A busy port (or any other
 * listen error) prints one line saying what to do and exits with code 1, instead of a stack.
 */
export function listen(app: Koa, name: string, port = Number(process.env.PORT ?? 3000), host?: string): Server {
  const onListening = (): void => {
    const address = server.address() as AddressInfo;
    console.log(`${name} listening on http://${host ?? 'localhost'}:${address.port}`);
  };
  const server = host === undefined ? app.listen(port, onListening) : app.listen(port, host, onListening);
  server.once('error', (err: NodeJS.ErrnoException) => {
    console.error(
      err.code === 'EADDRINUSE'
        ? `${name}: port ${port} is already in use. Set PORT to a free port, e.g. PORT=${port + 1}`
        : `${name}: cannot listen on port ${port} (${err.code ?? err.message}). Set PORT to a free port, e.g. PORT=${port + 1}`,
    );
    process.exit(1);
  });
  return server;
}

/**
 * Starts the app built by `createApp` on `PORT` (default 3000) when `mod` is the entry module, i.e.
 * when the compiled sample is run with `node`. When a test imports the sample, nothing is built and
 * nothing listens (tests drive `createApp().callback()` with supertest).
 *
 * @example
 * ```ts
 * listenIfMain(module, createApp, 'multi-api');
 * ```
 */
export function listenIfMain(mod: NodeJS.Module, createApp: () => Koa, name: string): void {
  if (require.main !== mod) return;
  listen(createApp(), name);
}
