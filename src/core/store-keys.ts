/**
 * The store-key lifecycle of one request (store mode): the key the client carries, the key the
 * record exists under, and the retired keys to destroy once the new record is written.
 */
export class StoreKeys {
  /** The current store key: what the cookie (or `externalKey`) carries; `undefined` until generated. */
  current: string | undefined;
  /** The key this session's record exists under in the store, if any. */
  persisted: string | undefined;
  /** Old keys to destroy once the new record is written (regenerate, null-then-object), oldest first. */
  stale: string[] = [];

  /** The record was loaded under `key`. */
  adopt(key: string): void {
    this.current = key;
    this.persisted = key;
  }

  /** Forgets the current key: it is destroyed after the next write, and a new one is generated. */
  retire(): void {
    if (this.persisted) this.stale.push(this.persisted);
    this.persisted = undefined;
    this.current = undefined;
  }

  /** The key a move to a new id starts from: the last retired one. */
  get moveSource(): string | undefined {
    return this.stale[this.stale.length - 1];
  }

  /** The move succeeded: the store deleted the old record itself. */
  moved(): void {
    this.stale.pop();
  }

  /** `key` is gone already (revoked): nothing to destroy for it. */
  drop(key: string): void {
    this.stale = this.stale.filter((k) => k !== key);
  }

  /** Destroys the retired keys, oldest first; a key leaves the list once its destroy succeeded. */
  async destroyStale(destroy: (key: string) => Promise<unknown>): Promise<void> {
    while (this.stale.length > 0) {
      await destroy(this.stale[0]!);
      this.stale.shift();
    }
  }
}
