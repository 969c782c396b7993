import { describe, expect, it } from 'vitest';
import { Memory } from '../../../core/eval/scripted/memory.js';
import { formMemory } from '../../../core/eval/scripted/memory-noise.js';
import { corrections } from '../../../core/eval/scripted/perception.js';
import { changed, NO_NOISE, TARGET } from './searcher-fixtures.js';

const memory = formMemory(TARGET, NO_NOISE, 1);

describe('corrections', () => {
  it('finds nothing to correct in the remembered picture itself', () => {
    expect(corrections(memory, TARGET)).toEqual([]);
  });

  it('corrects a wrong value with the remembered one', () => {
    expect(corrections(memory, changed(TARGET, 'car', { colour: 'blue' }))).toEqual([{ main: 'car.colour', facts: ['car.colour'] }]);
  });

  it('lists corrections most salient first', () => {
    const seen = { ...changed(TARGET, 'dog', { attributes: { pattern: 'plain' } }), time: 'day' as const, weather: 'clear' as const };
    expect(corrections(memory, seen).map((c) => c.main)).toEqual(['time', 'dog.pattern', 'weather']);
  });

  it('adds a missing object with everything remembered about it', () => {
    expect(corrections(memory, changed(TARGET, 'dog', null))).toEqual([
      { main: 'has.dog', facts: ['has.dog', 'dog.colour', 'dog.size', 'dog.position', 'dog.count', 'dog.pattern'] },
    ]);
  });

  it('says an unexpected object is absent only when it remembers every object', () => {
    const cloud = { kind: 'cloud' as const, colour: 'white' as const, size: 'medium' as const, position: 'top' as const, count: 1, attributes: { shade: 'light' } };
    const seen = { ...TARGET, objects: [...TARGET.objects, cloud] };
    expect(corrections(memory, seen)).toEqual([{ main: 'has.cloud', facts: ['has.cloud'] }]);
    const forgotHouse = new Memory(TARGET, new Set(['has.house']));
    expect(corrections(forgotHouse, seen)).toEqual([]);
  });

  it('never corrects what it has forgotten', () => {
    const forgotColour = new Memory(TARGET, new Set(['car.colour']));
    expect(corrections(forgotColour, changed(TARGET, 'car', { colour: 'blue' }))).toEqual([]);
    // A forgotten object is not missed either.
    const forgotDog = new Memory(TARGET, new Set(['has.dog']));
    expect(corrections(forgotDog, changed(TARGET, 'dog', null))).toEqual([]);
  });
});
