/**
 * Authenticated encryption of cookie values (opt-in `encrypt` option): AES-256-GCM from
 * `node:crypto`, so the client can neither read nor alter what the cookie carries.
 *
 * Wire format (base64url, no padding): `version (1 byte) | IV (12 bytes) | ciphertext | tag (16 bytes)`.
 * The additional authenticated data binds the version byte and the cookie name, so a value sealed
 * for one cookie (or one app using another cookie name) does not open as another.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SessionConfigError } from './errors';

/** A key: a secret string of at least 32 characters (run through HKDF), or exactly 32 raw bytes. */
export type EncryptionKey = string | Uint8Array;

/**
 * The `encrypt` option.
 *
 * @example
 * ```ts
 * // newest first: it seals; every key opens, so rotating logs nobody out
 * app.use(session({ encrypt: { keys: [process.env.SESSION_KEY_2025!, process.env.SESSION_KEY_2024!] } }, app));
 * ```
 */
export interface EncryptionOptions {
  /** Non-empty list, newest first. Strings: >= 32 characters, derived with HKDF-SHA256; bytes: exactly 32. */
  keys: readonly EncryptionKey[];
}

/** Seals and opens the values of one cookie. Never throws on hostile input. */
export interface CookieSealer {
  /** Encrypts with the first key and a fresh random IV. */
  seal(plaintext: string): string;
  /**
   * Opens a value sealed by any of the keys; `keyIndex > 0` means an older key opened it (the
   * value should be re-sealed). `undefined` for anything else (tampered, truncated, unknown key).
   */
  unseal(sealed: string):
    | {
        /** The opened value. */
        plaintext: string;
        /** Index in `keys` of the key that opened it (0: the newest). */
        keyIndex: number;
      }
    | undefined;
}

/** The first byte of every sealed value; a new format gets a new byte, so old cookies stay readable. */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MIN_SECRET_CHARS = 32;
/** Longer values cannot come from a browser (4096-byte limit): refuse them without work. */
const MAX_SEALED_CHARS = 8192;
// Fixed salt and info: HKDF here only turns a high-entropy secret into a key of the right size
// (RFC 5869 §3.1 allows a fixed salt); it is not a password hash, hence the 32-character minimum.
const HKDF_SALT = 'koa-typed-session';
const HKDF_INFO = 'koa-typed-session cookie encryption v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function fail(problem: string, fix: string): never {
  throw new SessionConfigError('encrypt', problem, fix);
}

const GENERATE =
  "Generate one with `node -e \"console.log(require('crypto').randomBytes(32).toString('base64url'))\"`.";

/**
 * Validates the `encrypt` option and turns each key into 32 bytes.
 *
 * @throws SessionConfigError when the option, the list or any key is unusable.
 */
export function deriveEncryptionKeys(option: unknown): Buffer[] {
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    fail(
      `must be an object such as { keys: [secret] }, got ${Array.isArray(option) ? 'an array' : typeof option}`,
      'Pass `encrypt: { keys: [process.env.SESSION_KEY] }`.',
    );
  }
  const extra = Object.keys(option).filter((name) => name !== 'keys');
  if (extra.length > 0) fail(`has unknown field(s) ${extra.join(', ')}`, 'The only field is `keys`.');
  const keys: unknown = (option as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    fail(
      'needs `keys`: a non-empty array, newest key first',
      `Pass \`encrypt: { keys: [process.env.SESSION_KEY] }\`. ${GENERATE}`,
    );
  }
  return keys.map((key: unknown, i) => {
    if (typeof key === 'string') {
      if (key.length < MIN_SECRET_CHARS) {
        fail(`keys[${i}] is a string of ${key.length} characters; at least ${MIN_SECRET_CHARS} are required`, GENERATE);
      }
      return Buffer.from(hkdfSync('sha256', key, HKDF_SALT, HKDF_INFO, KEY_BYTES));
    }
    if (key instanceof Uint8Array) {
      if (key.length !== KEY_BYTES)
        fail(`keys[${i}] has ${key.length} bytes; a raw key must have exactly ${KEY_BYTES}`, GENERATE);
      return Buffer.from(key);
    }
    return fail(`keys[${i}] must be a string or 32 bytes, got ${key === null ? 'null' : typeof key}`, GENERATE);
  });
}

/**
 * Creates the sealer of one cookie from the `encrypt` option.
 *
 * @example
 * ```ts
 * const sealer = createCookieSealer({ keys: [secret] }, 'koa.sess');
 * const value = sealer.seal('{"user":"ada"}');
 * sealer.unseal(value); // { plaintext: '{"user":"ada"}', keyIndex: 0 }
 * ```
 * @throws SessionConfigError when the keys are unusable.
 */
export function createCookieSealer(option: EncryptionOptions, cookieName: string): CookieSealer {
  const keys = deriveEncryptionKeys(option);
  const aad = Buffer.concat([Buffer.of(VERSION), Buffer.from(cookieName, 'utf8')]);

  function open(key: Buffer, iv: Buffer, body: Buffer, tag: Buffer): string | undefined {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      return undefined; // wrong key or tampered: GCM's tag check failed
    }
  }

  return {
    seal(plaintext: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]).toString('base64url');
    },

    unseal(sealed: string) {
      if (sealed.length > MAX_SEALED_CHARS || !BASE64URL.test(sealed)) return undefined;
      const bytes = Buffer.from(sealed, 'base64url');
      // Only the canonical spelling opens: no second cookie value for the same bytes.
      if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION || bytes.toString('base64url') !== sealed)
        return undefined;
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const body = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
        const plaintext = open(keys[keyIndex]!, iv, body, tag);
        if (plaintext !== undefined) return { plaintext, keyIndex };
      }
      return undefined;
    },
  };
}
