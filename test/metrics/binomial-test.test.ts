import { describe, expect, it } from 'vitest';
import { mcnemarExactP, twoSidedBinomialP } from '../../core/metrics/binomial-test.js';

describe('exact McNemar and binomial tests (hand-worked)', () => {
  it('b = 1, c = 5: n = 6, P(X <= 1) = (1 + 6)/64, p = 14/64', () => {
    expect(mcnemarExactP(1, 5)).toBeCloseTo(14 / 64, 12);
    expect(mcnemarExactP(5, 1)).toBeCloseTo(14 / 64, 12);
  });

  it('b = 0, c = 6: p = 2/64, the smallest p six discordant pairs can give', () => {
    expect(mcnemarExactP(0, 6)).toBeCloseTo(2 / 64, 12);
  });

  it('b = 3, c = 10: P(X <= 3) = (1 + 13 + 78 + 286)/8192, p = 756/8192', () => {
    expect(mcnemarExactP(3, 10)).toBeCloseTo(756 / 8192, 12);
  });

  it('balanced or no discordant pairs: p = 1 (2 * 11/16 is capped)', () => {
    expect(mcnemarExactP(2, 2)).toBe(1);
    expect(mcnemarExactP(0, 0)).toBe(1);
  });

  it('stays finite for thousands of trials (log-space sum)', () => {
    const p = twoSidedBinomialP(400, 1000);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-9);
    expect(twoSidedBinomialP(500, 1000)).toBe(1);
  });

  it('rejects impossible counts', () => {
    expect(() => twoSidedBinomialP(5, 4)).toThrow(/0 <= x <= n/);
    expect(() => twoSidedBinomialP(-1, 4)).toThrow();
  });
});
