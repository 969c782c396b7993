import { describe, expect, it } from 'vitest';
import { mutateOne, sceneAt, sceneOrigin } from '../../core/scenes/sampler.js';
import { sceneDifferences } from '../../core/scenes/scene-diff.js';
import type { Scene } from '../../core/scenes/scene.js';
import { Prng } from '../../core/random/prng.js';
import { expectWorldRules } from './world-rules.js';

const SEED = 20240607;
const N = 1500;
const world = Array.from({ length: N }, (_, i) => sceneAt(SEED, i));

/** "car.colour" -> "colour", "+dog" -> "add": the kind of change, whatever the object. */
function category(difference: string): string {
  if (difference.startsWith('+')) return 'add';
  if (difference.startsWith('-')) return 'remove';
  const parts = difference.split('.');
  return parts.length === 1 ? difference : parts[1] === 'attributes' ? 'attribute' : (parts[1] as string);
}

describe('sceneAt', () => {
  it('is a pure function of (worldSeed, index), in any order of access', () => {
    for (const i of [N - 1, 0, 777, 3, 1234]) expect(sceneAt(SEED, i)).toEqual(world[i]);
    expect(sceneAt(SEED, 999_999)).toEqual(sceneAt(SEED, 999_999));
  });

  it('gives another world for another seed', () => {
    const other = Array.from({ length: 50 }, (_, i) => sceneAt(SEED + 1, i));
    const same = other.filter((scene, i) => JSON.stringify(scene) === JSON.stringify(world[i])).length;
    expect(same).toBeLessThan(5);
  });

  it('keeps the world rules in every scene', () => {
    for (const scene of world) expectWorldRules(scene);
  });

  it('makes about 40% of scenes near-duplicates of an earlier scene, each differing in exactly one attribute', () => {
    let mutations = 0;
    for (let i = 0; i < N; i++) {
      const origin = sceneOrigin(SEED, i);
      if (origin.kind === 'fresh') continue;
      mutations++;
      expect(origin.of).toBeLessThan(i);
      expect(sceneDifferences(world[origin.of] as Scene, world[i] as Scene)).toHaveLength(1);
    }
    expect(mutations / N).toBeGreaterThan(0.33);
    expect(mutations / N).toBeLessThan(0.47);
  });

  it('draws from non-uniform priors', () => {
    const objects = world.flatMap((s) => s.objects);
    const trees = objects.filter((o) => o.kind === 'tree');
    expect(trees.filter((t) => t.colour === 'green').length / trees.length).toBeGreaterThan(0.5);
    expect(objects.filter((o) => o.count === 1).length / objects.length).toBeGreaterThan(0.6);
    expect(world.filter((s) => s.time === 'day').length / N).toBeGreaterThan(0.4);
    const houses = objects.filter((o) => o.kind === 'house');
    expect(houses.filter((h) => h.attributes['roof'] === 'pointed').length / houses.length).toBeGreaterThan(0.55);
    const objectNumbers = new Set(world.map((s) => s.objects.length));
    expect([...objectNumbers].sort()).toEqual([1, 2, 3, 4]);
  });

  it('rejects an index that is not a whole number >= 0', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => sceneAt(SEED, bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(() => sceneAt(SEED, -3)).toThrow(/-3/);
  });
});

describe('mutateOne', () => {
  it('changes exactly one attribute, keeps the world rules, and reaches every kind of change', () => {
    const rng = new Prng(99);
    const seen = new Set<string>();
    for (const scene of world.slice(0, 600)) {
      const mutated = mutateOne(scene, rng);
      const differences = sceneDifferences(scene, mutated);
      expect(differences, JSON.stringify([scene, mutated])).toHaveLength(1);
      expectWorldRules(mutated);
      seen.add(category(differences[0] as string));
    }
    expect([...seen].sort()).toEqual(
      ['add', 'attribute', 'colour', 'count', 'ground', 'position', 'remove', 'size', 'time', 'weather'].sort(),
    );
  });

  it('leaves its input untouched and is deterministic for a seed', () => {
    const scene = world[5] as Scene;
    const copy = structuredClone(scene);
    const a = mutateOne(scene, new Prng(7));
    expect(scene).toEqual(copy);
    expect(mutateOne(scene, new Prng(7))).toEqual(a);
  });

  it('never removes the last object', () => {
    const single = world.filter((s) => s.objects.length === 1).slice(0, 100);
    const rng = new Prng(3);
    for (const scene of single) expect(mutateOne(scene, rng).objects.length).toBeGreaterThanOrEqual(1);
  });
});

describe('sceneDifferences', () => {
  const base: Scene = {
    time: 'day',
    ground: 'grass',
    weather: 'clear',
    objects: [
      { kind: 'car', colour: 'red', size: 'small', position: 'bottom', count: 1, attributes: { body: 'sedan' } },
      { kind: 'sun', colour: 'yellow', size: 'medium', position: 'top', count: 1, attributes: { rays: 'rays' } },
    ],
  };

  it('names each differing field, and ignores object order', () => {
    expect(sceneDifferences(base, { ...base, objects: [...base.objects].reverse() })).toEqual([]);
    const changed: Scene = {
      ...base,
      weather: 'foggy',
      objects: [
        { kind: 'car', colour: 'blue', size: 'small', position: 'bottom', count: 2, attributes: { body: 'van' } },
        { kind: 'dog', colour: 'brown', size: 'small', position: 'left', count: 1, attributes: { pattern: 'plain' } },
      ],
    };
    expect(sceneDifferences(base, changed).sort()).toEqual(
      ['weather', 'car.colour', 'car.count', 'car.attributes.body', '-sun', '+dog'].sort(),
    );
  });
});
