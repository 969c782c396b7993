import { describe, expect, it } from 'vitest';
import { bri, targetBri } from '../../core/metrics/bri.js';
import { WORKED_RANKS } from './worked-example.js';

const ln = Math.log;

describe('targetBri', () => {
  it('is 0 for a target ranked first from round 0 (found at round 0)', () => {
    // Best ranks [0,0,0]: ln(1) = 0 everywhere, so the area is 0.
    expect(targetBri([0, 0, 0])).toBe(0);
  });

  it('integrates the log of the best rank so far with the trapezoid rule', () => {
    // Target B [7,2,6]: best [7,2,2] -> ln 8, ln 3, ln 3.
    // Trapezoids: (ln8 + ln3)/2 + (ln3 + ln3)/2 = (ln8 + 3 ln3)/2; divided by T=2:
    // (2.0794415 + 3 * 1.0986123) / 4 = 5.3752784 / 4 = 1.3438196.
    expect(targetBri([7, 2, 6])).toBeCloseTo((ln(8) + 3 * ln(3)) / 4, 12);
    expect(targetBri([7, 2, 6])).toBeCloseTo(1.3438196, 6);
  });

  it('uses the best rank so far, not the current rank, when a later round is worse', () => {
    // [1,5,0]: best [1,1,0] -> ln2, ln2, 0.
    // ((ln2 + ln2)/2 + (ln2 + 0)/2) / 2 = (0.6931472 + 0.3465736) / 2 = 0.5198604.
    // (The current ranks would give ln2, ln6, 0 -> (ln2 + 2 ln6)/4 = 1.0690, so this tells them apart.)
    expect(targetBri([1, 5, 0])).toBeCloseTo(0.5198604, 6);
  });

  it('with one feedback round is the mean of the two end points', () => {
    // [9,0]: (ln10 + ln1)/2 / 1 = 2.3025851 / 2 = 1.1512925.
    expect(targetBri([9, 0])).toBeCloseTo(1.1512925, 6);
  });

  it('with T = 0 (only the initial description) is ln(r_0 + 1)', () => {
    // [4]: ln 5 = 1.6094379.
    expect(targetBri([4])).toBeCloseTo(1.6094379, 6);
  });

  it('rejects a negative rank instead of returning -Infinity', () => {
    expect(() => targetBri([3, -1])).toThrow(/non-negative integer/);
  });
});

describe('bri', () => {
  it('averages the per-target BRI (worked example)', () => {
    // A [0,0,0]   -> 0
    // B [7,2,6]   -> (ln8 + 3 ln3)/4                         = 1.3438196
    // C [12,15,11]: best [12,12,11] -> ln13, ln13, ln12
    //             -> ((ln13+ln13)/2 + (ln13+ln12)/2) / 2
    //              = (2.5649494 + 2.5249280) / 2              = 2.5449387
    // mean = (0 + 1.3438196 + 2.5449387) / 3 = 3.8887583 / 3  = 1.2962528
    expect(bri(WORKED_RANKS)).toBeCloseTo(1.2962528, 6);
  });
});
