import { invalidInput } from '../errors.js';
import { cumulativeHitsAtK } from './cumulative-hits.js';

/**
 * One strategy's shown ranks: `shown[target][t]` is the target's 0-based position among the
 * hits actually shown after round t, or null when it was not among them. From 2,000 images up
 * the shown hits come from the approximate (HNSW) graph while ranks are exact over the whole
 * archive, so a target can rank < K exactly yet be missing from what the searcher saw.
 */
export type ShownRankMatrix = readonly (readonly (number | null)[])[];

/** Cumulative shown Hits@K of one strategy at one K, one entry per round 0..T. */
export interface ShownHitsAtK {
  readonly k: number;
  readonly cumulativeHits: number[];
}

/** A target not shown is ranked past every K: no K can count it as a hit. */
const NOT_SHOWN = Number.MAX_SAFE_INTEGER;

/**
 * Cumulative shown Hits@K: entry t is the fraction of targets that appeared among the first K
 * shown hits at any round <= t. Same definition as cumulativeHitsAtK, over what was shown.
 */
export function cumulativeShownHitsAtK(shown: ShownRankMatrix, k: number): number[] {
  const ranks = shown.map((row, target) =>
    row.map((position, round) => {
      if (position === null) return NOT_SHOWN;
      if (!Number.isInteger(position) || position < 0) {
        throw invalidInput(`shown[${target}][${round}] must be a 0-based position or null, got ${String(position)}.`);
      }
      return position;
    }),
  );
  return cumulativeHitsAtK(ranks, k);
}
