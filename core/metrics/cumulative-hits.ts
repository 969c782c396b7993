import { bestRanksSoFar } from './best-rank.js';
import { validateRanks, type RankMatrix } from './rank-matrix.js';
import { recallAtK } from './recall-at-k.js';

/**
 * Cumulative Hits@K per round (ChatIR protocol): entry t is the fraction of targets whose rank
 * was < K at ANY round <= t. That is exactly per-round Recall@K of the best-rank-so-far matrix,
 * so it is non-decreasing in t by construction.
 */
export function cumulativeHitsAtK(ranks: RankMatrix, k: number): number[] {
  validateRanks(ranks);
  return recallAtK(ranks.map(bestRanksSoFar), k);
}
