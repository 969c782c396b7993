import { describe, expect, it } from 'vitest';
import { parseDescription } from '../../core/scenes/parser.js';
import { ScenesGenerator } from '../../core/scenes/scene-generator.js';
import { sceneSchema, type PartialScene, type Scene } from '../../core/scenes/scene.js';
import type { GeneratedImage } from '../../core/ports/generator.js';
import { deriveSeed } from '../../core/random/seed.js';

const generator = new ScenesGenerator({ size: 64 });

const TEXTS = [
  'a red car on the left at night, no clouds',
  'two small white dogs on the beach with a pointed-roof house',
  'a sailing boat under a cloudy sky',
  'a large pine tree and a cat with stripes in the snow',
  'something I cannot quite remember',
];

function sceneOf(generated: GeneratedImage): Scene {
  const parsed = sceneSchema.safeParse(generated.interpretation);
  if (!parsed.success) throw new Error(`interpretation is not a scene: ${JSON.stringify(generated.interpretation)}`);
  return parsed.data;
}

/** Every fact the parsed description states holds in the scene; absent kinds are absent. */
function expectHonours(scene: Scene, partial: PartialScene): void {
  for (const field of ['time', 'ground', 'weather'] as const) {
    if (partial[field] !== undefined) expect(scene[field]).toBe(partial[field]);
  }
  for (const stated of partial.objects) {
    const object = scene.objects.find((o) => o.kind === stated.kind);
    expect(object, `${stated.kind} missing`).toBeDefined();
    for (const field of ['colour', 'size', 'position', 'count'] as const) {
      if (stated[field] !== undefined) expect(object?.[field]).toBe(stated[field]);
    }
    for (const [name, value] of Object.entries(stated.attributes)) expect(object?.attributes[name]).toBe(value);
  }
  for (const kind of partial.absent) expect(scene.objects.map((o) => o.kind)).not.toContain(kind);
}

describe('ScenesGenerator', () => {
  it('is the "scenes" generator', () => {
    expect(generator.id).toBe('scenes');
  });

  it('returns n distinct images, each with its derived seed and a scene that honours the description', async () => {
    for (const text of TEXTS) {
      const images = await generator.generate({ text, seed: 77, n: 4 });
      expect(images).toHaveLength(4);
      expect(images.map((g) => g.seed)).toEqual([0, 1, 2, 3].map((i) => deriveSeed(77, i)));
      expect(new Set(images.map((g) => Buffer.from(g.image.data).toString('base64'))).size).toBe(4);
      for (const g of images) {
        expect([g.image.width, g.image.height, g.image.data.length]).toEqual([64, 64, 64 * 64 * 3]);
        expectHonours(sceneOf(g), parseDescription(text));
      }
    }
  });

  it('fills what the description leaves open differently across samples', async () => {
    const images = await generator.generate({ text: 'a car', seed: 5, n: 8 });
    const colours = new Set(images.map((g) => sceneOf(g).objects.find((o) => o.kind === 'car')?.colour));
    expect(colours.size).toBeGreaterThan(1);
  });

  it('gives the same images and interpretations for the same request', async () => {
    const request = { text: TEXTS[1] as string, seed: 3, n: 2 };
    const [a, b] = [await generator.generate(request), await generator.generate(request)];
    expect(b.map((g) => g.interpretation)).toEqual(a.map((g) => g.interpretation));
    b.forEach((g, i) => expect(Buffer.from(g.image.data).equals(Buffer.from(a[i]!.image.data))).toBe(true));
  });

  it('renders 256-pixel images by default and reports a step per sample', async () => {
    const steps: [number, number][] = [];
    const images = await new ScenesGenerator().generate({ text: 'a kite', seed: 1, n: 2, onStep: (s, t) => steps.push([s, t]) });
    expect([images[0]!.image.width, images[0]!.image.height]).toEqual([256, 256]);
    expect(steps).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('stops between samples when aborted', async () => {
    const controller = new AbortController();
    let steps = 0;
    const run = generator.generate({
      text: 'a dog',
      seed: 1,
      n: 5,
      signal: controller.signal,
      onStep: () => {
        steps++;
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps).toBe(1);
    const aborted = AbortSignal.abort();
    await expect(generator.generate({ text: 'a dog', seed: 1, n: 1, signal: aborted })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a bad number of samples or seed', async () => {
    for (const n of [0, -1, 1.5, 65]) {
      await expect(generator.generate({ text: 'a dog', seed: 1, n })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(generator.generate({ text: 'a dog', seed: Number.NaN, n: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
