import { describe, expect, it } from 'vitest';
import { compareHitsAtK } from '../../core/metrics/hits-comparison.js';
import { strategyMetrics } from '../../core/metrics/strategy-metrics.js';

describe('compareHitsAtK', () => {
  it('lines up each strategy\'s cumulative Hits@K in the record\'s order', () => {
    // generative [[0,3],[20,1]] at K=2: round 0 only rank 0 -> 1/2; round 1 best [0,1] -> 2/2.
    // text [[9,9],[8,0]] at K=2: round 0 none -> 0; round 1 rank 0 -> 1/2.
    const comparison = compareHitsAtK(
      { text: strategyMetrics([[9, 9], [8, 0]], [2]), generative: strategyMetrics([[0, 3], [20, 1]], [2]) },
      2,
    );
    expect(comparison).toEqual({
      k: 2,
      rounds: 1,
      curves: [
        { strategy: 'text', hits: [0, 0.5] },
        { strategy: 'generative', hits: [0.5, 1] },
      ],
    });
  });

  it('rejects strategies evaluated over different numbers of rounds', () => {
    const a = strategyMetrics([[1, 2, 3]]);
    const b = strategyMetrics([[1, 2]]);
    expect(() => compareHitsAtK({ a, b }, 10)).toThrow(/"a" has 2, "b" has 1/);
  });

  it('rejects an empty comparison and a K that was not computed', () => {
    expect(() => compareHitsAtK({}, 10)).toThrow(/At least one strategy/);
    expect(() => compareHitsAtK({ a: strategyMetrics([[1]], [1]) }, 10)).toThrow(/Hits@10 was not computed/);
  });
});
