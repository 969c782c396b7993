import { invalidInput } from '../errors.js';

/**
 * One strategy's evaluation record: `ranks[target][t]` is the target image's 0-indexed rank in
 * the full archive ranking at round t (t = 0 is the initial description). Every target carries
 * the same number of rounds, because the runner keeps recording after a target is found: the
 * published protocol scores all T+1 rounds of every dialogue.
 */
export type RankMatrix = readonly (readonly number[])[];

/**
 * Rejects anything the metrics cannot score meaningfully, naming the first offending cell so a
 * broken evaluation run is easy to trace. Returns the number of rounds per target (T + 1).
 */
export function validateRanks(ranks: RankMatrix): number {
  if (!Array.isArray(ranks) || ranks.length === 0) {
    throw invalidInput('ranks must be a non-empty array with one row of per-round ranks per target.');
  }
  let roundCount: number | undefined;
  ranks.forEach((row, target) => {
    if (!Array.isArray(row) || row.length === 0) {
      throw invalidInput(`ranks[${target}] must be a non-empty array of per-round ranks (round 0 is the initial description).`);
    }
    roundCount ??= row.length;
    if (row.length !== roundCount) {
      throw invalidInput(
        `Every target must have the same number of rounds: ranks[0] has ${roundCount}, ranks[${target}] has ${row.length}.`,
      );
    }
    row.forEach((rank, round) => {
      if (!Number.isInteger(rank) || rank < 0) {
        throw invalidInput(`ranks[${target}][${round}] must be a non-negative integer (0-indexed rank), got ${String(rank)}.`);
      }
    });
  });
  return roundCount ?? 0;
}

/** K of Hits@K / Recall@K: a positive integer (rank < K is a hit). */
export function validateK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw invalidInput(`K must be a positive integer, got ${String(k)}.`);
}
