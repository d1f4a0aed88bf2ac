/**
 * Payload-level generators for the hostile-cookie suites: new cookie values made from issued ones
 * according to the mode's codec (re-encoded JSON with dangerous keys, byte surgery on sealed
 * values, random ids).
 */
import fc from 'fast-check';
import type { Pair } from './fuzz-harness';

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
  '__proto__',
  'constructor',
  'prototype',
  'toJSON',
  'save',
  'regenerate',
  'commit',
  'manuallyCommit',
  'maxAge',
  'externalKey',
  'length',
  'populated',
  'isNew',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '_expire',
  '_maxAge',
  '_session',
  '_created',
  '_requireSave',
  'user',
  'role',
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
  '[1,2,3]',
  'null',
  '"text"',
  '42',
  'true',
  '{}',
  '{"a":1e400}',
  '{',
  `{"n":[${Array(300).fill('1e20').join(',')}]}`,
  `${'['.repeat(1500)}${']'.repeat(1500)}`,
  `{"a":${'{"a":'.repeat(600)}1${'}'.repeat(600)}}`,
];

const CHAR = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
export const text = (maxLength: number) => fc.string({ unit: CHAR, maxLength });

/** An object whose keys may include `__proto__` as an own key, serialised as JSON. */
function jsonWith(base: unknown, extra: Array<[string, unknown]>): string {
  const target: Record<string, unknown> = {};
  const merge = (k: string, v: unknown) =>
    Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
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
export const valueIndex = (pairs: Pair[], name: string) =>
  Math.max(
    0,
    pairs.findIndex(([n]) => n === name),
  );

/** New values for the session cookie, made from an issued one according to the mode's codec. */
export function reencoded(src: CookieSources, pick: fc.Arbitrary<Pair[]>): fc.Arbitrary<string> {
  const value = (pairs: Pair[]) => pairs[valueIndex(pairs, src.name)]?.[1] ?? '';
  if (src.codec === 'base64json') {
    const extra = fc.array(
      fc.tuple(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), text(8)), fc.jsonValue({ maxDepth: 3 })),
      { maxLength: 4 },
    );
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
      fc
        .tuple(pick, pick)
        .map(([a, b]) => Buffer.concat([bytes(a).subarray(0, 13), bytes(b).subarray(13)]).toString('base64url')),
      fc
        .tuple(pick, pick)
        .map(([a, b]) => Buffer.concat([bytes(a).subarray(0, -16), bytes(b).subarray(-16)]).toString('base64url')),
      fc.tuple(pick, pick).map(([a, b]) => Buffer.concat([bytes(a), bytes(b)]).toString('base64url')),
      pick.map((pairs) => bytes(pairs).toString('base64')),
      fc.uint8Array({ minLength: 0, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
    );
  }
  return fc.oneof(
    fc.uuid(),
    text(40),
    fc.constantFrom('', '0', 'null', 'undefined', '__proto__', 'constructor', 'sess:', '../etc'),
  );
}
