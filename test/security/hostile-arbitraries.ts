/**
 * fast-check generators of hostile Cookie headers, built from cookies a server really issued:
 * bit flips, truncation, splices, re-encoded payloads, signature swaps, wrong keys, huge values,
 * `__proto__` and other dangerous keys, duplicates, quoting and random text.
 */
import fc from 'fast-check';
import { header, type Op, type Pair } from './fuzz-harness';
import { reencoded, text, valueIndex, type CookieSources } from './hostile-payloads';

export type { Codec, CookieSources } from './hostile-payloads';

function setValue(pairs: Pair[], index: number, value: string): Pair[] {
  return pairs.map((p, i) => (i === index ? [p[0], value] : p));
}

function flipBit(value: string, pos: number, bit: number): string {
  if (value === '') return value;
  const i = pos % value.length;
  let c = value.charCodeAt(i) ^ (1 << bit);
  if (c < 0x20 || c > 0x7e) c = 0x41;
  return value.slice(0, i) + String.fromCharCode(c) + value.slice(i + 1);
}

/** Hostile Cookie headers for one mode. */
export function hostileCookie(src: CookieSources): fc.Arbitrary<string> {
  const all = [...src.issued, ...src.foreign, ...(src.extra ?? [])];
  const pick = fc.constantFrom(...all);
  const issued = fc.constantFrom(...src.issued);
  const sig = `${src.name}.sig`;
  const sigOf = (pairs: Pair[]): Pair[] => pairs.filter(([n]) => n === sig);

  const single = fc.oneof(
    { arbitrary: pick.map(header), weight: 2 },
    // bit flips and truncation anywhere in the value or the signature
    {
      arbitrary: fc.tuple(pick, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 6 })).map(([p, which, pos, bit]) => {
        const i = which % p.length;
        return header(setValue(p, i, flipBit(p[i]![1], pos, bit)));
      }),
      weight: 3,
    },
    {
      arbitrary: fc.tuple(pick, fc.nat(), fc.nat()).map(([p, which, len]) => {
        const i = which % p.length;
        return header(setValue(p, i, p[i]![1].slice(0, len % (p[i]![1].length + 1))));
      }),
      weight: 2,
    },
    {
      arbitrary: fc.tuple(pick, fc.nat(), text(6)).map(([p, pos, insert]) => {
        const i = valueIndex(p, src.name);
        const v = p[i]![1];
        const at = pos % (v.length + 1);
        return header(setValue(p, i, v.slice(0, at) + insert + v.slice(at)));
      }),
      weight: 1,
    },
    // a new value under the original signature, or a signature of another cookie
    {
      arbitrary: fc.tuple(issued, reencoded(src, issued)).map(([p, v]) => header([[src.name, v], ...sigOf(p)])),
      weight: 4,
    },
    { arbitrary: fc.tuple(pick, pick).map(([a, b]) => header([a[valueIndex(a, src.name)]!, ...sigOf(b)])), weight: 2 },
    { arbitrary: pick.map((p) => header([p[valueIndex(p, src.name)]!])), weight: 1 },
    // huge values, random text, quoting, broken syntax
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 4000, max: 20_000 }), fc.constantFrom('A', 'e30=', '%', '"', 'eyJ'), issued)
        .map(([n, unit, p]) => header([[src.name, unit.repeat(Math.ceil(n / unit.length))], ...sigOf(p)])),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(text(200), fc.option(text(40))).map(([v, s]) =>
        header(
          s === null
            ? [[src.name, v]]
            : [
                [src.name, v],
                [sig, s],
              ],
        ),
      ),
      weight: 2,
    },
    { arbitrary: pick.map((p) => header(p.map(([n, v]) => [n, `"${v}"`]))), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        `${src.name}`,
        `${src.name}=`,
        `=${src.name}`,
        `;;; ${src.name}=;`,
        `${sig}=abc`,
        `${src.name}=a=b=c`,
        ' '.repeat(100),
      ),
      weight: 1,
    },
  );
  // Duplicated and reordered cookies, and unrelated cookies around them.
  return fc.oneof(
    { arbitrary: single, weight: 6 },
    { arbitrary: fc.tuple(single, single).map(([a, b]) => `${a}; ${b}`), weight: 1 },
    { arbitrary: fc.tuple(text(20), single).map(([junk, c]) => `other=${junk.replace(/;/g, '')}; ${c}`), weight: 1 },
  );
}

/** What the handler does: mostly read, sometimes write, regenerate or destroy. */
export const hostileOp: fc.Arbitrary<Op> = fc.constantFrom<Op>(
  'read',
  'read',
  'read',
  'write',
  'regenerate',
  'destroy',
);
