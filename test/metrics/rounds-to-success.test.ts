import { describe, expect, it } from 'vitest';
import { roundsToSuccess } from '../../core/metrics/rounds-to-success.js';
import { WORKED_RANKS } from './worked-example.js';

describe('roundsToSuccess', () => {
  it('records the first round with rank < K, or never (worked example)', () => {
    // A [0,0,0], B [7,2,6], C [12,15,11]
    // K=1:  A at round 0; B (best 2) and C never     -> counts [1,0,0], never 2, mean 0/1 = 0
    // K=5:  A at 0; B at 1 (rank 2); C never         -> counts [1,1,0], never 1, mean (0+1)/2 = 0.5
    // K=10: A at 0; B at 0 (rank 7); C never         -> counts [2,0,0], never 1, mean 0
    // K=12: A at 0; B at 0; C at 2 (rank 11)         -> counts [2,0,1], never 0, mean (0+0+2)/3 = 0.667
    expect(roundsToSuccess(WORKED_RANKS, 1)).toEqual({ k: 1, counts: [1, 0, 0], never: 2, meanRound: 0 });
    expect(roundsToSuccess(WORKED_RANKS, 5)).toEqual({ k: 5, counts: [1, 1, 0], never: 1, meanRound: 0.5 });
    expect(roundsToSuccess(WORKED_RANKS, 10)).toEqual({ k: 10, counts: [2, 0, 0], never: 1, meanRound: 0 });
    const k12 = roundsToSuccess(WORKED_RANKS, 12);
    expect(k12).toMatchObject({ counts: [2, 0, 1], never: 0 });
    expect(k12.meanRound).toBeCloseTo(2 / 3, 12);
  });

  it('reports a null mean (not NaN) when no target succeeds, so it survives JSON', () => {
    const result = roundsToSuccess([[20, 30], [40, 15]], 10);
    expect(result).toEqual({ k: 10, counts: [0, 0], never: 2, meanRound: null });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('counts only the first success of a target that drops out and comes back', () => {
    // [5,0,9,0] at K=1: first rank < 1 at round 1 -> counts [0,1,0,0], mean 1.
    expect(roundsToSuccess([[5, 0, 9, 0]], 1)).toEqual({ k: 1, counts: [0, 1, 0, 0], never: 0, meanRound: 1 });
  });
});
