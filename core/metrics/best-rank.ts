/**
 * Running minimum of one target's per-round ranks: r_t = the best rank reached at any round <= t.
 * Cumulative Hits@K and BRI both score the best rank so far, not the current one, because a
 * person who has already seen the target does not lose it when a later round ranks it lower.
 */
export function bestRanksSoFar(roundRanks: readonly number[]): number[] {
  const best: number[] = [];
  let min = Number.POSITIVE_INFINITY;
  for (const rank of roundRanks) {
    min = Math.min(min, rank);
    best.push(min);
  }
  return best;
}
