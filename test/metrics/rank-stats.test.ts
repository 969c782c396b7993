import { describe, expect, it } from 'vitest';
import { median, rankStatsPerRound } from '../../core/metrics/rank-stats.js';
import { WORKED_RANKS } from './worked-example.js';

describe('rankStatsPerRound', () => {
  it('gives mean and median of the 0-indexed ranks per round (worked example)', () => {
    // round 0: [0,7,12]  mean 19/3 = 6.333..  median 7
    // round 1: [0,2,15]  mean 17/3 = 5.666..  median 2
    // round 2: [0,6,11]  mean 17/3 = 5.666..  median 6
    const { mean, median: med } = rankStatsPerRound(WORKED_RANKS);
    [19 / 3, 17 / 3, 17 / 3].forEach((m, t) => expect(mean[t]).toBeCloseTo(m, 12));
    expect(med).toEqual([7, 2, 6]);
  });

  it('takes the mean of the two middle values for an even number of targets', () => {
    // 4 targets, one round: [3,1,8,5] sorted [1,3,5,8] -> median (3+5)/2 = 4, mean 17/4 = 4.25.
    // Second round: [2,2,9,0] sorted [0,2,2,9] -> median (2+2)/2 = 2 (a tie), mean 13/4 = 3.25.
    const stats = rankStatsPerRound([[3, 2], [1, 2], [8, 9], [5, 0]]);
    expect(stats.median).toEqual([4, 2]);
    expect(stats.mean).toEqual([4.25, 3.25]);
  });
});

describe('median', () => {
  it('sorts numerically, not as strings', () => {
    // [10, 9, 100] sorted numerically [9,10,100] -> 10 (string order would give [10,100,9] -> 100).
    expect(median([10, 9, 100])).toBe(10);
  });

  it('rejects an empty list', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});
