/**
 * `npm run bench`: every scenario's server in its own process pinned to core 0, autocannon here
 * pinned to core 1, scenarios interleaved over several rounds (reversed every other round, so
 * drift of a shared machine hits both sides of a comparison alike), every response checked.
 * Prints the table and writes it to bench/results/latest.md. Exit code 1 when a check failed.
 *
 * Environment: BENCH_DURATION (s per run, 4), BENCH_ROUNDS (3), BENCH_WARMUP (s, 2),
 * BENCH_CONNECTIONS (50), BENCH_ONLY (regex over scenario ids), BENCH_PROFILE (1 or a directory:
 * CPU profiles of the servers), BENCH_OUT (results file; default latest.md for a full run).
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { prime, runLoad } from './load';
import { canPin, installCleanup, killAll, pinSelf, ServerChild } from './processes';
import { startRedis, type RedisHandle } from './redis-server';
import { median, renderTable, type ScenarioResult } from './report';
import { ROWS, SCENARIOS, withBefore, type Scenario } from './scenarios';

interface Config {
  seconds: number;
  rounds: number;
  warmup: number;
  connections: number;
  only: RegExp | undefined;
  profileDir: string | undefined;
  out: string | undefined;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`bench: ${name} must be a positive number, got "${raw}"`);
  return value;
}

function readConfig(root: string): Config {
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
  const profile = process.env.BENCH_PROFILE;
  const profileDir = !profile
    ? undefined
    : profile === '1'
      ? join(root, 'bench', 'profiles')
      : isAbsolute(profile)
        ? profile
        : join(root, profile);
  const out = process.env.BENCH_OUT ?? (only ? undefined : join(root, 'bench', 'results', 'latest.md'));
  return {
    seconds: envNumber('BENCH_DURATION', 4),
    rounds: Math.round(envNumber('BENCH_ROUNDS', 3)),
    warmup: envNumber('BENCH_WARMUP', 2),
    connections: Math.round(envNumber('BENCH_CONNECTIONS', 50)),
    only,
    profileDir,
    out,
  };
}

/** Busy CPU time of the whole machine (all cores), in µs, from /proc/stat; undefined elsewhere. */
function machineBusyMicros(): number | undefined {
  try {
    const line = execFileSync('head', ['-1', '/proc/stat'], { encoding: 'utf8' });
    const [, ...fields] = line.trim().split(/\s+/).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return ((total - idle) * 1e6) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

interface MemoryResult {
  which: string;
  count: number;
  rssBefore: number;
  rssAfter: number;
  bytesPerSession: number;
}

function measureMemory(benchDir: string, which: string): Promise<MemoryResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(benchDir, 'memory-main.js'), [which], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('message', (m: MemoryResult) => resolve(m));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`bench: memory measurement "${which}" exited with ${code}`));
    });
  });
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/** Runs the benchmark; resolves with the process exit code. */
export async function main({ root, build, before }: { root: string; build: string; before?: string }): Promise<number> {
  installCleanup();
  const config = readConfig(root);
  const benchDir = join(build, 'bench');
  const pinned = canPin && pinSelf(1);
  const selected = SCENARIOS.filter((s) => !s.microOnly && (!config.only || config.only.test(s.id)));
  const { scenarios, rows: allRows } = before
    ? withBefore(selected, ROWS, before)
    : { scenarios: selected, rows: ROWS };
  if (scenarios.length === 0) throw new Error(`bench: BENCH_ONLY=${process.env.BENCH_ONLY} matches no scenario`);
  const budget = scenarios.length * (config.rounds * config.seconds + config.warmup) + 60;
  console.log(
    `bench: ${scenarios.length} scenarios x ${config.rounds} rounds x ${config.seconds} s (+${config.warmup} s warm-up), ${config.connections} connections, about ${Math.ceil((budget - 30) / 60)} min`,
  );
  console.log(
    pinned
      ? 'bench: servers pinned to core 0, autocannon to core 1 (taskset)'
      : 'bench: taskset unavailable, nothing pinned',
  );
  // A hard bound on the whole run, whatever hangs.
  const deadline = setTimeout(
    () => {
      console.error('bench: over the time budget, stopping');
      killAll();
      process.exit(1);
    },
    budget * 2 * 1000,
  );
  deadline.unref();
  if (config.profileDir) mkdirSync(config.profileDir, { recursive: true });
  const loadStart = loadavg()[0]!;

  let redis: RedisHandle | undefined;
  const results = new Map<string, ScenarioResult>();
  const servers = new Map<string, ServerChild>();
  const cookies = new Map<string, string>();
  const otherCores: number[] = [];
  try {
    if (scenarios.some((s) => s.app.includes('redis'))) redis = await startRedis(1);
    for (const scenario of scenarios) {
      const start = ServerChild.start(scenario.app, {
        benchDir: scenario.before ? join(build, 'before', 'bench') : benchDir,
        redisUrl: redis?.url,
        profileDir: config.profileDir,
        profileName: scenario.id,
      });
      // An older commit may lack what today's bench app uses: skip it rather than the whole run.
      const started = await (scenario.before
        ? start.catch((err: Error) => ({ unavailable: err.message.split('\n')[0]! }))
        : start);
      const result: ScenarioResult = {
        rps: [],
        cpuPerRequest: [],
        latencyP99: [],
        peakRssMb: 0,
        failures: 0,
        samples: [],
      };
      results.set(scenario.id, result);
      if (!(started instanceof ServerChild)) {
        result.skipped = started.unavailable;
        console.log(`bench: ${scenario.id} skipped: ${started.unavailable}`);
        continue;
      }
      servers.set(scenario.id, started);
      cookies.set(
        scenario.id,
        scenario.prime ? await prime(started.port, scenario.prime.path, scenario.prime.expect) : '',
      );
    }
    const runnable = scenarios.filter((s) => servers.has(s.id));

    const measure = async (scenario: Scenario, seconds: number, record: boolean): Promise<void> => {
      const server = servers.get(scenario.id)!;
      const result = results.get(scenario.id)!;
      const before = await server.stats();
      const busyBefore = machineBusyMicros();
      const selfBefore = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const load = await runLoad({
        port: server.port,
        path: scenario.path,
        cookie: cookies.get(scenario.id)!,
        seconds,
        connections: config.connections,
        expect: scenario.expect,
      });
      const wallMicros = Number(process.hrtime.bigint() - t0) / 1000;
      const self = process.cpuUsage(selfBefore);
      const busyAfter = machineBusyMicros();
      const after = await server.stats();
      result.failures += load.failures + (after.appErrors - before.appErrors);
      result.samples.push(...load.samples.filter((s) => !result.samples.includes(s)).slice(0, 3));
      result.peakRssMb = Math.max(result.peakRssMb, after.peakRss / 2 ** 20);
      if (!record) return;
      const serverCpu = after.cpuMicros - before.cpuMicros;
      result.rps.push(load.rps);
      result.cpuPerRequest.push(serverCpu / Math.max(1, load.responses));
      result.latencyP99.push(load.latencyP99);
      if (busyBefore !== undefined && busyAfter !== undefined) {
        otherCores.push(Math.max(0, busyAfter - busyBefore - serverCpu - self.user - self.system) / wallMicros);
      }
      const status = load.failures > 0 ? `  FAILED ${load.failures} checks: ${load.samples.join('; ')}` : '';
      console.log(
        `  ${scenario.id.padEnd(34)} ${Math.round(load.rps).toString().padStart(6)} req/s  ${(serverCpu / Math.max(1, load.responses)).toFixed(0).padStart(4)} µs/req  p99 ${load.latencyP99} ms${status}`,
      );
    };

    console.log(`bench: warm-up (${config.warmup} s each)`);
    for (const scenario of runnable) await measure(scenario, config.warmup, false);
    for (let round = 0; round < config.rounds; round++) {
      console.log(`bench: round ${round + 1}/${config.rounds}`);
      const order = round % 2 === 0 ? runnable : [...runnable].reverse();
      for (const scenario of order) await measure(scenario, config.seconds, true);
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    redis?.stop();
  }

  const memory: MemoryResult[] = [];
  if (!config.only || config.only.test('memory')) {
    for (const which of ['map', 'memory-store']) memory.push(await measureMemory(benchDir, which));
  }

  const rows = allRows.filter(
    (row) => results.has(row.subject) || (row.baseline !== undefined && results.has(row.baseline)),
  );
  const { markdown, missed } = renderTable({ rows, results });
  const failed = [...results.entries()].filter(([, r]) => r.failures > 0);
  const mb = (n: number): string => (n / 2 ** 20).toFixed(1);
  const out: string[] = [
    `# Benchmark results`,
    '',
    `${new Date().toISOString()} · node ${process.version} · ${cpus().length} cores (${cpus()[0]?.model ?? '?'}) · commit ${git(root, ['rev-parse', '--short', 'HEAD'])}${git(root, ['status', '--porcelain', '--', 'src']) ? ' + uncommitted src changes' : ''}`,
    ...(before
      ? [
          `Our scenarios also ran on the src/ of \`${before}\` (${git(root, ['rev-parse', '--short', before])}): rows "vs ${before}".`,
        ]
      : []),
    `${config.rounds} rounds x ${config.seconds} s per scenario, ${config.connections} connections, ${pinned ? 'server pinned to core 0 and autocannon to core 1' : 'not pinned'}; every response checked (status, body, Set-Cookie).`,
    `Machine load: 1-min load average ${loadStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end; other processes used on average ${otherCores.length ? median(otherCores).toFixed(2) : '?'} cores (max ${otherCores.length ? Math.max(...otherCores).toFixed(2) : '?'}) during the measured runs (2 cores in all).`,
    '',
    markdown,
    '',
    'Ratio: median of the per-round req/s ratios (both sides measured in the same round); targets are judged on it. ' +
      "CPU ratio: baseline's server CPU time per response over ours (user+system of the server process), which moves much less than req/s when other processes share the machine.",
  ];
  if (memory.length) {
    out.push('', '| memory: 100,000 sessions in one process | RSS growth | per session |', '|---|---:|---:|');
    for (const m of memory) {
      const label =
        m.which === 'map'
          ? 'Map of payload objects (the koa-session store above)'
          : 'MemoryStore (JSON strings, TTL, bounded)';
      out.push(`| ${label} | ${mb(m.rssAfter - m.rssBefore)} MB | ${Math.round(m.bytesPerSession)} bytes |`);
    }
  }
  const skipped = [...results.entries()].filter(([, r]) => r.skipped);
  if (skipped.length) out.push('', ...skipped.map(([id, r]) => `- \`${id}\` skipped: ${r.skipped}`));
  if (failed.length)
    out.push('', ...failed.map(([id, r]) => `- \`${id}\` FAILED ${r.failures} checks: ${r.samples.join('; ')}`));
  out.push('', missed.length ? `Targets missed: ${missed.join('; ')}.` : 'Every measured target met.');
  const text = out.join('\n') + '\n';
  console.log(`\n${text}`);
  if (config.out) {
    mkdirSync(join(config.out, '..'), { recursive: true });
    writeFileSync(config.out, text);
    console.log(`bench: written to ${config.out}`);
  }
  clearTimeout(deadline);
  return failed.length > 0 ? 1 : 0;
}
