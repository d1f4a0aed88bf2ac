/**
 * Change tracking of one request's session: the data's JSON as loaded or last saved, its per-key
 * JSON (kept for stores that merge changes: `patch`, `touch`, `take`), and whether it was saved
 * once already in this request.
 */
import { safeJsonParse } from './codec';
import { jsonByKey } from './keys';
import type { SessionData } from './types';

export class ChangeTracker {
  /** JSON of the data as loaded or last saved; `undefined` for a new session. */
  json: string | undefined;
  /** Per-key JSON of the stored record as loaded or last written (stores that merge changes only). */
  keys: Map<string, string> | undefined;
  /** Saved in this request already (save(), manuallyCommit()). */
  savedOnce = false;

  /** The baseline of a loaded session; `perKey`: also keep its per-key JSON. */
  loaded(data: SessionData, perKey: boolean): void {
    this.json = JSON.stringify(data);
    if (perKey) this.keys = jsonByKey(data);
  }

  /**
   * How `json` (the data now) compares with the baseline: `'changed'`; `'skip'` when there is
   * nothing to write whatever the options (a new empty session, or unchanged and saved in this
   * request already); `'unchanged'` otherwise (rolling or renew may still save).
   */
  compare(json: string): 'changed' | 'unchanged' | 'skip' {
    if (this.json === undefined && json === '{}') return 'skip';
    if (json !== this.json) return 'changed';
    return this.savedOnce ? 'skip' : 'unchanged';
  }

  /** The data whose JSON is `json` was saved. */
  saved(json: string): void {
    this.json = json;
    this.savedOnce = true;
  }

  /** The store record now holds `data` (per-key baseline of the next merge). */
  written(data: SessionData): void {
    if (this.keys) this.keys = jsonByKey(data);
  }

  /** The record moves to a new id: written in full, so no per-key baseline. */
  forgetRecord(): void {
    this.keys = undefined;
  }

  /** Drops keys from the baseline: they are gone from the stored record already. */
  forget(names: readonly string[]): void {
    for (const name of names) this.keys?.delete(name);
    if (this.json === undefined) return;
    const base = safeJsonParse(this.json) as SessionData;
    for (const name of names) Reflect.deleteProperty(base, name);
    this.json = JSON.stringify(base);
  }
}
