/**
 * Real multi-process Redis topologies for the failover tests: a Cluster (masters with replicas)
 * and a Sentinel group, all redis-server processes on free 127.0.0.1 ports with data in a temp
 * directory. Every process a helper starts is registered before it is awaited, so `close()` kills
 * them all even when setup failed half-way (call it in afterAll unconditionally).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort, pingRedis, redisServerBinary, startRedisServer, until, type SpawnedRedis } from './redis';

/** One redis-server (data node or sentinel) of a topology, restartable on its port and directory. */
export interface Node {
  readonly port: number;
  readonly dir: string;
  running(): boolean;
  start(extraArgs?: string[]): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/** Processes and temp directories of one test file, all removed by `close()`. */
export class Topology {
  private readonly nodes: Node[] = [];
  private readonly clients: Redis[] = [];
  readonly root = mkdtempSync(join(tmpdir(), 'kts-topology-'));

  /** A node whose process is started with `args(port, dir)` (not started yet). */
  async node(args: (port: number, dir: string) => string[]): Promise<Node> {
    const port = await freePort();
    const dir = join(this.root, String(port));
    mkdirSync(dir);
    let child: ChildProcess | undefined;
    const node: Node = {
      port,
      dir,
      running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
      async start(extraArgs = []) {
        child = spawn(redisServerBinary(), [...args(port, dir), ...extraArgs], { stdio: 'ignore', cwd: dir });
        for (const deadline = Date.now() + 10_000; !(await pingRedis(port));) {
          if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
          await new Promise((r) => setTimeout(r, 30));
        }
      },
      async kill() {
        const proc = child;
        child = undefined;
        if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGCONT');
        await new Promise<void>((resolve) => {
          proc.once('exit', () => resolve());
          proc.kill('SIGKILL');
        });
      },
    };
    this.nodes.push(node);
    return node;
  }

  /** An admin connection (no retries), closed by `close()`. */
  admin(port: number): Redis {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    await Promise.all(this.nodes.map((n) => n.kill()));
    rmSync(this.root, { recursive: true, force: true });
  }
}

const DATA_ARGS = (port: number, dir: string): string[] => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'no',
  '--loglevel',
  'warning',
];

/**
 * One redis-server in cluster mode owning all 16384 slots, once it reports `cluster_state:ok`, with
 * an admin client on it. The caller closes both (`admin.disconnect()`, `node.close()`); when the
 * cluster does not become ready, this closes them itself before throwing.
 */
export async function startOneNodeCluster(): Promise<{ node: SpawnedRedis; admin: Redis }> {
  const node = await startRedisServer({
    extraArgs: [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-announce-ip',
      '127.0.0.1',
    ],
  });
  const admin = new Redis(node.url);
  try {
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await until(
      'one-node cluster ready',
      async () => String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'),
      10_000,
    );
  } catch (err) {
    admin.disconnect();
    await node.close();
    throw err;
  }
  return { node, admin };
}

export interface ClusterTopology {
  /** Masters (index i) and their replicas (index i). */
  masters: Node[];
  replicas: Node[];
  nodes: Node[];
}

/**
 * A Redis Cluster of `shards` masters, each with one replica, made by CLUSTER MEET/ADDSLOTSRANGE/
 * REPLICATE. `nodeTimeout` ms decides how fast a dead master is replaced.
 */
export async function startCluster(topology: Topology, shards = 3, nodeTimeout = 1000): Promise<ClusterTopology> {
  const args = (port: number, dir: string): string[] => [
    ...DATA_ARGS(port, dir),
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, 'nodes.conf'),
    '--cluster-node-timeout',
    String(nodeTimeout),
    '--cluster-announce-ip',
    '127.0.0.1',
  ];
  const masters: Node[] = [];
  const replicas: Node[] = [];
  for (let i = 0; i < shards; i++) masters.push(await topology.node(args));
  for (let i = 0; i < shards; i++) replicas.push(await topology.node(args));
  const nodes = [...masters, ...replicas];
  await Promise.all(nodes.map((n) => n.start()));
  const first = topology.admin(masters[0]!.port);
  for (const n of nodes.slice(1)) await first.call('CLUSTER', 'MEET', '127.0.0.1', String(n.port));
  const per = Math.ceil(16384 / shards);
  for (let i = 0; i < shards; i++) {
    const from = i * per;
    const to = Math.min(16383, from + per - 1);
    await topology.admin(masters[i]!.port).call('CLUSTER', 'ADDSLOTSRANGE', String(from), String(to));
  }
  for (let i = 0; i < shards; i++) {
    const id = String(await topology.admin(masters[i]!.port).call('CLUSTER', 'MYID'));
    const replica = topology.admin(replicas[i]!.port);
    await until('replica knows its master', async () => String(await replica.call('CLUSTER', 'NODES')).includes(id));
    await replica.call('CLUSTER', 'REPLICATE', id);
  }
  await until(
    'cluster ok with every replica in sync',
    async () => {
      for (const n of nodes) {
        const admin = topology.admin(n.port);
        if (!String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
      }
      for (const r of replicas) {
        if (!String(await topology.admin(r.port).info('replication')).includes('master_link_status:up')) return false;
      }
      return true;
    },
    20_000,
  );
  return { masters, replicas, nodes };
}

export interface SentinelTopology {
  name: string;
  data: Node[];
  sentinels: Node[];
  /** The port of the master the sentinels currently announce. */
  masterPort(): Promise<number>;
}

/**
 * A master, `replicaCount` replicas and three sentinels (quorum 2) watching it as `name`, with
 * `downAfter` ms before a silent master counts as down.
 */
export async function startSentinel(
  topology: Topology,
  { name = 'kts', replicaCount = 1, downAfter = 1000 } = {},
): Promise<SentinelTopology> {
  const master = await topology.node(DATA_ARGS);
  await master.start();
  const data = [master];
  for (let i = 0; i < replicaCount; i++) {
    const replica = await topology.node(DATA_ARGS);
    await replica.start(['--replicaof', '127.0.0.1', String(master.port)]);
    data.push(replica);
  }
  const sentinels: Node[] = [];
  for (let i = 0; i < 3; i++) {
    const sentinel = await topology.node((port, dir) => {
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
          `sentinel down-after-milliseconds ${name} ${downAfter}`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      return [conf, '--sentinel'];
    });
    sentinels.push(sentinel);
  }
  await Promise.all(sentinels.map((s) => s.start()));
  const ask = topology.admin(sentinels[0]!.port);
  const masterPort = async (): Promise<number> =>
    Number(((await ask.call('SENTINEL', 'get-master-addr-by-name', name)) as string[])[1]);
  await until('sentinels see the replicas and each other', async () => {
    for (const s of sentinels) {
      const info = (await topology.admin(s.port).call('SENTINEL', 'master', name)) as string[];
      const field = (key: string): number => Number(info[info.indexOf(key) + 1]);
      if (field('num-slaves') < replicaCount || field('num-other-sentinels') < 2) return false;
    }
    return true;
  });
  for (const r of data.slice(1)) {
    await until('replica in sync', async () =>
      String(await topology.admin(r.port).info('replication')).includes('master_link_status:up'),
    );
  }
  return { name, data, sentinels, masterPort };
}
