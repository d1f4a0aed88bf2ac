/**
 * fast-check generators of hostile Cookie headers, built from cookies a server really issued:
 * bit flips, truncation, splices, re-encoded payloads, signature swaps, wrong keys, huge values,
 * `__proto__` and other dangerous keys, duplicates, quoting and random text.
 */
import fc from 'fast-check';
import { header, type Op, type Pair } from './fuzz-harness';

/** How the cookie value is encoded in this mode. */
export type Codec = 'base64json' | 'sealed' | 'id';

/** The material the generators start from. */
export interface CookieSources {
  /** The session cookie's name. */
  name: string;
  codec: Codec;
  /** Cookies this server issued (value, and `.sig` when signed). */
  issued: Pair[][];
  /** Cookies another server (other keys) issued. */
  foreign: Pair[][];
  /** Further cookies valid in form but naming nothing (e.g. unknown ids signed with our keys). */
  extra?: Pair[][];
}

/** Keys that collide with the Session API, the prototype chain or the engine's bookkeeping. */
const DANGEROUS_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toJSON', 'save', 'regenerate', 'commit', 'manuallyCommit',
  'maxAge', 'externalKey', 'length', 'populated', 'isNew', 'hasOwnProperty', 'toString', 'valueOf',
  '_expire', '_maxAge', '_session', '_created', '_requireSave', 'user', 'role',
];

/** Payload texts chosen by hand: pollution attempts, wrong shapes, numbers that grow when re-printed. */
const NASTY_JSON = [
  '{"__proto__":{"polluted":"yes"},"user":"x"}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"toJSON":1,"save":2,"commit":"x","regenerate":null}',
  '{"_maxAge":"abc","_expire":"z"}',
  '{"_maxAge":1e308,"_session":false}',
  '{"_maxAge":-5,"_expire":99999999999999}',
  '{"_expire":null,"_created":"now"}',
  '{"maxAge":{"x":1}}',
  '[1,2,3]', 'null', '"text"', '42', 'true', '{}', '{"a":1e400}', '{',
  `{"n":[${Array(300).fill('1e20').join(',')}]}`,
  `${'['.repeat(1500)}${']'.repeat(1500)}`,
  `{"a":${'{"a":'.repeat(600)}1${'}'.repeat(600)}}`,
];

const CHAR = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const text = (maxLength: number) => fc.string({ unit: CHAR, maxLength });

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

/** An object whose keys may include `__proto__` as an own key, serialised as JSON. */
function jsonWith(base: unknown, extra: Array<[string, unknown]>): string {
  const target: Record<string, unknown> = {};
  const merge = (k: string, v: unknown) => Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (base && typeof base === 'object' && !Array.isArray(base)) for (const [k, v] of Object.entries(base)) merge(k, v);
  for (const [k, v] of extra) merge(k, v);
  return JSON.stringify(target);
}

function encodeText(json: string, style: string): string {
  const buf = Buffer.from(json);
  if (style === 'base64url') return buf.toString('base64url');
  if (style === 'nopad') return buf.toString('base64').replace(/=+$/, '');
  if (style === 'spaces') return buf.toString('base64').replace(/(.{10})/g, '$1 ');
  return buf.toString('base64');
}

function decodeJson(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return {};
  }
}

/** The index of the session cookie (the value, not the `.sig`) in the pairs. */
const valueIndex = (pairs: Pair[], name: string) => Math.max(0, pairs.findIndex(([n]) => n === name));

/** New values for the session cookie, made from an issued one according to the mode's codec. */
function reencoded(src: CookieSources, pick: fc.Arbitrary<Pair[]>): fc.Arbitrary<string> {
  const value = (pairs: Pair[]) => pairs[valueIndex(pairs, src.name)]?.[1] ?? '';
  if (src.codec === 'base64json') {
    const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), text(8)), fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 });
    const style = fc.constantFrom('base64', 'base64url', 'nopad', 'spaces');
    return fc.oneof(
      fc.tuple(pick, extra, style).map(([pairs, kv, s]) => encodeText(jsonWith(decodeJson(value(pairs)), kv), s)),
      fc.tuple(fc.constantFrom(...NASTY_JSON), style).map(([json, s]) => encodeText(json, s)),
      fc.tuple(fc.json({ maxDepth: 4 }), style).map(([json, s]) => encodeText(json, s)),
    );
  }
  if (src.codec === 'sealed') {
    const bytes = (pairs: Pair[]) => Buffer.from(value(pairs), 'base64url');
    return fc.oneof(
      fc.tuple(pick, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([pairs, pos, mask]) => {
        const b = bytes(pairs);
        b[pos % b.length] = b[pos % b.length]! ^ mask;
        return b.toString('base64url');
      }),
      fc.tuple(pick, fc.integer({ min: 0, max: 255 })).map(([pairs, version]) => {
        const b = bytes(pairs);
        b[0] = version;
        return b.toString('base64url');
      }),
      // IV or tag of another issued cookie; two cookies glued; the standard base64 alphabet.
      fc.tuple(pick, pick).map(([a, b]) => Buffer.concat([bytes(a).subarray(0, 13), bytes(b).subarray(13)]).toString('base64url')),
      fc.tuple(pick, pick).map(([a, b]) => Buffer.concat([bytes(a).subarray(0, -16), bytes(b).subarray(-16)]).toString('base64url')),
      fc.tuple(pick, pick).map(([a, b]) => Buffer.concat([bytes(a), bytes(b)]).toString('base64url')),
      pick.map((pairs) => bytes(pairs).toString('base64')),
      fc.uint8Array({ minLength: 0, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
    );
  }
  return fc.oneof(fc.uuid(), text(40), fc.constantFrom('', '0', 'null', 'undefined', '__proto__', 'constructor', 'sess:', '../etc'));
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
    { arbitrary: fc.tuple(pick, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 6 })).map(([p, which, pos, bit]) => {
      const i = which % p.length;
      return header(setValue(p, i, flipBit(p[i]![1], pos, bit)));
    }), weight: 3 },
    { arbitrary: fc.tuple(pick, fc.nat(), fc.nat()).map(([p, which, len]) => {
      const i = which % p.length;
      return header(setValue(p, i, p[i]![1].slice(0, len % (p[i]![1].length + 1))));
    }), weight: 2 },
    { arbitrary: fc.tuple(pick, fc.nat(), text(6)).map(([p, pos, insert]) => {
      const i = valueIndex(p, src.name);
      const v = p[i]![1];
      const at = pos % (v.length + 1);
      return header(setValue(p, i, v.slice(0, at) + insert + v.slice(at)));
    }), weight: 1 },
    // a new value under the original signature, or a signature of another cookie
    { arbitrary: fc.tuple(issued, reencoded(src, issued)).map(([p, v]) => header([[src.name, v], ...sigOf(p)])), weight: 4 },
    { arbitrary: fc.tuple(pick, pick).map(([a, b]) => header([a[valueIndex(a, src.name)]!, ...sigOf(b)])), weight: 2 },
    { arbitrary: pick.map((p) => header([p[valueIndex(p, src.name)]!])), weight: 1 },
    // huge values, random text, quoting, broken syntax
    { arbitrary: fc.tuple(fc.integer({ min: 4000, max: 20_000 }), fc.constantFrom('A', 'e30=', '%', '"', 'eyJ'), issued).map(([n, unit, p]) =>
      header([[src.name, unit.repeat(Math.ceil(n / unit.length))], ...sigOf(p)])), weight: 1 },
    { arbitrary: fc.tuple(text(200), fc.option(text(40))).map(([v, s]) => header(s === null ? [[src.name, v]] : [[src.name, v], [sig, s]])), weight: 2 },
    { arbitrary: pick.map((p) => header(p.map(([n, v]) => [n, `"${v}"`]))), weight: 1 },
    { arbitrary: fc.constantFrom(`${src.name}`, `${src.name}=`, `=${src.name}`, `;;; ${src.name}=;`, `${sig}=abc`, `${src.name}=a=b=c`, ' '.repeat(100)), weight: 1 },
  );
  // Duplicated and reordered cookies, and unrelated cookies around them.
  return fc.oneof(
    { arbitrary: single, weight: 6 },
    { arbitrary: fc.tuple(single, single).map(([a, b]) => `${a}; ${b}`), weight: 1 },
    { arbitrary: fc.tuple(text(20), single).map(([junk, c]) => `other=${junk.replace(/;/g, '')}; ${c}`), weight: 1 },
  );
}

/** What the handler does: mostly read, sometimes write, regenerate or destroy. */
export const hostileOp: fc.Arbitrary<Op> = fc.constantFrom<Op>('read', 'read', 'read', 'write', 'regenerate', 'destroy');
