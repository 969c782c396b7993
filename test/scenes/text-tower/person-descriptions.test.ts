import { describe, expect, it } from 'vitest';
import { Prng } from '../../../core/random/prng.js';
import { sceneAt } from '../../../core/scenes/sampler.js';
import { personDescription } from '../../../core/scenes/text-tower/person-descriptions.js';

describe('training descriptions', () => {
  const scene = sceneAt(9, 4);

  it('are deterministic given the seed and vary across seeds', () => {
    expect(personDescription(scene, new Prng(1))).toBe(personDescription(scene, new Prng(1)));
    const distinct = new Set(Array.from({ length: 20 }, (_, i) => personDescription(scene, new Prng(i))));
    expect(distinct.size).toBeGreaterThan(10);
  });

  it('say something short of the whole scene', () => {
    const full = personDescription(scene, new Prng(0), { pObject: 1, pField: 1, pSetting: 1, pAbsent: 0, pSynonym: 0, pDropArticle: 0 });
    const lengths = Array.from({ length: 50 }, (_, i) => personDescription(scene, new Prng(i)).split(' ').length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
    expect(lengths.reduce((a, b) => a + b, 0) / lengths.length).toBeLessThan(full.split(' ').length);
  });
});
