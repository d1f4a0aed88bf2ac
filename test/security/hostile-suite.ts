/**
 * The property-based hostile-input suite, declared once and run per mode (one test file each, so
 * jest spreads the modes over both cores).
 */
import fc from 'fast-check';
import { type KoaSessionOptions } from 'koa-typed-session';
import {
  FOREIGN_DATA,
  FUZZ_RUNS,
  FuzzTarget,
  ISSUED_DATA,
  checkOutcome,
  header,
  prototypesIntact,
  type Pair,
} from './fuzz-harness';
import { hostileCookie, hostileOp, type Codec, type CookieSources } from './hostile-arbitraries';

/** One session mode under attack. */
export interface HostileMode {
  options: () => KoaSessionOptions;
  keys: string[] | null;
  /** The same mode with other keys: its cookies must never open here. */
  foreignOptions: () => KoaSessionOptions;
  foreignKeys: string[] | null;
  codec: Codec;
  /** False for unsigned cookies: anyone can forge them, so only crash/500/pollution are checked. */
  trusted: boolean;
  /** Cookies valid in form that name nothing the server issued (store mode: unknown ids). */
  extra?: (name: string) => Pair[][];
}

/** Declares the suite for one mode. */
export function describeHostile(title: string, mode: HostileMode): void {
  describe(`hostile cookies, ${title}`, () => {
    let target: FuzzTarget;
    let sources: CookieSources;
    const name = mode.options().key ?? 'koa.sess';

    beforeAll(async () => {
      target = new FuzzTarget(mode.options(), mode.keys);
      const foreign = new FuzzTarget(mode.foreignOptions(), mode.foreignKeys);
      const issued: Pair[][] = [];
      for (const data of ISSUED_DATA) issued.push(await target.issue(data));
      sources = {
        name,
        codec: mode.codec,
        issued,
        foreign: [await foreign.issue(FOREIGN_DATA), await foreign.issue({ user: 'alice', role: 'admin', forged: 1 })],
        extra: mode.extra?.(name) ?? [],
      };
    });

    it('accepts every issued cookie as it was issued (the generators start from real sessions)', async () => {
      for (let i = 0; i < ISSUED_DATA.length; i++) {
        const outcome = await target.send(header(sources.issued[i]!));
        expect(outcome.status).toBe(200);
        expect(JSON.parse(outcome.observed)).toEqual(ISSUED_DATA[i]);
      }
    });

    if (mode.trusted) {
      it('never opens a cookie made with other keys', async () => {
        for (const pairs of sources.foreign) {
          expect((await target.send(header(pairs))).observed).toBe('{}');
        }
      });
    }

    it(`survives ${FUZZ_RUNS} generated hostile cookies: no 500, no error, ${mode.trusted ? 'no session it did not issue, ' : ''}no pollution`, async () => {
      let opened = 0;
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(hostileCookie(sources), hostileOp, async (cookie, op) => {
          const outcome = await target.send(cookie, op);
          checkOutcome(target, outcome, mode.trusted);
          if (outcome.observed !== '{}') opened++;
        }),
        { numRuns: FUZZ_RUNS },
      );
      expect(prototypesIntact()).toBe(true);
      // Not vacuous: some generated cookies still open a session (unchanged, quoted, duplicated...).
      expect(opened).toBeGreaterThan(0);
      if (process.env.SESSION_FUZZ_REPORT) {
        console.log(`${title}: ${FUZZ_RUNS} cases in ${Date.now() - started} ms, ${opened} opened a session`);
      }
    }, 120_000);
  });
}
