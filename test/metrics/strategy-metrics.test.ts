import { describe, expect, it } from 'vitest';
import { metricsAtK, strategyMetrics } from '../../core/metrics/strategy-metrics.js';
import { WORKED_RANKS } from './worked-example.js';

describe('strategyMetrics', () => {
  it('computes every metric of the worked example for the default Ks 1, 5, 10', () => {
    const m = strategyMetrics(WORKED_RANKS);
    expect(m.targets).toBe(3);
    expect(m.rounds).toBe(2);
    expect(m.atK.map((a) => a.k)).toEqual([1, 5, 10]);
    // Values worked by hand in the per-metric tests:
    expect(m.medianRank).toEqual([7, 2, 6]);
    [19 / 3, 17 / 3, 17 / 3].forEach((v, t) => expect(m.meanRank[t]).toBeCloseTo(v, 12));
    expect(m.bri).toBeCloseTo(1.2962528, 6);
    const at5 = metricsAtK(m, 5);
    [1 / 3, 2 / 3, 2 / 3].forEach((v, t) => expect(at5.cumulativeHits[t]).toBeCloseTo(v, 12));
    [1 / 3, 2 / 3, 1 / 3].forEach((v, t) => expect(at5.recall[t]).toBeCloseTo(v, 12));
    expect(at5.roundsToSuccess).toEqual({ k: 5, counts: [1, 1, 0], never: 1, meanRound: 0.5 });
  });

  it('has cumulative Hits@K equal to the running total of first successes, for each K', () => {
    // Two views of one event: a target is a cumulative hit at round t iff its first success is at <= t.
    const m = strategyMetrics([[9, 3, 0, 0], [40, 12, 12, 4], [2, 30, 1, 0], [100, 90, 80, 70]], [1, 5, 10]);
    for (const { cumulativeHits, roundsToSuccess } of m.atK) {
      let running = 0;
      roundsToSuccess.counts.forEach((c, t) => {
        running += c;
        expect(cumulativeHits[t]).toBeCloseTo(running / m.targets, 12);
      });
      expect(running + roundsToSuccess.never).toBe(m.targets);
    }
  });

  it('is plain data: a JSON round trip gives an equal object', () => {
    const m = strategyMetrics([[5, 40], [60, 70]], [1, 10, 100]);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('keeps the Ks in the order asked for', () => {
    expect(strategyMetrics(WORKED_RANKS, [10, 1]).atK.map((a) => a.k)).toEqual([10, 1]);
  });

  it('rejects bad ranks and bad Ks with INVALID_INPUT', () => {
    expect(() => strategyMetrics([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => strategyMetrics([[0, 1], [2]])).toThrow(/same number of rounds/);
    expect(() => strategyMetrics(WORKED_RANKS, [])).toThrow(/at least one K/);
    expect(() => strategyMetrics(WORKED_RANKS, [5, 5])).toThrow(/must not repeat/);
    expect(() => strategyMetrics(WORKED_RANKS, [0])).toThrow(/positive integer/);
  });
});

describe('metricsAtK', () => {
  it('names the available Ks when asked for one that was not computed', () => {
    expect(() => metricsAtK(strategyMetrics(WORKED_RANKS, [1, 5]), 10)).toThrow(/Hits@10 was not computed; available K: 1, 5/);
  });
});
