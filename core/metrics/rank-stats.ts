import { invalidInput } from '../errors.js';
import { validateRanks, type RankMatrix } from './rank-matrix.js';

/** Mean and median of the targets' 0-indexed ranks, one entry per round. */
export interface RankStats {
  readonly mean: number[];
  readonly median: number[];
}

export function rankStatsPerRound(ranks: RankMatrix): RankStats {
  const roundCount = validateRanks(ranks);
  const columns = Array.from({ length: roundCount }, (_, t) => ranks.map((row) => row[t] ?? 0));
  return { mean: columns.map(mean), median: columns.map(median) };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Median of a non-empty list; an even count takes the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw invalidInput('The median of an empty list is undefined.');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}
