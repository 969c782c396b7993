import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits, fromHalf, toHalf } from '../../core/vectors/float16.js';

describe('float16 conversion', () => {
  it('encodes known values to their IEEE 754 half-precision bits', () => {
    // sign | 5-bit exponent (bias 15) | 10-bit mantissa
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00], // 2^0
      [-2, 0xc000], // sign, 2^1
      [0.5, 0x3800], // 2^-1
      [65504, 0x7bff], // largest finite half
      [1e6, 0x7c00], // overflows to +Infinity
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -14, 0x0400], // smallest normal
      [1 + 2 ** -10, 0x3c01], // one mantissa step above 1
      [1 + 2 ** -11, 0x3c00], // halfway between 0x3c00 and 0x3c01: ties to even (down)
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between 0x3c01 and 0x3c02: ties to even (up)
    ];
    const bits = float32ToFloat16Bits(cases.map(([v]) => v));
    expect(Array.from(bits)).toEqual(cases.map(([, b]) => b));
    expect(Array.from(float16BitsToFloat32(bits.subarray(0, 8)))).toEqual([0, -0, 1, -2, 0.5, 65504, Infinity, Infinity]);
  });

  it('keeps NaN as NaN', () => {
    const bits = float32ToFloat16Bits([NaN]);
    expect(Number.isNaN(float16BitsToFloat32(bits)[0])).toBe(true);
  });

  it('round-trips within half precision (relative error below 2^-11)', () => {
    const values = Array.from({ length: 200 }, (_, i) => (i - 100) * 0.731 + 1 / (i + 1));
    const back = float16BitsToFloat32(float32ToFloat16Bits(values));
    values.forEach((v, i) => expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25));
  });
});

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
