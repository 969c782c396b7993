import { describe, expect, it } from 'vitest';
import {
  attributeValueOf,
  flattenAttributes,
  NOT_IN_SCENE,
  ScenesAttributeReader,
} from '../../core/scenes/scenes-attribute-reader.js';
import { captionOf } from '../../core/scenes/caption.js';
import type { Scene } from '../../core/scenes/scene.js';
import { OBJECT_KINDS } from '../../core/scenes/vocabulary.js';
import { MirageError } from '../../core/errors.js';
import { Prng } from '../../core/random/prng.js';
import { randomScene } from './scene-fixtures.js';

const reader = new ScenesAttributeReader();

const hasMap = (present: readonly string[]): Record<string, string> =>
  Object.fromEntries(OBJECT_KINDS.map((k) => [`has.${k}`, present.includes(k) ? 'yes' : 'no']));

const SCENE: Scene = {
  time: 'sunset',
  ground: 'water',
  weather: 'foggy',
  objects: [
    { kind: 'boat', colour: 'white', size: 'large', position: 'center', count: 1, attributes: { propulsion: 'sail' } },
    { kind: 'bird', colour: 'black', size: 'small', position: 'top-right', count: 3, attributes: { wings: 'spread' } },
  ],
};

describe('ScenesAttributeReader.attributesOf', () => {
  it('reads a free-text caption into flat keys', () => {
    expect(reader.attributesOf('Two red sedans on the left and a spotted dog, on a road at night under a clear sky.')).toEqual({
      time: 'night',
      ground: 'road',
      weather: 'clear',
      ...hasMap(['car', 'dog']),
      'car.colour': 'red',
      'car.count': '2',
      'car.position': 'left',
      'car.body': 'sedan',
      'dog.count': '1',
      'dog.pattern': 'spotted',
    });
  });

  it('says "no" for every kind of an empty caption and states nothing else', () => {
    expect(reader.attributesOf('')).toEqual(hasMap([]));
  });

  it('agrees with attributeValueOf on every key of 200 random scenes', () => {
    const rng = new Prng(3);
    const disagreements: string[] = [];
    for (let i = 0; i < 200; i++) {
      const scene = randomScene(rng);
      const fromCaption = reader.attributesOf(captionOf(scene));
      for (const [key, value] of Object.entries(fromCaption)) {
        const truth = attributeValueOf(scene, key);
        if (truth !== value) disagreements.push(`${key}: caption says ${value}, scene has ${truth}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('attributeValueOf', () => {
  it('reads the truth off a full scene', () => {
    expect(attributeValueOf(SCENE, 'time')).toBe('sunset');
    expect(attributeValueOf(SCENE, 'has.boat')).toBe('yes');
    expect(attributeValueOf(SCENE, 'has.dog')).toBe('no');
    expect(attributeValueOf(SCENE, 'boat.propulsion')).toBe('sail');
    expect(attributeValueOf(SCENE, 'bird.count')).toBe('3');
    expect(attributeValueOf(SCENE, 'bird.position')).toBe('top-right');
    expect(attributeValueOf(SCENE, 'dog.colour')).toBe(NOT_IN_SCENE);
  });

  it('rejects keys that are not Scenes attributes', () => {
    for (const key of ['colour', 'has.unicorn', 'dog.wings', 'unicorn.colour', 'dog.', '.colour', 'has.', 'dog.__proto__']) {
      expect(() => attributeValueOf(SCENE, key), key).toThrow(MirageError);
      expect(() => attributeValueOf(SCENE, key), key).toThrow(/Unknown Scenes attribute/);
    }
  });
});

describe('flattenAttributes', () => {
  it('leaves out what a partial scene does not state', () => {
    expect(flattenAttributes({ objects: [{ kind: 'tree', attributes: { shape: 'palm' } }], absent: ['cloud'] })).toEqual({
      ...hasMap(['tree']),
      'tree.shape': 'palm',
    });
  });
});

describe('ScenesAttributeReader.question', () => {
  const cases: readonly (readonly [string, readonly string[], string])[] = [
    ['time', ['day', 'sunset', 'night'], 'Is it day, sunset or night in the picture?'],
    ['time', ['day'], 'What time of day is it in the picture?'],
    ['ground', ['grass', 'sand'], 'Is the ground grass or sand?'],
    ['weather', ['clear', 'cloudy', 'rainy', 'foggy', 'snowy'], 'What is the weather like in the picture?'],
    ['car.colour', ['red', 'blue', 'white'], 'What colour is the car: red, blue or white?'],
    ['car.colour', ['red', 'red', 'blue'], 'What colour is the car: red or blue?'],
    ['has.dog', ['yes', 'no'], 'Is there a dog in the picture?'],
    ['tree.position', ['left', 'center', 'right'], 'Where is the tree: left, center or right?'],
    ['kite.position', ['top-left', 'bottom-right'], 'Where is the kite: top left or bottom right?'],
    ['car.count', ['2'], 'How many cars are there?'],
    ['person.count', ['1', '3'], 'How many people are there: one or three?'],
    ['dog.size', ['small', 'large'], 'How big is the dog: small or large?'],
    ['car.body', ['sedan', 'truck', 'van'], 'What kind of car is it: sedan, truck or van?'],
    ['person.hat', ['hat', 'no hat'], 'Is the person wearing a hat?'],
    ['sun.rays', ['rays', 'no rays'], 'Does the sun have rays?'],
    ['tent.door', ['open', 'closed'], 'What is the door of the tent like: open or closed?'],
  ];
  it.each(cases)('asks about %s given %j', (attribute, values, expected) => {
    expect(reader.question(attribute, values)).toBe(expected);
  });

  it('asks a question ending in "?" for every attribute a caption can state', () => {
    const rng = new Prng(5);
    for (let i = 0; i < 50; i++) {
      for (const key of Object.keys(reader.attributesOf(captionOf(randomScene(rng))))) {
        expect(reader.question(key, ['a', 'b'])).toMatch(/^[A-Z][^?]*\?$/);
      }
    }
  });

  it('rejects unknown attributes', () => {
    expect(() => reader.question('car.wings', ['a', 'b'])).toThrow(MirageError);
  });
});
