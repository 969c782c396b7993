import type { Prng } from '../../core/random/prng.js';
import type { Scene } from '../../core/scenes/scene.js';
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

/**
 * A random valid scene straight from the vocabulary (one object per kind, distinct cells,
 * 1-MAX_OBJECTS objects, counts 1-MAX_COUNT). `attributeChance` < 1 leaves some kind attributes out.
 */
export function randomScene(rng: Prng, attributeChance = 1): Scene {
  const kinds = rng.shuffle([...OBJECT_KINDS]).slice(0, rng.int(1, MAX_OBJECTS));
  const cells = rng.shuffle([...POSITIONS]);
  return {
    time: rng.pick(TIMES),
    ground: rng.pick(GROUNDS),
    weather: rng.pick(WEATHERS),
    objects: kinds.map((kind, i) => {
      const attributes: Record<string, string> = {};
      for (const [attribute, values] of Object.entries(KIND_ATTRIBUTES[kind])) {
        if (rng.chance(attributeChance)) attributes[attribute] = rng.pick(values);
      }
      return {
        kind,
        colour: rng.pick(COLOURS),
        size: rng.pick(SIZES),
        position: cells[i] ?? 'center',
        count: rng.int(1, MAX_COUNT),
        attributes,
      };
    }),
  };
}
