/**
 * Differential tests of the class-transformer fast path (src/di/json-conversion.ts): for schema
 * classes without class-transformer metadata it must give exactly what class-transformer gives.
 * Internal module on purpose: the public behaviour is covered by the typed-session tests; this
 * checks the equivalence itself over generated data.
 */
import { isDeepStrictEqual } from 'node:util';
import { Exclude, Expose, Transform, Type, instanceToPlain, plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';
import fc from 'fast-check';
import { instanceJson, isPlainSchema, jsonToInstance } from '../../src/di/json-conversion';

class Counter {
  @IsInt() view = 0;
  @IsOptional() @IsString() user?: string;
}

class Rich {
  tags: string[] = ['a'];
  nested = { deep: { n: 1 } };
  private hidden = 1;
  get readOnly(): number {
    return this.hidden;
  }
  get both(): number {
    return this.hidden;
  }
  set both(value: number) {
    this.hidden = value;
  }
  method(): string {
    return 'm';
  }
}

class Child extends Rich {
  extra = 'x';
}

class WithType {
  @Type(() => Date) at?: Date;
}
class WithExclude {
  @Exclude() secret = 's';
}
class WithExpose {
  @Expose({ name: 'n' }) name = 'a';
}
class WithTransform {
  @Transform(({ value }) => String(value)) v = 1;
}
class ChildOfDecorated extends WithExclude {}

const SCHEMAS: Array<new () => object> = [Counter, Rich, Child];
const KEYS = [
  'view',
  'user',
  'tags',
  'nested',
  'readOnly',
  'both',
  'method',
  'extra',
  'hidden',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'x',
  '0',
  '_p',
];
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON values as readData() produces them: no __proto__/constructor/prototype keys anywhere. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  ),
})).value;
/** As JSON.parse gives it (fast-check's dictionaries have no prototype). */
const data = fc
  .dictionary(fc.constantFrom(...KEYS), json, { maxKeys: 6 })
  .map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);

function outcome(fn: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

describe('json-conversion fast path', () => {
  test('isPlainSchema: true only without class-transformer metadata (own or inherited)', () => {
    expect([Counter, Rich, Child].map((t) => isPlainSchema(t))).toEqual([true, true, true]);
    expect([WithType, WithExclude, WithExpose, WithTransform, ChildOfDecorated].map((t) => isPlainSchema(t))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test('jsonToInstance equals plainToInstance(type, data, { exposeDefaultValues: true })', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCHEMAS), data, (type, plain) => {
        expect(Object.keys(plain).some((k) => UNSAFE.has(k))).toBe(false);
        const fast = outcome(() => jsonToInstance(type, JSON.parse(JSON.stringify(plain)) as Record<string, unknown>));
        const slow = outcome(() => plainToInstance(type, plain, { exposeDefaultValues: true }));
        expect(fast.error).toBe(slow.error);
        expect(isDeepStrictEqual(fast.value, slow.value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('a nested key of Object.prototype is dropped, as class-transformer does', () => {
    const plain = { nested: { toString: 1, ok: 2 } };
    expect(jsonToInstance(Rich, plain).nested).toEqual(plainToInstance(Rich, plain).nested);
    expect(jsonToInstance(Rich, plain).nested).toEqual({ ok: 2 });
  });

  /** Values a handler may put on an instance: JSON and also what the fast path must refuse. */
  const anyValue = fc.oneof(
    json.map((v) => JSON.parse(JSON.stringify(v)) as unknown),
    json,
    fc.constant(undefined),
    fc.constant(Number.NaN),
    fc.date(),
    fc.array(json, { maxLength: 3 }).map((a) => [a, new Date(0), undefined]),
    fc.constant(new Map([['k', 1]])),
    fc.constant(new Set([1])),
    fc.constant(new WithExclude()),
    fc.constant(() => 'called'),
    fc.constant(Object.assign([], { 2: 3 })), // holes: class-transformer compacts the array
    fc.constant(Object.create(null) as object),
    fc.constant({ toJSON: () => 'custom' }),
  );

  test('instanceJson equals the per-key JSON of instanceToPlain, or declines', () => {
    // Runs where the fast path answered (and was compared): a property that only ever declines checks nothing.
    let compared = 0;
    const runs = 500;
    fc.assert(
      fc.property(
        fc.constantFrom(...SCHEMAS),
        fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 5 }),
        (type, edits) => {
          const instance = new type() as unknown as Record<string, unknown>;
          for (const [key, value] of Object.entries(edits)) {
            try {
              instance[key] = value;
            } catch {
              // a getter without setter: not assignable, for either path
            }
          }
          const fast = instanceJson(instance);
          if (!fast) return;
          compared++;
          const plain = instanceToPlain(instance) as Record<string, unknown>;
          const slow = new Map<string, string>();
          for (const key of Object.keys(plain)) {
            const text = JSON.stringify(plain[key]) as string | undefined;
            if (text !== undefined) slow.set(key, text);
          }
          expect([...fast]).toEqual([...slow]);
        },
      ),
      { numRuns: runs },
    );
    expect(compared).toBeGreaterThanOrEqual(runs / 10);
  });

  test('instanceJson takes the fast path for JSON data and Dates, and declines the rest', () => {
    fc.assert(
      fc.property(data, (plain) => {
        const instance = Object.assign(new Counter(), plain, { at: new Date(0) });
        expect(instanceJson(instance)).toBeDefined();
      }),
    );
    const sparse = [1, 2];
    delete sparse[0]; // a hole: class-transformer would compact the array
    for (const value of [new Map(), new WithExclude(), () => 1, sparse, 10n, Symbol('s')])
      expect(instanceJson(Object.assign(new Counter(), { value }))).toBeUndefined();
  });
});
