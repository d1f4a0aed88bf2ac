/**
 * Chaos on a Sentinel group (master, one replica, three sentinels): load through a RedisStore
 * created with `redis: { sentinels, name }`, then a planned failover (SENTINEL FAILOVER) and a
 * crash (SIGKILL of the master). No acknowledged write or logout may be lost.
 */
import Redis from 'ioredis';
import { RedisStore } from 'koa-typed-session/redis';
import { uniquePrefix, until } from '../helpers/redis';
import { startSentinel, Topology, type SentinelTopology } from '../helpers/redis-topology';
import { chaosApp, expectNothingLost, recovered, startLoad } from './load';

jest.setTimeout(60_000);

const STORE_TIMEOUT = 1500;

describe('chaos: Sentinel failover under load', () => {
  const topology = new Topology();
  let group: SentinelTopology;
  let store: RedisStore | undefined;
  const prefix = uniquePrefix('chaos-sentinel');

  beforeAll(async () => {
    group = await startSentinel(topology, { downAfter: 1000 });
    store = new RedisStore({
      redis: { sentinels: group.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })), name: group.name },
      prefix,
      userField: 'userId',
      readyTimeout: 800,
    });
  }, 40_000);

  afterAll(async () => {
    await store?.quit().catch(() => undefined);
    await topology.close();
  });

  async function scenario(name: string, fault: (oldMaster: number) => Promise<void>): Promise<void> {
    const oldMaster = await group.masterPort();
    // Start from a healthy group: every other data node a replica of the master, in sync (after a
    // planned failover, sentinel turns the old master into a replica some 8-10 s later).
    await until(
      'every replica in sync',
      async () => {
        for (const n of group.data.filter((d) => d.port !== oldMaster)) {
          const info = String(await topology.admin(n.port).info('replication'));
          if (!info.includes(`master_port:${oldMaster}`) || !info.includes('master_link_status:up')) return false;
        }
        return true;
      },
      20_000,
    );
    let faultAt = Infinity;
    let settledAt = Infinity;
    const start = Date.now();
    const load = startLoad(chaosApp(store!, STORE_TIMEOUT), { stop: (run) => recovered(run, settledAt) });
    await until('load under way', () => load.run.requests - load.run.failed >= 150, 15_000);
    faultAt = Date.now();
    await fault(oldMaster);
    settledAt = Date.now();
    const run = await load.finished;
    const master = new Redis({ host: '127.0.0.1', port: await group.masterPort(), maxRetriesPerRequest: 1 });
    try {
      await expectNothingLost(name, run, (k) => master.get(k), { prefix, faultAt, start });
    } finally {
      master.disconnect();
    }
  }

  it('planned failover (SENTINEL FAILOVER): no acknowledged write or logout is lost', async () => {
    await scenario('sentinel-planned', async (oldMaster) => {
      await topology.admin(group.sentinels[0]!.port).call('SENTINEL', 'FAILOVER', group.name);
      await until('sentinel announces the new master', async () => (await group.masterPort()) !== oldMaster);
    });
  });

  it('killed master (SIGKILL): no acknowledged write or logout is lost', async () => {
    await scenario('sentinel-killed', async (oldMaster) => {
      const node = group.data.find((n) => n.port === oldMaster)!;
      await node.kill();
      await until('sentinel announces the new master', async () => (await group.masterPort()) !== oldMaster);
      // The crashed server comes back (as a supervisor would restart it) as a replica of the new master.
      await node.start(['--replicaof', '127.0.0.1', String(await group.masterPort())]);
      await until('the restarted replica is in sync', async () =>
        String(await topology.admin(node.port).info('replication')).includes('master_link_status:up'),
      );
    });
  });
});
