import { validateK, validateRanks, type RankMatrix } from './rank-matrix.js';

/**
 * Per-round Recall@K: entry t is the fraction of targets ranked < K at round t itself. Unlike
 * cumulative Hits@K it can drop when a round's query moves away from a target found earlier.
 */
export function recallAtK(ranks: RankMatrix, k: number): number[] {
  const roundCount = validateRanks(ranks);
  validateK(k);
  return Array.from({ length: roundCount }, (_, t) => ranks.filter((row) => (row[t] ?? Infinity) < k).length / ranks.length);
}
