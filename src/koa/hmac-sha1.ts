/**
 * HMAC-SHA1 as Keygrip signs cookies, the same bytes as `createHmac('sha1', key)`, computed with
 * two one-shot `crypto.hash()` calls (RFC 2104: `H(K^opad || H(K^ipad || m))`) when the key is a
 * string of at most 64 ASCII characters, which covers `app.keys` in practice. Why: an Hmac object
 * (a stream with its key preparation and state) costs ~1.25 µs per signature on Node 20, the two
 * one-shot hashes ~1.0 µs, and a signed read+write request computes two. Other keys, and Node
 * versions without `crypto.hash` (before 20.12), use `createHmac` with a cached `KeyObject`.
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
    const inner = oneShotHash!('sha1', pads.inner + data, 'buffer') as Buffer;
    // The outer buffer is reused: this runs synchronously, start to end.
    inner.copy(pads.outer, BLOCK);
    return oneShotHash!('sha1', pads.outer, 'base64url') as string;
  }
}
