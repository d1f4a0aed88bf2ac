/**
 * What the engine tells people, and how: process warnings with a `KTS_*` code for what a user
 * must see (a real `'warning'` event, not console output), and `NODE_DEBUG=koa-typed-session`
 * diagnostics for whoever is debugging, silent otherwise.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

// A child process with the built package: NODE_DEBUG is read when the module loads.
const script = `
const Koa = require('koa');
const request = require('supertest');
const session = require(${JSON.stringify(join(root, 'dist', 'index.cjs'))});
const app = new Koa();
app.keys = ['k1'];
app.use(session({}, app));
app.use((ctx) => { if (ctx.path === '/set') ctx.session.n = 1; ctx.body = String(ctx.session.n); });
(async () => {
  await request(app.callback()).get('/set');
  await request(app.callback()).get('/').set('Cookie', 'koa.sess=eyJuIjoxfQ==; koa.sess.sig=forged');
  const big = new Koa();
  big.keys = ['k1'];
  big.use(session({ oversizedCookie: 'warn', maxage: 1000 }, big));
  big.use((ctx) => { ctx.session.big = 'x'.repeat(5000); ctx.body = 'ok'; });
  process.on('warning', (w) => console.log(JSON.stringify({ name: w.name, code: w.code, message: w.message })));
  await request(big.callback()).get('/');
  await new Promise((r) => setTimeout(r, 20));
  console.log('done');
})();`;

function run(env: NodeJS.ProcessEnv): { stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env });
  if (child.status !== 0) throw new Error(child.stderr);
  return child;
}

describe('NODE_DEBUG=koa-typed-session', () => {
  it('prints commit decisions and session events to stderr', () => {
    const { stdout, stderr } = run({ ...process.env, NODE_DEBUG: 'koa-typed-session' });
    expect(stdout.trim().split('\n').pop()).toBe('done');
    expect(stderr).toMatch(/KOA-TYPED-SESSION \d+: commit: save \(changed\)/);
    expect(stderr).toMatch(/KOA-TYPED-SESSION \d+: session:invalid bad-signature/);
    expect(stderr).toMatch(/KOA-TYPED-SESSION \d+: commit: nothing to save/);
  });

  it('is silent without it', () => {
    const env = { ...process.env };
    delete env.NODE_DEBUG;
    const { stdout, stderr } = run(env);
    expect(stdout.trim().split('\n').pop()).toBe('done');
    expect(stderr).not.toMatch(/KOA-TYPED-SESSION \d+:/);
  });
});

describe('process warnings (a real `warning` event, printed by Node unless filtered)', () => {
  const env = { ...process.env, NODE_ENV: 'development' };

  it("oversizedCookie: 'warn' emits a KoaTypedSessionWarning with code KTS_COOKIE_TOO_LARGE", () => {
    const { stdout, stderr } = run(env);
    const warnings = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { name: string; code: string; message: string });
    expect(warnings).toContainEqual({
      name: 'KoaTypedSessionWarning',
      code: 'KTS_COOKIE_TOO_LARGE',
      message: expect.stringMatching(/^koa-typed-session: the session cookie `koa\.sess` would be \d+ bytes/),
    });
    expect(stderr).toMatch(/\[KTS_COOKIE_TOO_LARGE\] KoaTypedSessionWarning: koa-typed-session: the session cookie/);
  });

  it('legacy `maxage` emits a DeprecationWarning with code KTS_MAXAGE_DEPRECATED (at startup)', () => {
    const { stderr } = run(env);
    expect(stderr).toMatch(/\[KTS_MAXAGE_DEPRECATED\] DeprecationWarning: koa-typed-session: the `maxage` option/);
  });

  it('--no-warnings silences them', () => {
    const { stderr } = run({ ...env, NODE_OPTIONS: '--no-warnings' });
    expect(stderr).not.toMatch(/KTS_/);
  });
});
