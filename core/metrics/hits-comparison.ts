import { invalidInput } from '../errors.js';
import { metricsAtK, type StrategyMetrics } from './strategy-metrics.js';

/** Cumulative Hits@K curves of several strategies over the same rounds, for tables and charts. */
export interface HitsComparison {
  readonly k: number;
  /** T: every curve has T + 1 points, rounds 0..T. */
  readonly rounds: number;
  readonly curves: readonly { readonly strategy: string; readonly hits: readonly number[] }[];
}

/**
 * Lines up the strategies' cumulative Hits@K. Strategies evaluated over different numbers of
 * rounds are rejected rather than padded: comparing them round by round would mislead.
 */
export function compareHitsAtK(metricsByStrategy: Readonly<Record<string, StrategyMetrics>>, k: number): HitsComparison {
  const entries = Object.entries(metricsByStrategy);
  const first = entries[0];
  if (!first) throw invalidInput('At least one strategy is needed to compare Hits@K.');
  const rounds = first[1].rounds;
  const curves = entries.map(([strategy, metrics]) => {
    if (metrics.rounds !== rounds) {
      throw invalidInput(
        `Strategies must share the number of rounds: "${first[0]}" has ${rounds}, "${strategy}" has ${metrics.rounds}.`,
      );
    }
    return { strategy, hits: metricsAtK(metrics, k).cumulativeHits };
  });
  return { k, rounds, curves };
}
