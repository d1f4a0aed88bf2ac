/**
 * "Did you mean ...?" for unknown option names: one helper for every place that rejects them
 * (session(), SessionModule, MemoryStore, RedisStore, createApp).
 */

/**
 * Edit distance between `a` and `b` with adjacent transpositions (optimal string alignment), so
 * `rollign` is one edit from `rolling`. Case is ignored: `MaxAge` is zero edits from `maxAge`.
 */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  // Three rows of the dynamic-programming table: i-2, i-1 and i.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name nearest to `name`, if one is close: at most one edit per four characters (at
 * least one, so short names get a suggestion too). On a tie, the first in `known`.
 */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate === name) continue;
    const d = distance(name, candidate);
    const allowed = Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 4));
    if (d <= allowed && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `"Did you mean \`rolling\`? "` when a known name is close to `name`, else `''`: the start of a fix. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const nearest = nearestName(name, known);
  return nearest === undefined ? '' : `Did you mean \`${nearest}\`? `;
}
