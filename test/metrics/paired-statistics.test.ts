import { describe, expect, it } from 'vitest';
import { bri } from '../../core/metrics/bri.js';
import { cumulativeHitsAtK } from '../../core/metrics/cumulative-hits.js';
import { pairedStatistics } from '../../core/metrics/paired-statistics.js';
import { WORKED_RANKS } from './worked-example.js';

/**
 * The worked example as the baseline, and a strategy that trades targets with it:
 *   generative: A [0, 0, 0]     B [7, 2, 6]  C [12, 15, 11]  -> found by round 2 (K = 10): A, B
 *   text:       A [20, 20, 20]  B [1, 1, 1]  C [3, 30, 30]   -> found by round 2: B, C
 * Discordant pairs: C (text only) and A (generative only): McNemar p = 1.
 * Rounds to success (never = 3): generative A 0, B 0, C 3; text A 3, B 0, C 0 -> one each, one tie.
 */
const TEXT = [
  [20, 20, 20],
  [1, 1, 1],
  [3, 30, 30],
];

describe('pairedStatistics', () => {
  const stats = pairedStatistics(
    [
      { strategy: 'generative', ranks: WORKED_RANKS },
      { strategy: 'text', ranks: TEXT },
    ],
    { ks: [10], seed: 1, baseline: 'generative', resamples: 500 },
  );

  it('counts found-by-round-T pairs and tests them exactly', () => {
    const [comparison] = stats.comparisons;
    expect(stats.comparisons).toHaveLength(1);
    expect(comparison).toMatchObject({
      strategy: 'text',
      baseline: 'generative',
      k: 10,
      round: 2,
      found: { both: 1, strategyOnly: 1, baselineOnly: 1, neither: 0 },
      mcnemarP: 1,
      roundsToSuccess: { strategyFaster: 1, baselineFaster: 1, ties: 1, signTestP: 1 },
      distinguishable: false,
    });
    expect(comparison?.hitsDifference.estimate).toBe(0);
  });

  it('BRI intervals contain the point estimates; Hits@K intervals contain the curves', () => {
    for (const [strategy, ranks] of [['generative', WORKED_RANKS], ['text', TEXT]] as const) {
      const interval = stats.intervals[strategy]?.bri;
      const point = bri(ranks);
      expect(interval?.lower).toBeLessThanOrEqual(point);
      expect(interval?.upper).toBeGreaterThanOrEqual(point);
      const hits = cumulativeHitsAtK(ranks, 10);
      stats.intervals[strategy]?.atK[0]?.cumulativeHits.forEach((iv, t) => {
        expect(iv.lower).toBeLessThanOrEqual(hits[t] ?? NaN);
        expect(iv.upper).toBeGreaterThanOrEqual(hits[t] ?? NaN);
      });
    }
  });

  it('is deterministic in its seed', () => {
    const again = pairedStatistics(
      [
        { strategy: 'generative', ranks: WORKED_RANKS },
        { strategy: 'text', ranks: TEXT },
      ],
      { ks: [10], seed: 1, baseline: 'generative', resamples: 500 },
    );
    expect(again).toEqual(stats);
  });

  it('all targets found from round 0: every interval is [1, 1]', () => {
    const found = pairedStatistics([{ strategy: 'generative', ranks: [[0, 0], [3, 1], [9, 9]] }], { ks: [10], seed: 2, baseline: 'generative' });
    expect(found.intervals.generative?.atK[0]?.cumulativeHits).toEqual([
      { lower: 1, upper: 1 },
      { lower: 1, upper: 1 },
    ]);
    expect(found.comparisons).toEqual([]);
  });

  it('pairs the resamples: identical strategies get identical intervals and a [0, 0] difference', () => {
    const same = pairedStatistics(
      [
        { strategy: 'generative', ranks: TEXT },
        { strategy: 'copy', ranks: TEXT },
      ],
      { ks: [10], seed: 3, baseline: 'generative', resamples: 300 },
    );
    expect(same.intervals.copy).toEqual(same.intervals.generative);
    expect(same.comparisons[0]?.hitsDifference.interval).toEqual({ lower: 0, upper: 0 });
    expect(same.comparisons[0]?.briDifference.interval).toEqual({ lower: 0, upper: 0 });
  });

  it('six targets found by the strategy only: McNemar p = 2/64, distinguishable', () => {
    const never = Array.from({ length: 8 }, () => [50, 50]);
    const strategy = [...Array.from({ length: 6 }, () => [50, 4]), [50, 50], [50, 50]];
    const result = pairedStatistics(
      [
        { strategy: 'generative', ranks: never },
        { strategy: 'prediction', ranks: strategy },
      ],
      { ks: [10], seed: 4, baseline: 'generative', resamples: 200 },
    );
    const comparison = result.comparisons[0];
    expect(comparison?.found).toEqual({ both: 0, strategyOnly: 6, baselineOnly: 0, neither: 2 });
    expect(comparison?.mcnemarP).toBeCloseTo(2 / 64, 12);
    expect(comparison?.roundsToSuccess).toMatchObject({ strategyFaster: 6, baselineFaster: 0, ties: 2 });
    expect(comparison?.roundsToSuccess.signTestP).toBeCloseTo(2 / 64, 12);
    expect(comparison?.hitsDifference.estimate).toBe(0.75);
    expect(comparison?.distinguishable).toBe(true);
  });

  it('shown Hits@K intervals when shown positions are given', () => {
    const result = pairedStatistics(
      [{ strategy: 'generative', ranks: [[0, 0], [1, 1]], shown: [[null, 0], [null, null]] }],
      { ks: [10], seed: 5, baseline: 'generative', resamples: 400 },
    );
    const shown = result.intervals.generative?.atK[0]?.shownCumulativeHits;
    expect(shown?.[0]).toEqual({ lower: 0, upper: 0 });
    expect(shown?.[1]?.lower).toBe(0);
    expect(shown?.[1]?.upper).toBe(1);
  });

  it('refuses strategies that did not face the same targets', () => {
    expect(() =>
      pairedStatistics(
        [
          { strategy: 'generative', ranks: WORKED_RANKS },
          { strategy: 'text', ranks: TEXT.slice(0, 2) },
        ],
        { ks: [10], seed: 1, baseline: 'generative' },
      ),
    ).toThrow(/same targets/);
  });
});
