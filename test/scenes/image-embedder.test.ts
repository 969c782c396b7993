import { describe, expect, it } from 'vitest';
import { MirageError } from '../../core/errors.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { resampleToLinearRgb } from '../../core/scenes/area-resample.js';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';
import { DEFAULT_FEATURE_CONFIG, featureDimension } from '../../core/scenes/image-features.js';
import { Prng } from '../../core/random/prng.js';

type Rgb = readonly [number, number, number];

function uniform(width: number, height: number, [r, g, b]: Rgb): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
  }
  return { data, width, height };
}

/** A sky-over-grass picture with a filled disc: enough structure for layout and edges. */
function discScene(size: number, cx: number, cy: number, radius: number, colour: Rgb): RawImage {
  const image = uniform(size, size, [90, 170, 235]);
  const { data } = image;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = (y * size + x) * 3;
      const inDisc = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius * radius;
      const rgb: Rgb = inDisc ? colour : y >= size * 0.6 ? [60, 150, 60] : [90, 170, 235];
      data[p] = rgb[0];
      data[p + 1] = rgb[1];
      data[p + 2] = rgb[2];
    }
  }
  return image;
}

function noise(width: number, height: number, seed: number): RawImage {
  const rng = new Prng(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(0, 255);
  return { data, width, height };
}

/** Each pixel repeated factor x factor times: the same picture at a larger size. */
function upscale(image: RawImage, factor: number): RawImage {
  const width = image.width * factor;
  const height = image.height * factor;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 3;
      data.set(image.data.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { data, width, height };
}

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

const embedder = new ScenesImageEmbedder();
const RED: Rgb = [214, 40, 40];
const ORANGE: Rgb = [247, 127, 0];

describe('ScenesImageEmbedder', () => {
  it('has id "scenes" and a fixed dimension that every vector has', async () => {
    expect(embedder.id).toBe('scenes');
    expect(embedder.dim).toBe(featureDimension(DEFAULT_FEATURE_CONFIG));
    const vectors = await embedder.embedImages([noise(256, 256, 1), noise(31, 97, 2), discScene(128, 30, 30, 10, RED)]);
    for (const v of vectors) expect(v.length).toBe(embedder.dim);
  });

  it('returns unit vectors without NaN, also for flat black, white and grey images', async () => {
    const images = [
      uniform(64, 64, [0, 0, 0]),
      uniform(64, 64, [255, 255, 255]),
      uniform(50, 50, [119, 119, 119]),
      uniform(1, 1, [200, 10, 10]),
      noise(256, 256, 3),
    ];
    for (const v of await embedder.embedImages(images)) {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic, and a batch gives the same vectors as one image at a time', async () => {
    const images = [noise(256, 256, 4), discScene(256, 60, 60, 20, RED)];
    const batch = await embedder.embedImages(images);
    const again = await new ScenesImageEmbedder().embedImages(images);
    images.forEach((image, i) => {
      expect(Array.from(embedder.embedImage(image))).toEqual(Array.from(batch[i] ?? []));
      expect(Array.from(again[i] ?? [])).toEqual(Array.from(batch[i] ?? []));
    });
  });

  it('embeds the same picture at different sizes alike', () => {
    const small = discScene(64, 20, 18, 8, RED);
    const [a, b, c] = [small, upscale(small, 4), upscale(small, 3)].map((image) => embedder.embedImage(image));
    expect(cosine(a!, b!)).toBeGreaterThan(0.999);
    expect(cosine(a!, c!)).toBeGreaterThan(0.999);
  });

  it('sees a small object: its colour and its place change the vector more than a 2-pixel shift', () => {
    const base = embedder.embedImage(discScene(256, 60, 60, 18, RED));
    const shifted = embedder.embedImage(discScene(256, 62, 61, 18, RED));
    const recoloured = embedder.embedImage(discScene(256, 60, 60, 18, ORANGE));
    const moved = embedder.embedImage(discScene(256, 196, 60, 18, RED));
    const gone = embedder.embedImage(discScene(256, 60, 60, 0, RED));
    const shiftSimilarity = cosine(base, shifted);
    expect(shiftSimilarity).toBeGreaterThan(cosine(base, recoloured));
    expect(shiftSimilarity).toBeGreaterThan(cosine(base, moved));
    expect(shiftSimilarity).toBeGreaterThan(cosine(base, gone));
  });

  it('rejects pixel buffers that do not match their dimensions with INVALID_INPUT', async () => {
    const bad: RawImage[] = [
      { data: new Uint8Array(10), width: 4, height: 4 },
      { data: new Uint8Array(0), width: 0, height: 0 },
      { data: new Uint8Array(12), width: 2.5, height: 2 },
    ];
    for (const image of bad) {
      await expect(embedder.embedImages([image])).rejects.toSatisfy(
        (e: unknown) => e instanceof MirageError && e.code === 'INVALID_INPUT',
      );
    }
  });
});

describe('resampleToLinearRgb', () => {
  it('area-averages in linear light: a 1-pixel black/white checkerboard becomes uniform mid-intensity', () => {
    const size = 8;
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill((x + y) % 2 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const out = resampleToLinearRgb({ data, width: size, height: size }, 4);
    expect(out.length).toBe(4 * 4 * 3);
    for (const v of out) expect(v).toBeCloseTo(0.5, 5);
  });

  it('upsamples a 1x1 image to a uniform grid and splits non-integer ratios by covered area', () => {
    const one = resampleToLinearRgb(uniform(1, 1, [255, 255, 255]), 3);
    for (const v of one) expect(v).toBeCloseTo(1, 5);
    // 3 columns onto 2: the middle column is shared half-and-half.
    const data = new Uint8Array([255, 255, 255, 0, 0, 0, 0, 0, 0]);
    const out = resampleToLinearRgb({ data, width: 3, height: 1 }, 2);
    expect(out[0]).toBeCloseTo(2 / 3, 5);
    expect(out[3]).toBeCloseTo(0, 5);
  });
});
