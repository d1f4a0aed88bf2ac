import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import request from 'supertest';
import { ROOT, cookieHeader, ensureBuilt } from './sample-loader';

/**
 * The seed's multi-API app as a real process, the way `node samples/seed/multi-api.js` runs it:
 * Node resolves `require('koa-typed-session')` to this package itself (package.json "exports",
 * self-reference) and so to dist/index.cjs. PORT=0 lets the OS pick a free port on 127.0.0.1.
 */
function start(file: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, file)], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${file} did not start within 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${output}`));
    });
  });
}

describe('npm start: node samples/seed/multi-api.js as a real process', () => {
  let child: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    ensureBuilt();
    ({ child, url } = await start('samples/seed/multi-api.js'));
  });
  afterAll(() => {
    child?.kill();
  });

  it('serves set -> get -> destroy -> get over real HTTP', async () => {
    const set = await request(url).get('/set').expect(200, 'Session is set!');
    const got = await request(url).get('/get').set('Cookie', cookieHeader(set)).expect(200, 'User: JohnDoe');
    const destroyed = await request(url)
      .get('/destroy')
      .set('Cookie', cookieHeader(got))
      .expect(200, 'Session destroyed!');
    await request(url).get('/get').set('Cookie', cookieHeader(destroyed)).expect(200, 'User: undefined');
    await request(url).get('/').expect(200, 'Hello World');
  });
});

describe('a runnable sample on a busy port', () => {
  let busy: Server | undefined;
  let port = 0;

  beforeAll(async () => {
    ensureBuilt();
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, () => resolve()));
    port = (busy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => (busy ? busy.close(resolve) : resolve(undefined)));
  });

  // The TypeScript samples (decorators, cart, redis, web) listen through samples/seed/typed/listen.ts:
  // run it compiled, as dist-samples does, from a main module.
  const tsProbe = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-listen-'));
    const source = readFileSync(join(ROOT, 'samples', 'seed', 'typed', 'listen.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } });
    writeFileSync(join(dir, 'listen.js'), outputText);
    writeFileSync(
      join(dir, 'main.js'),
      `const Koa = require(${JSON.stringify(join(ROOT, 'node_modules', 'koa'))});\n` +
        `require('./listen').listenIfMain(module, () => new Koa(), 'probe');\n`,
    );
    return dir;
  };

  it.each(['samples/seed/multi-api.js', 'samples/seed/basic-setup.js', 'samples/seed/typed/listen.ts'])(
    '%s prints one line saying the port is in use and to set PORT, and exits 1 (no stack)',
    (file) => {
      const dir = file.endsWith('.ts') ? tsProbe() : undefined;
      const run = spawnSync(process.execPath, [dir ? join(dir, 'main.js') : join(ROOT, file)], {
        cwd: ROOT,
        env: { ...process.env, PORT: String(port) },
        encoding: 'utf8',
        timeout: 50_000,
      });
      if (dir) rmSync(dir, { recursive: true, force: true });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port} is already in use`);
      expect(lines[0]).toContain('PORT=');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );
});
