import { readFileSync } from 'node:fs';
import Koa from 'koa';
import { createTestApp, request } from '../helpers/app';

declare const KOA_MAJOR: number;

// Each jest project runs the suite on one Koa major: prove the mapping really took effect.
describe('Koa major under test', () => {
  it(`is the project's Koa major`, async () => {
    // Resolve through jest's module map, as `import Koa from 'koa'` does.
    const { version } = JSON.parse(readFileSync(require.resolve('koa/package.json'), 'utf8')) as { version: string };
    expect(Number(version.split('.')[0])).toBe(KOA_MAJOR);
    const app = createTestApp();
    expect(app).toBeInstanceOf(Koa);
    app.use((ctx) => {
      ctx.session!.n = 1;
      ctx.body = 'ok';
    });
    await request(app.callback()).get('/').expect(200, 'ok');
  });
});
