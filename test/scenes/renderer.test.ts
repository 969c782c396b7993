import { describe, expect, it } from 'vitest';
import { renderScene, sceneToSvg } from '../../core/scenes/renderer.js';
import { mutateOne, sceneAt, sceneOrigin } from '../../core/scenes/sampler.js';
import type { Scene, SceneObject } from '../../core/scenes/scene.js';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';
import {
  COLOURS,
  GROUNDS,
  KIND_ATTRIBUTES,
  OBJECT_KINDS,
  SIZES,
  TIMES,
  WEATHERS,
} from '../../core/scenes/vocabulary.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { Prng } from '../../core/random/prng.js';

const SIZE = 96;
const render = (scene: Scene, jitterSeed = 1, size = SIZE) => renderScene(scene, { size, jitterSeed });
const same = (a: RawImage, b: RawImage) => Buffer.from(a.data).equals(Buffer.from(b.data));

function sceneWith(object: SceneObject, rest: Partial<Scene> = {}): Scene {
  return { time: 'day', ground: object.kind === 'boat' ? 'water' : 'grass', weather: 'clear', objects: [object], ...rest };
}

function firstValues(kind: SceneObject['kind']): Record<string, string> {
  return Object.fromEntries(Object.entries(KIND_ATTRIBUTES[kind]).map(([name, values]) => [name, values[0] as string]));
}

const house: SceneObject = { kind: 'house', colour: 'red', size: 'medium', position: 'center', count: 1, attributes: { roof: 'pointed', windows: 'dark' } };
const base = sceneWith(house);

describe('renderScene', () => {
  it('returns RGB pixels of the asked size (256 by default)', async () => {
    const image = await renderScene(base);
    expect([image.width, image.height, image.data.length]).toEqual([256, 256, 256 * 256 * 3]);
    const small = await render(base, 1, 40);
    expect([small.width, small.height, small.data.length]).toEqual([40, 40, 40 * 40 * 3]);
  });

  it('gives identical bytes for the same scene, size and jitter seed', async () => {
    for (const scene of [base, sceneAt(3, 10), sceneAt(3, 11)]) {
      expect(same(await render(scene, 42), await render(scene, 42))).toBe(true);
      expect(sceneToSvg(scene, SIZE, 42)).toBe(sceneToSvg(scene, SIZE, 42));
    }
  });

  it('gives different bytes for another jitter seed, but only a small change', async () => {
    const a = await render(base, 1);
    const b = await render(base, 2);
    expect(same(a, b)).toBe(false);
    const moved = await render({ ...base, objects: [{ ...house, position: 'left' }] }, 1);
    expect(meanAbsoluteDifference(a, b)).toBeLessThan(meanAbsoluteDifference(a, moved));
  });

  it('changes the pixels for every value of every scene attribute', async () => {
    const variants: Scene[] = [
      ...TIMES.map((time) => ({ ...base, time })),
      ...GROUNDS.filter((g) => g !== 'water').map((ground) => ({ ...base, ground })),
      ...WEATHERS.map((weather) => ({ ...base, weather })),
      ...COLOURS.map((colour) => sceneWith({ ...house, colour })),
      ...SIZES.map((size) => sceneWith({ ...house, size })),
      ...[1, 2, 3].map((count) => sceneWith({ ...house, count })),
      ...['left', 'bottom', 'right'].map((position) => sceneWith({ ...house, position: position as SceneObject['position'] })),
    ];
    await expectAllDistinct(variants);
  });

  it('draws every kind, and every kind attribute value differently', async () => {
    const variants: Scene[] = [];
    for (const kind of OBJECT_KINDS) {
      const attributes = firstValues(kind);
      const object: SceneObject = { kind, colour: 'orange', size: 'large', position: kind === 'boat' ? 'bottom' : 'center', count: 1, attributes };
      variants.push(sceneWith(object));
      for (const [name, values] of Object.entries(KIND_ATTRIBUTES[kind])) {
        for (const value of values.slice(1)) variants.push(sceneWith({ ...object, attributes: { ...attributes, [name]: value } }));
      }
    }
    await expectAllDistinct(variants);
  });

  it('keeps a re-render nearer to its scene than a near-duplicate is, for the pixel embedder', async () => {
    const embedder = new ScenesImageEmbedder();
    const embed = async (scene: Scene, jitterSeed: number) => embedder.embedImage(await renderScene(scene, { jitterSeed }));
    const rng = new Prng(11);
    let nearer = 0;
    const trials = 40;
    for (let i = 0; i < trials; i++) {
      const scene = sceneAt(17, i);
      const target = await embed(scene, 1);
      const reRendered = await embed(scene, 2);
      const nearDuplicate = await embed(mutateOne(scene, rng), 3);
      if (dot(target, reRendered) > dot(target, nearDuplicate)) nearer++;
    }
    expect(nearer / trials).toBeGreaterThanOrEqual(0.85);
  });

  it('refuses a size out of range and a malformed scene', async () => {
    for (const size of [0, 8, 100.5, 5000]) {
      await expect(renderScene(base, { size })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    const bad = { ...base, objects: [{ ...house, kind: 'dragon' }] } as unknown as Scene;
    await expect(renderScene(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/kind/) });
    await expect(renderScene({ ...base, objects: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('renders a mutation origin and its source differently', async () => {
    const i = Array.from({ length: 100 }, (_, k) => k).find((k) => sceneOrigin(3, k).kind === 'mutation') as number;
    const origin = sceneOrigin(3, i);
    if (origin.kind !== 'mutation') throw new Error('no mutation among the first 100 scenes');
    expect(same(await render(sceneAt(3, origin.of), 5), await render(sceneAt(3, i), 5))).toBe(false);
  });
});

/**
 * Renders each distinct scene (repeats are left out) and expects every pair to differ in a
 * visible number of pixels, not just in a stray one.
 */
async function expectAllDistinct(variants: readonly Scene[]): Promise<void> {
  const scenes = [...new Map(variants.map((s) => [JSON.stringify(s), s])).values()];
  const images = await Promise.all(scenes.map((s) => render(s, 7)));
  for (let i = 0; i < images.length; i++) {
    for (let j = 0; j < i; j++) {
      const changed = changedPixels(images[i] as RawImage, images[j] as RawImage);
      expect(changed, `${JSON.stringify(scenes[i])} looks like ${JSON.stringify(scenes[j])}`).toBeGreaterThanOrEqual(MIN_VISIBLE_CHANGE);
    }
  }
}

/** Changed pixels (of SIZE x SIZE) that make a difference visible; a balloon's string is about this. */
const MIN_VISIBLE_CHANGE = 15;

function changedPixels(a: RawImage, b: RawImage): number {
  let changed = 0;
  for (let p = 0; p < a.data.length; p += 3) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs((a.data[p + c] as number) - (b.data[p + c] as number)) > 40) {
        changed++;
        break;
      }
    }
  }
  return changed;
}

function meanAbsoluteDifference(a: RawImage, b: RawImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return sum / a.data.length;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
