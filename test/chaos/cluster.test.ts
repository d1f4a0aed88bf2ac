/**
 * Chaos on a Redis Cluster (3 masters, one replica each): load through a RedisStore created with
 * `cluster: { nodes }`, then a planned failover (CLUSTER FAILOVER on a replica: coordinated, the
 * master hands over once the replica caught up) and a crash (SIGKILL of a master, replaced by its
 * replica after cluster-node-timeout). No acknowledged write or logout may be lost.
 */
import { Cluster } from 'ioredis';
import { RedisStore } from 'koa-typed-session/redis';
import { uniquePrefix, until } from '../helpers/redis';
import { startCluster, Topology, type ClusterTopology, type Node } from '../helpers/redis-topology';
import { chaosApp, expectNothingLost, recovered, startLoad } from './load';

jest.setTimeout(60_000);

const STORE_TIMEOUT = 1500;

describe('chaos: Cluster failover under load', () => {
  const topology = new Topology();
  let cluster: ClusterTopology;
  const stores: RedisStore[] = [];

  beforeAll(async () => {
    cluster = await startCluster(topology, 3, 1000);
  }, 40_000);

  afterAll(async () => {
    for (const store of stores) await store.quit().catch(() => undefined);
    await topology.close();
  });

  const role = async (n: Node): Promise<string> =>
    String(((await topology.admin(n.port).call('ROLE')) as unknown[])[0]);

  async function scenario(name: string, waitReplicas: number, fault: () => Promise<void>): Promise<void> {
    const prefix = uniquePrefix(`chaos-${name}`);
    const store = new RedisStore({
      cluster: { nodes: cluster.masters.map((n) => ({ host: '127.0.0.1', port: n.port })) },
      prefix,
      userField: 'userId',
      readyTimeout: 1000,
      waitReplicas,
    });
    stores.push(store);
    let faultAt = Infinity;
    let settledAt = Infinity;
    const start = Date.now();
    const load = startLoad(chaosApp(store, STORE_TIMEOUT), { stop: (run) => recovered(run, settledAt) });
    await until('load under way', () => load.run.requests - load.run.failed >= 150, 15_000);
    faultAt = Date.now();
    await fault();
    settledAt = Date.now();
    const run = await load.finished;
    const reader = new Cluster(
      cluster.nodes.filter((n) => n.running()).map((n) => ({ host: '127.0.0.1', port: n.port })),
    );
    try {
      await expectNothingLost(name, run, (k) => reader.get(k), { prefix, faultAt, start });
    } finally {
      reader.disconnect();
    }
  }

  it('planned failover (CLUSTER FAILOVER): no acknowledged write or logout is lost', async () => {
    await scenario('cluster-planned', 0, async () => {
      const replica = cluster.replicas[0]!;
      await topology.admin(replica.port).call('CLUSTER', 'FAILOVER');
      await until('the replica took over', async () => (await role(replica)) === 'master');
      await until('the old master follows it', async () => (await role(cluster.masters[0]!)) === 'slave');
    });
  });

  it('killed master (SIGKILL) with waitReplicas: 1: no acknowledged write or logout is lost', async () => {
    await scenario('cluster-killed', 1, async () => {
      const victim = cluster.masters[1]!;
      const heir = cluster.replicas[1]!;
      await victim.kill();
      await until('the replica took over', async () => (await role(heir)) === 'master');
      // The crashed node restarts from its nodes.conf (as a supervisor would) and rejoins as a replica.
      await victim.start();
      await until('the restarted node replicates', async () =>
        String(await topology.admin(victim.port).info('replication')).includes('master_link_status:up'),
      );
    });
  });
});
