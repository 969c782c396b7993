import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, bootstrapResamples, percentileInterval } from '../../core/metrics/bootstrap.js';

describe('paired bootstrap', () => {
  it('is deterministic in its seed and changes with it', () => {
    const a = bootstrapResamples(20, 50, 7);
    const b = bootstrapResamples(20, 50, 7);
    const c = bootstrapResamples(20, 50, 8);
    expect(a.map((r) => [...r])).toEqual(b.map((r) => [...r]));
    expect(a.map((r) => [...r])).not.toEqual(c.map((r) => [...r]));
    for (const r of a) for (const i of r) expect(i).toBeLessThan(20);
  });

  it('all targets found: the interval is [1, 1]', () => {
    const resamples = bootstrapResamples(30, 2000, 1);
    expect(bootstrapMeanInterval(new Array(30).fill(1), resamples)).toEqual({ lower: 1, upper: 1 });
  });

  it('percentile interval interpolates between order statistics (type 7)', () => {
    // 0..100: the 2.5% quantile is at h = 100 * 0.025 = 2.5 -> 2.5; the 97.5% at 97.5.
    const values = Array.from({ length: 101 }, (_, i) => i);
    const { lower, upper } = percentileInterval(values);
    expect(lower).toBeCloseTo(2.5, 12);
    expect(upper).toBeCloseTo(97.5, 12);
  });

  it('a half-found set of 200 targets gets an interval around 0.5 about +-7 points wide', () => {
    const values = Array.from({ length: 200 }, (_, i) => i % 2);
    const { lower, upper } = bootstrapMeanInterval(values, bootstrapResamples(200, 2000, 3));
    // Normal approximation: 1.96 * sqrt(0.25 / 200) = 0.069.
    expect(lower).toBeGreaterThan(0.41);
    expect(lower).toBeLessThan(0.45);
    expect(upper).toBeGreaterThan(0.55);
    expect(upper).toBeLessThan(0.59);
  });
});
