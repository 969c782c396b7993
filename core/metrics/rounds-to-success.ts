import { validateK, validateRanks, type RankMatrix } from './rank-matrix.js';

/** How many rounds targets needed before first ranking < K. */
export interface RoundsToSuccess {
  readonly k: number;
  /** counts[t] = number of targets whose rank first fell below K at round t (t = 0..T). */
  readonly counts: number[];
  /** Targets never ranked < K in any round. */
  readonly never: number;
  /** Mean first-success round over the targets that succeeded; null when none did. */
  readonly meanRound: number | null;
}

/** First round at which the target ranks < K, or undefined if it never does. */
function firstSuccessRound(roundRanks: readonly number[], k: number): number | undefined {
  const t = roundRanks.findIndex((rank) => rank < k);
  return t === -1 ? undefined : t;
}

export function roundsToSuccess(ranks: RankMatrix, k: number): RoundsToSuccess {
  const roundCount = validateRanks(ranks);
  validateK(k);
  const counts = new Array<number>(roundCount).fill(0);
  let never = 0;
  let roundSum = 0;
  for (const row of ranks) {
    const t = firstSuccessRound(row, k);
    if (t === undefined) {
      never++;
    } else {
      counts[t] = (counts[t] ?? 0) + 1;
      roundSum += t;
    }
  }
  const successes = ranks.length - never;
  return { k, counts, never, meanRound: successes === 0 ? null : roundSum / successes };
}
