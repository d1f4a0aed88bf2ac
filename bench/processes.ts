/**
 * Child processes of the benchmark: spawning pinned to a core, and killing every one of them on
 * exit, on error and on Ctrl-C, so that no server or redis-server outlives a run.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, ParentMessage, ServerStats } from './ipc';

const live = new Set<ChildProcess>();

/** True when `taskset` (util-linux) can pin processes to cores here. */
export const canPin = spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;

/** Pins this process and all its threads (autocannon runs here) to `core`. */
export function pinSelf(core: number): boolean {
  return (
    canPin && spawnSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0
  );
}

/** Spawns a command pinned to `core` (when taskset exists); tracked until it exits. */
export function spawnPinned(core: number, command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = canPin
    ? spawn('taskset', ['-c', String(core), command, ...args], options)
    : spawn(command, args, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills every child still running (synchronous, so it also works from an `exit` handler). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

let installed = false;

/** Kills the children when the harness exits, fails, or is interrupted. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\nbench: ${signal}, stopping every server`);
      killAll();
      process.exit(130);
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: ${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Options of {@link ServerChild.start}. */
export interface ServerChildOptions {
  /** The compiled bench/ directory. */
  benchDir: string;
  redisUrl: string | undefined;
  /** Write a V8 CPU profile of the server into this directory (`node --cpu-prof`). */
  profileDir: string | undefined;
  /** The profile's file name (without extension); the app id by default. */
  profileName?: string;
}

/** One benchmark server (bench/server-main.ts) in its own process, pinned to core 0. */
export class ServerChild {
  private constructor(
    readonly id: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  /** Starts the server; resolves with it, or with the reason it is unavailable in this build. */
  static async start(id: string, options: ServerChildOptions): Promise<ServerChild | { unavailable: string }> {
    const nodeArgs = options.profileDir
      ? [
          '--cpu-prof',
          '--cpu-prof-interval',
          '100',
          '--cpu-prof-dir',
          options.profileDir,
          '--cpu-prof-name',
          `${(options.profileName ?? id).replace(/[^\w.-]+/g, '_')}.cpuprofile`,
        ]
      : [];
    const child = spawnPinned(0, process.execPath, [...nodeArgs, join(options.benchDir, 'server-main.js'), id], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production', BENCH_REDIS_URL: options.redisUrl ?? '' },
    });
    const first = new Promise<ChildMessage>((resolve, reject) => {
      child.once('message', (message: ChildMessage) => resolve(message));
      child.once('exit', (code) =>
        reject(new Error(`bench: server "${id}" exited with code ${code} before it was ready`)),
      );
    });
    const message = await withTimeout(first, 15_000, `starting server "${id}"`).catch((err: unknown) => {
      child.kill('SIGKILL');
      throw err;
    });
    if (message.type === 'ready') return new ServerChild(id, message.port, child);
    child.kill('SIGKILL');
    if (message.type === 'unavailable') return { unavailable: message.reason };
    throw new Error(
      `bench: server "${id}" failed to start:\n${message.type === 'failed' ? message.reason : message.type}`,
    );
  }

  /** RSS, peak RSS, CPU time and app error count of the server process. */
  stats(): Promise<ServerStats> {
    const reply = new Promise<ServerStats>((resolve) => {
      const onMessage = (message: ChildMessage): void => {
        if (message.type !== 'stats') return;
        this.child.off('message', onMessage);
        resolve(message);
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ type: 'stats' } satisfies ParentMessage);
    return withTimeout(reply, 5_000, `stats of "${this.id}"`);
  }

  /** Asks the server to exit normally (so a CPU profile is written); kills it after 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    await withTimeout(exited, 10_000, `stopping "${this.id}"`).catch(() => this.child.kill('SIGKILL'));
  }
}
