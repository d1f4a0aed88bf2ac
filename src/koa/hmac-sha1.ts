/**
 * HMAC-SHA1 as Keygrip signs cookies, the same bytes as `createHmac('sha1', key)`, computed with
 * two one-shot `crypto.hash()` calls (RFC 2104: `H(K^opad || H(K^ipad || m))`) when the key is a
 * string of at most 64 ASCII characters, which covers `app.keys` in practice. Other keys, and Node
 * versions without `crypto.hash` (before 20.12), use `createHmac` with a cached `KeyObject`.
 *
 * Kept because it measurably matters (issue 13 asked to keep a fast path only where it does):
 * `npm run bench -- micro` (MICRO_BATCH=300 MICRO_BATCHES=200, BENCH_BEFORE A/B in one process,
 * Node 20.20, shared 2-core machine) with every key on the `createHmac` path instead: signed
 * read+write 12.4 -> 13.4-13.6 µs per request (+1.0-1.15 µs, ~8%, two runs), signed read-only
 * 7.95 -> 8.58 µs (+0.6 µs). The property tests in test/fast-path-bytes/hmac-signature.test.ts
 * compare both paths with Keygrip byte for byte.
 */
import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Buffer, outputEncoding: string) => string | Buffer;

const oneShotHash = (crypto as unknown as { hash?: OneShotHash }).hash;

/** SHA-1's block size: keys are padded (or, when longer, hashed) to it. */
const BLOCK = 64;

/** The precomputed pads of one key: the inner pad as a string, the outer pad with room for the inner digest. */
interface Pads {
  inner: string;
  outer: Buffer;
}

/** A reusable signer for one secret key (kept per key: the pads or the KeyObject are made once). */
export class HmacSha1 {
  private readonly pads: Pads | undefined;
  private readonly keyObject: crypto.KeyObject | Buffer | undefined;

  constructor(key: string | Buffer) {
    if (oneShotHash && typeof key === 'string' && key.length <= BLOCK && Buffer.byteLength(key) === key.length) {
      // Byte length = length: all ASCII. ASCII key bytes XOR 0x36 / 0x5c stay below 0x80, so the
      // inner pad is a plain string, hashed as UTF-8 with the data as Hmac.update(data) hashes it.
      const inner = Buffer.alloc(BLOCK, 0x36);
      const outer = Buffer.alloc(BLOCK + 20, 0x5c);
      for (let i = 0; i < key.length; i++) {
        inner[i]! ^= key.charCodeAt(i);
        outer[i]! ^= key.charCodeAt(i);
      }
      this.pads = { inner: inner.toString('latin1'), outer };
    } else {
      // An HMAC with a KeyObject is ~15% faster than with a string key.
      this.keyObject = typeof key === 'string' ? crypto.createSecretKey(Buffer.from(key)) : key;
    }
  }

  /** The signature of `data` (UTF-8), base64url without padding: Keygrip's cookie signature. */
  digest(data: string): string {
    const pads = this.pads;
    if (!pads) return crypto.createHmac('sha1', this.keyObject!).update(data).digest('base64url');
    // The inner digest as hex, written into the reused outer buffer: asking `crypto.hash` for a
    // Buffer costs more than the hash itself (a new Buffer per call, ~0.5 µs on Node 20), while a
    // hex string and `write(hex)` into memory we own cost ~0.15 µs. (Synchronous start to end, so
    // sharing the outer buffer is safe.)
    const inner = oneShotHash!('sha1', pads.inner + data, 'hex') as string;
    pads.outer.write(inner, BLOCK, 'hex');
    return oneShotHash!('sha1', pads.outer, 'base64url') as string;
  }
}
