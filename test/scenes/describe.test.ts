import { describe, expect, it } from 'vitest';
import { captionOf } from '../../core/scenes/caption.js';
import { describePartialScene, toPartialScene } from '../../core/scenes/describe.js';
import { parseDescription } from '../../core/scenes/parser.js';
import type { PartialScene, PartialSceneObject, Scene } from '../../core/scenes/scene.js';
import {
  COLOURS,
  GROUNDS,
  KIND_ATTRIBUTES,
  MAX_COUNT,
  MAX_OBJECTS,
  OBJECT_KINDS,
  POSITIONS,
  SIZES,
  TIMES,
  WEATHERS,
} from '../../core/scenes/vocabulary.js';
import { Prng } from '../../core/random/prng.js';
import { randomScene } from './scene-fixtures.js';

/** Each field present with probability `p`; absent kinds disjoint from the objects' kinds. */
function randomPartialScene(rng: Prng, p: number): PartialScene {
  const kinds = rng.shuffle([...OBJECT_KINDS]);
  const objects = kinds.slice(0, rng.int(0, MAX_OBJECTS)).map((kind) => {
    const o: PartialSceneObject = { kind, attributes: {} };
    if (rng.chance(p)) o.colour = rng.pick(COLOURS);
    if (rng.chance(p)) o.size = rng.pick(SIZES);
    if (rng.chance(p)) o.position = rng.pick(POSITIONS);
    if (rng.chance(p)) o.count = rng.int(1, MAX_COUNT);
    for (const [attribute, values] of Object.entries(KIND_ATTRIBUTES[kind])) {
      if (rng.chance(p)) o.attributes[attribute] = rng.pick(values);
    }
    return o;
  });
  const scene: PartialScene = { objects, absent: kinds.slice(MAX_OBJECTS, MAX_OBJECTS + rng.int(0, 3)) };
  if (rng.chance(p)) scene.time = rng.pick(TIMES);
  if (rng.chance(p)) scene.ground = rng.pick(GROUNDS);
  if (rng.chance(p)) scene.weather = rng.pick(WEATHERS);
  return scene;
}

const EXAMPLE: Scene = {
  time: 'night',
  ground: 'road',
  weather: 'rainy',
  objects: [
    { kind: 'car', colour: 'red', size: 'large', position: 'bottom-left', count: 2, attributes: { body: 'van' } },
    { kind: 'person', colour: 'blue', size: 'small', position: 'right', count: 1, attributes: { hat: 'hat', pose: 'waving' } },
    { kind: 'house', colour: 'white', size: 'medium', position: 'top', count: 1, attributes: { roof: 'flat', windows: 'lit' } },
  ],
};

describe('captionOf', () => {
  it('says everything in one fluent sentence', () => {
    expect(captionOf(EXAMPLE)).toBe(
      'Two large red vans in the bottom left, a small waving person in blue wearing a hat on the right ' +
        'and a medium white house with a flat roof and lit windows at the top, on a road, at night, in the rain.',
    );
  });

  it('is read back exactly by parseDescription on 1000 random scenes', () => {
    const rng = new Prng(7);
    for (let i = 0; i < 1000; i++) {
      const scene = randomScene(rng, 0.8);
      const caption = captionOf(scene);
      expect(parseDescription(caption), caption).toEqual(toPartialScene(scene));
      // One sentence: a capital first letter, a single full stop at the end.
      expect(caption).toMatch(/^[A-Z][^.]*\.$/);
    }
  });
});

describe('describePartialScene', () => {
  it('round-trips random partial scenes, including unknown counts and absent kinds', () => {
    const rng = new Prng(11);
    for (let i = 0; i < 1000; i++) {
      const partial = randomPartialScene(rng, 0.5);
      const text = describePartialScene(partial);
      expect(parseDescription(text), text).toEqual(partial);
    }
  });

  it('says absent kinds and bare settings', () => {
    expect(describePartialScene({ objects: [], absent: ['cloud', 'sun'], time: 'dawn' })).toBe(
      'A scene, at dawn, with no clouds and no sun.',
    );
    expect(describePartialScene({ objects: [{ kind: 'dog', attributes: {} }], absent: [] })).toBe('The dog.');
    expect(parseDescription(describePartialScene({ objects: [], absent: [] }))).toEqual({ objects: [], absent: [] });
  });
});

describe('toPartialScene', () => {
  it('keeps every field of a full scene and drops attributes outside the vocabulary', () => {
    const scene: Scene = {
      time: 'day',
      ground: 'grass',
      weather: 'clear',
      objects: [
        {
          kind: 'dog',
          colour: 'brown',
          size: 'small',
          position: 'center',
          count: 2,
          attributes: { pattern: 'spotted', wings: 'spread', constructor: 'x', colour: 'plaid' },
        },
      ],
    };
    expect(toPartialScene(scene)).toEqual({
      time: 'day',
      ground: 'grass',
      weather: 'clear',
      objects: [{ kind: 'dog', colour: 'brown', size: 'small', position: 'center', count: 2, attributes: { pattern: 'spotted' } }],
      absent: [],
    });
  });
});
