// Summarises a V8 CPU profile (from `BENCH_PROFILE=1 npm run bench`):
//   node bench/profile-top.mjs bench/profiles/ours-signed.cpuprofile [top=25]
// prints the functions with the most self time, and self time per package/file group.
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-top.mjs FILE.cpuprofile [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = new Map();
// samples[i] was taken timeDeltas[i] µs after the previous one.
for (let i = 0; i < profile.samples.length; i++) {
  dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
let total = 0;
let idle = 0;
const fns = new Map();
const groups = new Map();
function group(url) {
  if (!url) return '(native/V8)';
  // Our own code, compiled into node_modules/.cache by bench/run.mjs.
  const own = url.match(/koa-typed-session-bench\/((?:src|bench)\/.*)$/);
  if (own) return own[1];
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (m) return m[m.length - 1].replace('node_modules/', '');
  if (url.startsWith('node:')) return url;
  return url;
}
for (const [id, micros] of dt) {
  const node = byId.get(id);
  const cf = node.callFrame;
  if (cf.functionName === '(idle)' || cf.functionName === '(program)') {
    if (cf.functionName === '(idle)') idle += micros;
  }
  total += micros;
  const key = `${cf.functionName || '(anonymous)'}  ${group(cf.url)}:${cf.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + micros);
  const g = cf.functionName.startsWith('(') ? cf.functionName : group(cf.url);
  groups.set(g, (groups.get(g) ?? 0) + micros);
}
const busy = total - idle;
// Inclusive ("total") time of our own functions: self time of the node and everything it called.
const inclusive = new Map();
function walk(node) {
  let sum = dt.get(node.id) ?? 0;
  for (const child of node.children ?? []) sum += walk(byId.get(child));
  const cf = node.callFrame;
  if (/koa-typed-session-bench\/src\//.test(cf.url)) {
    const key = `${cf.functionName || '(anonymous)'}  ${group(cf.url)}:${cf.lineNumber + 1}`;
    // Recursion would count twice; our engine does not recurse, so a plain sum is right here.
    inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
  }
  return sum;
}
walk(profile.nodes[0]);
const pct = (x) => ((100 * x) / busy).toFixed(1).padStart(5) + '%';
console.log(`${file}: ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s sampled`);
console.log('\nself time by function (share of busy time):');
for (const [k, v] of [...fns]
  .filter(([k]) => !k.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(`${pct(v)}  ${k}`);
console.log('\ntotal (inclusive) time of our src/ functions:');
for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
console.log('\nself time by package / file:');
for (const [k, v] of [...groups]
  .filter(([k]) => k !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(`${pct(v)}  ${k}`);
