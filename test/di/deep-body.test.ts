import { IsOptional, IsString } from 'class-validator';
import { Body, Controller, MAX_DTO_DEPTH, Post, createApp } from 'koa-typed-session/decorators';
import request from 'supertest';

class NoteDto {
  @IsString() title!: string;
  @IsOptional() meta?: unknown;
}

@Controller('/')
class Notes {
  @Post('/notes')
  create(@Body() body: NoteDto) {
    return { title: body.title };
  }
}

function nested(levels: number): string {
  return `{"title":"t","meta":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

describe('DTO bodies: nesting deeper than the documented limit is a cheap 400', () => {
  const app = createApp({ keys: ['k'], controllers: [Notes] });
  const errors: unknown[] = [];
  app.on('error', (err: unknown) => errors.push(err));

  it('answers a 20,000-level body with a 400 (not a 500 after a stack overflow), cheaply', async () => {
    const body = nested(20_000);
    await request(app.callback()).post('/notes').set('Content-Type', 'application/json').send(body); // warm-up
    const before = process.cpuUsage();
    const res = await request(app.callback()).post('/notes').set('Content-Type', 'application/json').send(body);
    const cpu = process.cpuUsage(before);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'ERR_REQUEST_VALIDATION' });
    expect(res.body.errors).toEqual([
      {
        property: 'meta',
        constraints: { maxDepth: `meta nests deeper than ${MAX_DTO_DEPTH} levels (the limit of a request value)` },
      },
    ]);
    // A guard against work that grows faster than the body (a walk of all 20,000 levels per level
    // would cost seconds), not a speed target: the process's CPU time also counts GC and whatever
    // else the jest worker does, which took this from ~10 ms to 110 ms on a loaded CI machine.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1000);
    expect(errors).toEqual([]);
  });

  it('accepts nesting up to the limit', async () => {
    // The body object is level 1; its value `meta` then holds MAX_DTO_DEPTH - 2 nested arrays (+ the innermost).
    const res = await request(app.callback())
      .post('/notes')
      .set('Content-Type', 'application/json')
      .send(nested(MAX_DTO_DEPTH - 1))
      .expect(200);
    expect(res.body).toEqual({ title: 't' });
    await request(app.callback())
      .post('/notes')
      .set('Content-Type', 'application/json')
      .send(nested(MAX_DTO_DEPTH))
      .expect(400);
  });
});
