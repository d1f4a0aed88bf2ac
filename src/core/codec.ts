/**
 * koa-session's cookie wire format: standard base64 (with `+`, `/` and `=` padding) of the UTF-8
 * JSON of the payload. Byte-compatible in both directions, so cookies move between the libraries.
 */
import { isProtoKey } from './keys';
import type { SessionPayload } from './types';

/** Encodes a payload as koa-session does: `base64(JSON.stringify(payload))`. */
export function encodeBase64Json(payload: SessionPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

/** Drops `__proto__` keys at every depth, so parsed data can never carry a prototype. */
function dropProtoKeys(key: string, value: unknown): unknown {
  return isProtoKey(key) ? undefined : value;
}

/**
 * Parses JSON without ever yielding a `__proto__` key. The reviver is slow, so it only runs when
 * the text mentions `__proto__` at all (it never does for data this library wrote).
 */
export function safeJsonParse(text: string): unknown {
  return text.includes('__proto__') ? JSON.parse(text, dropProtoKeys) : JSON.parse(text);
}

/**
 * Decodes a koa-session cookie value. Throws a `SyntaxError` on anything that is not base64 JSON,
 * which the engine treats as "no session".
 */
export function decodeBase64Json(value: string): unknown {
  return safeJsonParse(Buffer.from(value, 'base64').toString('utf8'));
}

/** True for a plain JSON object (not null, not an array): the only shape a session payload can have. */
export function isPayload(value: unknown): value is SessionPayload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
