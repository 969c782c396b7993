import { describe, expect, it } from 'vitest';
import { salienceComparator, salienceLevel } from '../../../core/eval/scripted/salience.js';
import { formMemory } from '../../../core/eval/scripted/memory-noise.js';
import { changed, NO_NOISE, TARGET, TARGET_FACTS_BY_SALIENCE } from './searcher-fixtures.js';

describe('salience', () => {
  it('ranks presence, time, ground, colour, size, position, count, kind attributes, weather; larger objects first', () => {
    expect(formMemory(TARGET, NO_NOISE, 1).facts).toEqual(TARGET_FACTS_BY_SALIENCE);
  });

  it('names the level of every kind of key', () => {
    expect(['has.cat', 'time', 'ground', 'cat.colour', 'cat.size', 'cat.position', 'cat.count', 'cat.pattern', 'weather'].map(salienceLevel)).toEqual([
      'presence',
      'time',
      'ground',
      'colour',
      'size',
      'position',
      'count',
      'kind attribute',
      'weather',
    ]);
  });

  it('keeps scene order between objects of one size', () => {
    const sameSize = changed(changed(TARGET, 'dog', { size: 'large' }), 'house', { size: 'large' });
    const compare = salienceComparator(sameSize);
    expect(['has.house', 'has.car', 'has.dog'].sort(compare)).toEqual(['has.dog', 'has.car', 'has.house']);
  });

  it('puts kinds outside the scene after its own, in vocabulary order', () => {
    const compare = salienceComparator(TARGET);
    expect(['has.cloud', 'has.dog', 'has.balloon', 'time'].sort(compare)).toEqual(['has.dog', 'has.cloud', 'has.balloon', 'time']);
  });
});
