import { describe, expect, it } from 'vitest';
import { completeScene } from '../../core/scenes/complete-scene.js';
import { sceneDifferences } from '../../core/scenes/scene-diff.js';
import { sceneSchema, type PartialScene, type PartialSceneObject, type Scene } from '../../core/scenes/scene.js';
import { KIND_ATTRIBUTES, MAX_OBJECTS, OBJECT_KINDS, POSITIONS, type ObjectKind } from '../../core/scenes/vocabulary.js';
import { Prng } from '../../core/random/prng.js';
import { randomScene } from './scene-fixtures.js';

const SEEDS = Array.from({ length: 150 }, (_, i) => i * 7919 + 1);
const named = (kind: ObjectKind, rest: Partial<PartialSceneObject> = {}): PartialSceneObject => ({ kind, attributes: {}, ...rest });
const complete = (partial: PartialScene, seed: number) => completeScene(partial, new Prng(seed));

/** A description that states a random half of a random scene's facts. */
function halfStated(rng: Prng): PartialScene {
  const scene = randomScene(rng, 0.5);
  const keep = <T>(value: T) => (rng.chance(0.5) ? value : undefined);
  const partial: PartialScene = { objects: [], absent: [] };
  const time = keep(scene.time);
  const ground = keep(scene.ground);
  const weather = keep(scene.weather);
  if (time) partial.time = time;
  if (ground) partial.ground = ground;
  if (weather) partial.weather = weather;
  for (const o of scene.objects) {
    const object: PartialSceneObject = { kind: o.kind, attributes: o.attributes };
    const colour = keep(o.colour);
    const size = keep(o.size);
    const position = keep(o.position);
    const count = keep(o.count);
    if (colour) object.colour = colour;
    if (size) object.size = size;
    if (position) object.position = position;
    if (count) object.count = count;
    partial.objects.push(object);
  }
  return partial;
}

describe('completeScene', () => {
  it('keeps every stated fact and fills every other one with a valid value', () => {
    const rng = new Prng(1);
    for (const seed of SEEDS) {
      const partial = halfStated(rng);
      const scene = complete(partial, seed);
      expect(sceneSchema.safeParse(scene).success).toBe(true);
      for (const field of ['time', 'ground', 'weather'] as const) {
        if (partial[field] !== undefined) expect(scene[field]).toBe(partial[field]);
      }
      expect(scene.objects.map((o) => o.kind)).toEqual(partial.objects.map((o) => o.kind));
      partial.objects.forEach((stated, i) => {
        const object = scene.objects[i]!;
        for (const field of ['colour', 'size', 'position', 'count'] as const) {
          if (stated[field] !== undefined) expect(object[field]).toBe(stated[field]);
        }
        for (const [name, values] of Object.entries(KIND_ATTRIBUTES[stated.kind])) {
          if (stated.attributes[name] !== undefined) expect(object.attributes[name]).toBe(stated.attributes[name]);
          expect(values).toContain(object.attributes[name]);
        }
      });
      expect(new Set(scene.objects.map((o) => o.position)).size).toBe(scene.objects.length);
    }
  });

  it('is deterministic for a seed and varies the unstated facts across seeds', () => {
    const partial: PartialScene = { objects: [named('car')], absent: [] };
    expect(complete(partial, 5)).toEqual(complete(partial, 5));
    const colours = new Set(SEEDS.map((seed) => complete(partial, seed).objects[0]!.colour));
    expect(colours.size).toBeGreaterThan(3);
  });

  it('never adds a kind the description says is absent', () => {
    const absent: ObjectKind[] = ['cloud', 'sun', 'tree', 'house', 'car'];
    for (const seed of SEEDS) {
      const scene = complete({ objects: [], absent }, seed);
      expect(scene.objects.length).toBeGreaterThanOrEqual(1);
      expect(scene.objects.length).toBeLessThanOrEqual(2);
      for (const o of scene.objects) expect(absent).not.toContain(o.kind);
    }
  });

  it('drops a named kind that is also said to be absent', () => {
    const scene = complete({ objects: [named('dog'), named('cat')], absent: ['cat'] }, 3);
    expect(scene.objects.map((o) => o.kind)).toEqual(['dog']);
  });

  it('refuses a description that rules out every kind', () => {
    expect(() => complete({ objects: [], absent: [...OBJECT_KINDS] }, 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('keeps the first MAX_OBJECTS objects and the first mention of a repeated kind', () => {
    const kinds: ObjectKind[] = ['dog', 'cat', 'tree', 'house', 'car', 'tent'];
    const scene = complete({ objects: kinds.map((k) => named(k)), absent: [] }, 2);
    expect(scene.objects.map((o) => o.kind)).toEqual(kinds.slice(0, MAX_OBJECTS));
    const twice = complete({ objects: [named('car', { colour: 'red' }), named('car', { colour: 'blue' })], absent: [] }, 2);
    expect(twice.objects).toHaveLength(1);
    expect(twice.objects[0]!.colour).toBe('red');
  });

  it('moves the later of two objects stated in one cell to the nearest free cell, the same way for every seed', () => {
    const partial: PartialScene = {
      objects: [named('house', { position: 'center' }), named('tree', { position: 'center' }), named('dog')],
      absent: [],
    };
    const moved = new Set<string>();
    for (const seed of SEEDS.slice(0, 30)) {
      const scene = complete(partial, seed);
      expect(scene.objects[0]!.position).toBe('center');
      const tree = POSITIONS.indexOf(scene.objects[1]!.position);
      expect(Math.abs(Math.floor(tree / 3) - 1) + Math.abs((tree % 3) - 1)).toBe(1);
      expect(new Set(scene.objects.map((o) => o.position)).size).toBe(3);
      moved.add(scene.objects[1]!.position);
    }
    expect(moved.size).toBe(1);
  });

  it('changes only the refined fact when a description gains one detail', () => {
    for (const seed of SEEDS.slice(0, 40)) {
      const before: PartialScene = { objects: [named('car'), named('tree'), named('bird')], absent: [] };
      const first = complete(before, seed);
      const car = first.objects[0]!;
      const refined: PartialScene = {
        objects: [named('car', { colour: car.colour === 'red' ? 'blue' : 'red', size: car.size }), named('tree'), named('bird')],
        absent: [],
      };
      expect(sceneDifferences(first, complete(refined, seed))).toEqual(['car.colour']);
    }
  });

  it('assumes what the named things imply: water under a boat, no night with a sun', () => {
    for (const seed of SEEDS) {
      expect(complete({ objects: [named('boat')], absent: [] }, seed).ground).toBe('water');
      expect(complete({ objects: [named('sun')], absent: [] }, seed).time).not.toBe('night');
      expect(complete({ objects: [named('house')], absent: [] }, seed).ground).not.toBe('water');
    }
  });

  it('lets a stated weather shape the assumed ground', () => {
    const onSnow = (weather: Scene['weather']) =>
      SEEDS.filter((seed) => complete({ weather, objects: [named('house')], absent: [] }, seed).ground === 'snow').length;
    expect(onSnow('snowy')).toBeGreaterThan(2 * onSnow('clear'));
    expect(onSnow('rainy')).toBe(0);
  });

  it('honours stated facts even against the priors', () => {
    const scene: Scene = complete(
      { time: 'night', ground: 'grass', objects: [named('sun', { position: 'bottom-left', count: 3 }), named('boat')], absent: [] },
      4,
    );
    expect(scene.time).toBe('night');
    expect(scene.ground).toBe('grass');
    expect(scene.objects[0]).toMatchObject({ kind: 'sun', position: 'bottom-left', count: 3 });
    expect(scene.objects[1]!.kind).toBe('boat');
  });

  it('replaces an attribute value outside the vocabulary with one from the priors', () => {
    const scene = complete({ objects: [named('house', { attributes: { roof: 'banana', chimney: 'yes' } })], absent: [] }, 8);
    expect(KIND_ATTRIBUTES.house['roof']).toContain(scene.objects[0]!.attributes['roof']);
    expect(Object.keys(scene.objects[0]!.attributes).sort()).toEqual(['roof', 'windows']);
  });
});
