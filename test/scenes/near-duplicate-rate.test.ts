import { describe, expect, it } from 'vitest';
import { DEFAULT_NEAR_DUPLICATE_RATE, sceneAt, sceneOrigin } from '../../core/scenes/sampler.js';

const N = 2000;
const mutationShare = (rate?: number) =>
  Array.from({ length: N }, (_, i) => sceneOrigin(9, i, rate)).filter((o) => o.kind === 'mutation').length / N;

describe('near-duplicate rate of the scene sampler', () => {
  it('the default rate is the world as it was: the same origins and scenes as without the knob', () => {
    for (let i = 0; i < 200; i++) {
      expect(sceneOrigin(9, i, DEFAULT_NEAR_DUPLICATE_RATE)).toEqual(sceneOrigin(9, i));
      expect(sceneAt(9, i, DEFAULT_NEAR_DUPLICATE_RATE)).toEqual(sceneAt(9, i));
    }
    // About 40% asked; the fallback to fresh scenes when no source is found takes a little off.
    expect(mutationShare()).toBeGreaterThan(0.3);
    expect(mutationShare()).toBeLessThan(0.42);
  });

  it('rate 0 makes every scene fresh; a higher rate makes more near-duplicates', () => {
    expect(mutationShare(0)).toBe(0);
    expect(mutationShare(0.7)).toBeGreaterThan(mutationShare() + 0.15);
  });

  it('rejects a rate outside [0, 1]', () => {
    expect(() => sceneOrigin(9, 5, 1.5)).toThrow(/near-duplicate rate/);
  });
});
