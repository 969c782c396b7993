import { describe, expect, it } from 'vitest';
import { recallAtK } from '../../core/metrics/recall-at-k.js';
import { WORKED_RANKS } from './worked-example.js';

describe('recallAtK', () => {
  it('counts only the rank of the round itself (worked example)', () => {
    // Per-round ranks: round 0 [0,7,12], round 1 [0,2,15], round 2 [0,6,11].
    // K=1:  A only                                 -> 1/3, 1/3, 1/3
    // K=5:  round 0 A; round 1 A,B(2); round 2 A   -> 1/3, 2/3, 1/3
    //       (B's rank 6 at round 2 is a miss here, unlike cumulative Hits@5 which stays 2/3)
    // K=10: A,B(7); A,B(2); A,B(6)                 -> 2/3, 2/3, 2/3
    const cases: [number, number[]][] = [
      [1, [1 / 3, 1 / 3, 1 / 3]],
      [5, [1 / 3, 2 / 3, 1 / 3]],
      [10, [2 / 3, 2 / 3, 2 / 3]],
    ];
    for (const [k, expected] of cases) {
      const recall = recallAtK(WORKED_RANKS, k);
      expect(recall).toHaveLength(3);
      recall.forEach((r, t) => expect(r, `K=${k} round ${t}`).toBeCloseTo(expected[t] ?? NaN, 12));
    }
  });

  it('is 1 when every target is ranked 0 in a round', () => {
    // Round 0: ranks 3, 4 -> 0/2 at K=1; round 1: 0, 0 -> 2/2.
    expect(recallAtK([[3, 0], [4, 0]], 1)).toEqual([0, 1]);
  });
});
