import { invalidInput } from '../errors.js';
import type { AttributeReader } from '../ports/attribute-reader.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';
import { COLOURS, GROUNDS, KIND_ATTRIBUTES, MAX_COUNT, OBJECT_KINDS, POSITIONS, SIZES, TIMES, WEATHERS, type ObjectKind } from './vocabulary.js';

const COUNTS = Array.from({ length: MAX_COUNT }, (_, i) => String(i + 1));
const OBJECT_FIELD_VALUES: Readonly<Record<string, readonly string[]>> = { colour: COLOURS, size: SIZES, position: POSITIONS, count: COUNTS };

/** Every value an attribute key (ScenesAttributeReader's keys) can take; empty for unknown keys. */
function valuesOf(key: string): readonly string[] {
  if (key === 'time') return TIMES;
  if (key === 'ground') return GROUNDS;
  if (key === 'weather') return WEATHERS;
  const dot = key.indexOf('.');
  const head = key.slice(0, dot);
  const name = key.slice(dot + 1);
  if (head === 'has') return ['yes', 'no'];
  if (!(OBJECT_KINDS as readonly string[]).includes(head)) return [];
  return OBJECT_FIELD_VALUES[name] ?? KIND_ATTRIBUTES[head as ObjectKind][name] ?? [];
}

/**
 * The Scenes world's captions as an imperfect captioner would write them, for the `verbal`
 * strategy's reading of candidate captions: each attribute a caption states is independently
 * corrupted with probability pNoise, half the time dropped (the captioner left it out) and half
 * the time replaced by another valid value (it got it wrong). Archive captions are lossless
 * ground truth otherwise, which no real captioner is. A realism diagnostic of the evaluation,
 * wrapped around the world's reader, never part of the method; 0 (lossless) by default.
 *
 * Deterministic in (seed, caption, attribute), so one image's caption always reads the same way,
 * in every round and for every strategy.
 */
export function withCaptionNoise(reader: AttributeReader, pNoise: number, seed: number): AttributeReader {
  if (!(pNoise >= 0 && pNoise <= 1)) throw invalidInput(`Caption noise must lie in [0, 1], got ${pNoise}.`);
  if (pNoise === 0) return reader;
  return {
    attributesOf: (caption) => {
      const read = reader.attributesOf(caption);
      const noisy: Record<string, string> = {};
      for (const [key, value] of Object.entries(read)) {
        const rng = new Prng(deriveSeed(seed, 'caption', caption, key));
        if (!rng.chance(pNoise)) {
          noisy[key] = value;
          continue;
        }
        const others = valuesOf(key).filter((v) => v !== value);
        // Dropped, or altered when the key has another value to take.
        if (rng.chance(0.5) && others.length > 0) noisy[key] = rng.pick(others);
      }
      return noisy;
    },
    question: (attribute, values) => reader.question(attribute, values),
  };
}
