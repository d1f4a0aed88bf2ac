/** The koa-session wire codec: standard base64 (with + / =) of the UTF-8 JSON, __proto__-safe. */
import { decodeBase64Json, encodeBase64Json } from 'koa-typed-session';

describe('codec', () => {
  it("encodes exactly as koa-session: Buffer.from(JSON.stringify(x)).toString('base64')", () => {
    const payload = { a: 1, s: 'Zoë ✓ ~~~???>>>', _expire: 1795740606242, _maxAge: 86_400_000 };
    const encoded = encodeBase64Json(payload);
    expect(encoded).toBe(Buffer.from(JSON.stringify(payload)).toString('base64'));
    expect(encoded).toMatch(/[+/]/);
    expect(decodeBase64Json(encoded)).toEqual(payload);
  });

  it('keeps = padding', () => {
    expect(encodeBase64Json({ a: 1 })).toBe('eyJhIjoxfQ==');
  });

  it('throws a SyntaxError on anything that is not base64 JSON', () => {
    expect(() => decodeBase64Json('not base64 at all')).toThrow(SyntaxError);
    expect(() => decodeBase64Json(Buffer.from('{"a":').toString('base64'))).toThrow(SyntaxError);
    expect(() => decodeBase64Json('')).toThrow(SyntaxError);
  });

  it('decodes url-safe base64 leniently, as Node (and so koa-session) does', () => {
    const urlSafe = Buffer.from('{"a":"???>>>"}').toString('base64url');
    expect(decodeBase64Json(urlSafe)).toEqual({ a: '???>>>' });
  });

  it('drops __proto__ keys at every depth; nothing is polluted', () => {
    const value = Buffer.from('{"__proto__":{"p":1},"x":{"__proto__":{"p":2},"y":[{"__proto__":{"p":3}}]}}').toString(
      'base64',
    );
    const decoded = decodeBase64Json(value) as { x: { y: object[] } };
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['x']);
    expect(Object.getPrototypeOf(decoded.x)).toBe(Object.prototype);
    expect(Object.keys(decoded.x.y[0]!)).toEqual([]);
    expect(({} as { p?: number }).p).toBeUndefined();
  });

  it('returns non-object JSON as is (the engine rejects it)', () => {
    for (const v of [[1], 'str', 3, null, true])
      expect(decodeBase64Json(Buffer.from(JSON.stringify(v)).toString('base64'))).toEqual(v);
  });
});
