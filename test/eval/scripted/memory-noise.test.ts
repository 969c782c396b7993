import { describe, expect, it } from 'vitest';
import { attributeValueOf, flattenAttributes } from '../../../core/scenes/scenes-attribute-reader.js';
import { toPartialScene } from '../../../core/scenes/describe.js';
import type { Scene } from '../../../core/scenes/scene.js';
import { formMemory } from '../../../core/eval/scripted/memory-noise.js';
import type { Memory } from '../../../core/eval/scripted/memory.js';
import { Prng } from '../../../core/random/prng.js';
import { randomScene } from '../../scenes/scene-fixtures.js';
import { NO_NOISE, TARGET } from './searcher-fixtures.js';

const keysOf = (scene: Scene) => Object.keys(flattenAttributes(toPartialScene(scene)));

/** Everything the memory would say, as key=value pairs. */
const snapshot = (memory: Memory) => memory.facts.map((key) => `${key}=${memory.recall(key)}`);

describe('formMemory', () => {
  it('without noise remembers every fact, and knows what is not in the picture', () => {
    const memory = formMemory(TARGET, NO_NOISE, 1);
    expect(memory.knowsAllObjects).toBe(true);
    for (const key of keysOf(TARGET)) expect(memory.recall(key), key).toBe(attributeValueOf(TARGET, key));
    expect(memory.recall('cat.colour')).toBe('none');
    expect(memory.facts).toHaveLength(22);
  });

  it('with pForget = 1 remembers nothing and is sure of nothing', () => {
    const memory = formMemory(TARGET, { pForget: 1, pMisremember: 0 }, 1);
    expect(memory.facts).toEqual([]);
    expect(memory.knowsAllObjects).toBe(false);
    for (const key of ['time', 'has.dog', 'has.cat', 'car.colour', 'cat.colour']) expect(memory.recall(key), key).toBeUndefined();
  });

  it('with pMisremember = 1 gets every fact wrong, with valid values and other kinds', () => {
    const memory = formMemory(TARGET, { pForget: 0, pMisremember: 1 }, 3);
    for (const key of ['time', 'ground', 'weather']) expect(memory.recall(key)).not.toBe(attributeValueOf(TARGET, key));
    const targetKinds = TARGET.objects.map((o) => o.kind);
    expect(memory.kinds).toHaveLength(targetKinds.length);
    for (const kind of memory.kinds) expect(targetKinds).not.toContain(kind);
    // Believing in the wrong objects, it is sure the real ones are absent.
    for (const kind of targetKinds) expect(memory.recall(`has.${kind}`)).toBe('no');
  });

  it('is deterministic in the seed and varies across seeds', () => {
    const noise = { pForget: 0.2, pMisremember: 0.2 };
    expect(snapshot(formMemory(TARGET, noise, 7))).toEqual(snapshot(formMemory(TARGET, noise, 7)));
    const distinct = new Set(Array.from({ length: 20 }, (_, seed) => snapshot(formMemory(TARGET, noise, seed)).join(' ')));
    expect(distinct.size).toBeGreaterThan(10);
  });

  it('forgets the same scene facts whatever pMisremember is', () => {
    for (let seed = 0; seed < 50; seed++) {
      const plain = formMemory(TARGET, { pForget: 0.3, pMisremember: 0 }, seed);
      const noisy = formMemory(TARGET, { pForget: 0.3, pMisremember: 0.4 }, seed);
      for (const key of ['time', 'ground', 'weather']) {
        expect(noisy.recall(key) === undefined, `seed ${seed} ${key}`).toBe(plain.recall(key) === undefined);
      }
    }
  });

  it('forgets and misremembers facts at the configured rates', () => {
    const noise = { pForget: 0.2, pMisremember: 0.1 };
    const rng = new Prng(11);
    let facts = 0;
    let forgotten = 0;
    let misremembered = 0;
    for (let i = 0; i < 400; i++) {
      const target = randomScene(rng);
      const memory = formMemory(target, noise, i);
      const targetKinds = target.objects.map((o) => o.kind);
      // Presences: a swapped kind is the only way a kind not in the target gets into memory.
      const swapped = memory.kinds.filter((k) => !targetKinds.includes(k)).length;
      const lost = targetKinds.filter((k) => !memory.kinds.includes(k)).length;
      facts += targetKinds.length;
      misremembered += swapped;
      forgotten += lost - swapped;
      // Everything else, on objects whose kind is remembered right (a swapped kind's fields have other keys).
      const keys = keysOf(target).filter((key) => {
        if (key.startsWith('has.')) return false;
        const head = key.split('.')[0] ?? '';
        return key === head || memory.kinds.some((k) => k === head);
      });
      for (const key of keys) {
        facts++;
        const value = memory.recall(key);
        if (value === undefined) forgotten++;
        else if (value !== attributeValueOf(target, key)) misremembered++;
      }
    }
    expect(facts).toBeGreaterThan(5000);
    expect(Math.abs(forgotten / facts - noise.pForget)).toBeLessThan(0.02);
    expect(Math.abs(misremembered / facts - noise.pMisremember)).toBeLessThan(0.02);
  });
});
