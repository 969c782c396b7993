import { invalidInput } from '../errors.js';
import { bri } from './bri.js';
import { cumulativeHitsAtK } from './cumulative-hits.js';
import { validateK, validateRanks, type RankMatrix } from './rank-matrix.js';
import { rankStatsPerRound } from './rank-stats.js';
import { recallAtK } from './recall-at-k.js';
import { roundsToSuccess, type RoundsToSuccess } from './rounds-to-success.js';

/** The K-dependent metrics of one strategy. Fractions are in [0, 1], one entry per round 0..T. */
export interface MetricsAtK {
  readonly k: number;
  readonly cumulativeHits: number[];
  readonly recall: number[];
  readonly roundsToSuccess: RoundsToSuccess;
}

/**
 * Every evaluation metric of one strategy, as plain data (JSON round-trips it unchanged), so a
 * run can be saved and reported later without the raw ranks.
 */
export interface StrategyMetrics {
  readonly targets: number;
  /** T, the number of feedback rounds; every per-round array has T + 1 entries. */
  readonly rounds: number;
  /** Mean of the targets' 0-indexed ranks per round. */
  readonly meanRank: number[];
  /** Median of the targets' 0-indexed ranks per round. */
  readonly medianRank: number[];
  /** Best log Rank Integral averaged over targets; lower is better. */
  readonly bri: number;
  /** In the order the Ks were asked for. */
  readonly atK: MetricsAtK[];
}

export function strategyMetrics(ranks: RankMatrix, ks: readonly number[] = [1, 5, 10]): StrategyMetrics {
  const roundCount = validateRanks(ranks);
  if (!Array.isArray(ks) || ks.length === 0) throw invalidInput('ks must list at least one K.');
  ks.forEach(validateK);
  if (new Set(ks).size !== ks.length) throw invalidInput(`ks must not repeat a K, got [${ks.join(', ')}].`);
  const stats = rankStatsPerRound(ranks);
  return {
    targets: ranks.length,
    rounds: roundCount - 1,
    meanRank: stats.mean,
    medianRank: stats.median,
    bri: bri(ranks),
    atK: ks.map((k) => ({
      k,
      cumulativeHits: cumulativeHitsAtK(ranks, k),
      recall: recallAtK(ranks, k),
      roundsToSuccess: roundsToSuccess(ranks, k),
    })),
  };
}

/** The metrics at one K, with a clear error when that K was not computed. */
export function metricsAtK(metrics: StrategyMetrics, k: number): MetricsAtK {
  const found = metrics.atK.find((m) => m.k === k);
  if (!found) {
    throw invalidInput(`Hits@${k} was not computed; available K: ${metrics.atK.map((m) => m.k).join(', ')}.`);
  }
  return found;
}
