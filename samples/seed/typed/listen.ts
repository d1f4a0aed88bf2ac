import type Koa from 'koa';
import type { AddressInfo } from 'node:net';

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
  const port = Number(process.env.PORT ?? 3000);
  const server = createApp().listen(port, () => {
    console.log(`${name} listening on http://localhost:${(server.address() as AddressInfo).port}`);
  });
}
