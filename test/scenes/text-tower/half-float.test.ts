import { describe, expect, it } from 'vitest';
import { fromHalf, toHalf } from '../../../core/scenes/text-tower/half-float.js';

describe('half floats', () => {
  it('encodes known values', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(0.1)).toBe(0x2e66);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(1e-9)).toBe(0);
  });

  it('decodes what it encodes to within half precision', () => {
    for (const v of [0, 1, -0.333, 0.1, 123.456, -7.5e-6]) {
      expect(Math.abs(fromHalf(toHalf(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    }
    expect(fromHalf(0x7c00)).toBe(Number.POSITIVE_INFINITY);
  });
});
