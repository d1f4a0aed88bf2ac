import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
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
