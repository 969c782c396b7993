import { describe, expect, it } from 'vitest';
import { withCaptionNoise } from '../../core/scenes/caption-noise.js';
import { ScenesAttributeReader } from '../../core/scenes/scenes-attribute-reader.js';

const reader = new ScenesAttributeReader();
const CAPTION = 'two brown spotted dogs at the bottom right and a large red van at night on a road in the rain';

describe('caption noise for the verbal strategy', () => {
  it('0 is lossless: the reader itself', () => {
    expect(withCaptionNoise(reader, 0, 1)).toBe(reader);
  });

  it('1 corrupts every stated attribute: each is dropped or takes another valid value', () => {
    const clean = reader.attributesOf(CAPTION);
    const noisy = withCaptionNoise(reader, 1, 1).attributesOf(CAPTION);
    const keys = Object.keys(clean);
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) expect(noisy[key]).not.toBe(clean[key]);
    const altered = keys.filter((key) => noisy[key] !== undefined);
    const dropped = keys.filter((key) => noisy[key] === undefined);
    // About half each.
    expect(altered.length).toBeGreaterThan(keys.length / 5);
    expect(dropped.length).toBeGreaterThan(keys.length / 5);
    expect(['yes', 'no']).toContain(noisy['has.cat'] ?? 'yes');
  });

  it('reads one caption the same way every time, and asks the same questions', () => {
    const a = withCaptionNoise(reader, 0.3, 7);
    const b = withCaptionNoise(reader, 0.3, 7);
    expect(a.attributesOf(CAPTION)).toEqual(b.attributesOf(CAPTION));
    expect(a.attributesOf(CAPTION)).not.toEqual(reader.attributesOf(CAPTION));
    expect(a.question('car.colour', ['red', 'blue'])).toBe(reader.question('car.colour', ['red', 'blue']));
  });

  it('rejects a probability outside [0, 1]', () => {
    expect(() => withCaptionNoise(reader, 2, 1)).toThrow(/Caption noise/);
  });
});
