import { bestRanksSoFar } from './best-rank.js';
import { validateRanks, type RankMatrix } from './rank-matrix.js';

/**
 * BRI, Best log Rank Integral (PlugIR), of one target: the area under ln(r_t + 1) over rounds
 * 0..T, by the trapezoid rule, divided by T, where r_t is the best 0-indexed rank reached up to
 * round t (so ln(r_t + 1) is the log of the 1-indexed best rank, 0 once the target is top-1):
 *
 *   BRI = (1/T) * sum_{t=0}^{T-1} (ln(r_t + 1) + ln(r_{t+1} + 1)) / 2
 *
 * With T = 0 (only the initial description) there is no interval to integrate over; the
 * degenerate average is the single point, BRI = ln(r_0 + 1). Lower is better.
 */
export function targetBri(roundRanks: readonly number[]): number {
  validateRanks([roundRanks]);
  const logBest = bestRanksSoFar(roundRanks).map((r) => Math.log(r + 1));
  const intervals = logBest.length - 1;
  if (intervals === 0) return logBest[0] ?? 0;
  let area = 0;
  for (let t = 0; t < intervals; t++) area += ((logBest[t] ?? 0) + (logBest[t + 1] ?? 0)) / 2;
  return area / intervals;
}

/** BRI of a strategy: the mean of the per-target BRI. */
export function bri(ranks: RankMatrix): number {
  validateRanks(ranks);
  return ranks.reduce((sum, row) => sum + targetBri(row), 0) / ranks.length;
}
