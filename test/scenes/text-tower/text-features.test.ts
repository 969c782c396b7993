import { describe, expect, it } from 'vitest';
import { featureNames, fnv1a32, hashedFeatures, tokenize } from '../../../core/scenes/text-tower/text-features.js';

describe('text tower features', () => {
  it('hashes with plain 32-bit FNV-1a (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('lower-cases and splits on anything but letters and digits', () => {
    expect(tokenize('  A Red-car,  TOP left!! ')).toEqual(['a', 'red', 'car', 'top', 'left']);
    expect(tokenize('...')).toEqual([]);
  });

  it('names every word and every adjacent pair', () => {
    expect(featureNames('A red car')).toEqual(['u|a', 'u|red', 'u|car', 'b|a red', 'b|red car']);
  });

  it('counts the names per slot and scales to unit length (worked by hand, hash size 16)', () => {
    // fnv1a32("u|red") = 0xb2b6e813 -> slot 3; "u|car" = 0x75c3735a -> 10; "b|red car" = 0xc84628a0 -> 0.
    const redCar = hashedFeatures('Red car.', 16);
    expect([...redCar.indices]).toEqual([0, 3, 10]);
    for (const v of redCar.values) expect(v).toBeCloseTo(1 / Math.sqrt(3), 12);
    // "u|red" twice (slot 3) and "b|red red" once (0xa3b10bb5 -> slot 5): (2, 1) / sqrt(5).
    const redRed = hashedFeatures('red RED', 16);
    expect([...redRed.indices]).toEqual([3, 5]);
    expect(redRed.values[0]).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(redRed.values[1]).toBeCloseTo(1 / Math.sqrt(5), 12);
  });

  it('adds up names that collide in one slot', () => {
    const one = hashedFeatures('red car', 1);
    expect([...one.indices]).toEqual([0]);
    expect(one.values[0]).toBeCloseTo(1, 12);
  });
});
