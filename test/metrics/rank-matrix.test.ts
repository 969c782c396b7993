import { describe, expect, it } from 'vitest';
import { MirageError } from '../../core/errors.js';
import { validateK, validateRanks, type RankMatrix } from '../../core/metrics/rank-matrix.js';

function invalid(ranks: unknown): MirageError {
  try {
    validateRanks(ranks as RankMatrix);
  } catch (e) {
    if (e instanceof MirageError) return e;
    throw e;
  }
  throw new Error('expected validateRanks to throw');
}

describe('validateRanks', () => {
  it('returns the number of rounds per target (T + 1)', () => {
    expect(validateRanks([[0, 1, 2], [3, 4, 5]])).toBe(3);
    expect(validateRanks([[7]])).toBe(1);
  });

  it.each([
    ['no targets', [], /non-empty array/],
    ['not an array', 'ranks', /non-empty array/],
    ['a target with no rounds', [[1], []], /ranks\[1\] must be a non-empty array/],
    ['unequal round counts', [[1, 2, 3], [1, 2]], /ranks\[0\] has 3, ranks\[1\] has 2/],
    ['a negative rank', [[1, -1]], /ranks\[0\]\[1\] must be a non-negative integer.*-1/],
    ['a fractional rank', [[0], [2.5]], /ranks\[1\]\[0\] must be a non-negative integer.*2\.5/],
    ['NaN', [[Number.NaN]], /ranks\[0\]\[0\].*NaN/],
    ['a string', [['3']], /ranks\[0\]\[0\] must be a non-negative integer/],
  ])('rejects %s with INVALID_INPUT', (_, ranks, message) => {
    const error = invalid(ranks);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
  });
});

describe('validateK', () => {
  it('accepts positive integers and rejects the rest', () => {
    expect(() => validateK(1)).not.toThrow();
    for (const k of [0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => validateK(k), String(k)).toThrow(MirageError);
    }
  });
});
