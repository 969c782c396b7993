import { describe, expect, it } from 'vitest';
import { cumulativeHitsAtK } from '../../core/metrics/cumulative-hits.js';
import { WORKED_RANKS } from './worked-example.js';

describe('cumulativeHitsAtK', () => {
  it('counts a target as hit from the first round its rank was < K (worked example)', () => {
    // Best ranks so far: A [0,0,0], B [7,2,2], C [12,12,11].
    // K=1:  only A (rank 0) in every round                       -> 1/3, 1/3, 1/3
    // K=5:  round 0 only A; rounds 1-2 A and B (best 2 < 5)       -> 1/3, 2/3, 2/3
    //       (B's rank 6 at round 2 does not undo the hit of round 1)
    // K=10: A and B (7 < 10) from round 0; C's best 11 never < 10 -> 2/3, 2/3, 2/3
    // K=12: C's best 11 < 12 at round 2                           -> 2/3, 2/3, 3/3
    const cases: [number, number[]][] = [
      [1, [1 / 3, 1 / 3, 1 / 3]],
      [5, [1 / 3, 2 / 3, 2 / 3]],
      [10, [2 / 3, 2 / 3, 2 / 3]],
      [12, [2 / 3, 2 / 3, 1]],
    ];
    for (const [k, expected] of cases) {
      const hits = cumulativeHitsAtK(WORKED_RANKS, k);
      expect(hits).toHaveLength(3);
      hits.forEach((h, t) => expect(h, `K=${k} round ${t}`).toBeCloseTo(expected[t] ?? NaN, 12));
    }
  });

  it('treats rank 0 as a hit at K=1 and rank K as a miss (0-indexed ranks, strict <)', () => {
    // Ranks [0], [1]: at K=1 only rank 0 counts -> 1/2; at K=2 both -> 2/2.
    expect(cumulativeHitsAtK([[0], [1]], 1)).toEqual([0.5]);
    expect(cumulativeHitsAtK([[0], [1]], 2)).toEqual([1]);
  });

  it('gives 0 in every round when no target is ever found', () => {
    expect(cumulativeHitsAtK([[50, 40, 30], [99, 98, 97]], 10)).toEqual([0, 0, 0]);
  });

  it('rejects an invalid K', () => {
    expect(() => cumulativeHitsAtK(WORKED_RANKS, 0)).toThrow(/K must be a positive integer/);
    expect(() => cumulativeHitsAtK(WORKED_RANKS, 2.5)).toThrow(/K must be a positive integer/);
  });
});
