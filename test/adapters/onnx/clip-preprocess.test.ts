import { describe, expect, it } from 'vitest';
import { CLIP_IMAGE_PROCESSING, clipPixelValues, parseImageProcessing, processedSize } from '../../../core/adapters/onnx/clip-preprocess.js';
import type { RawImage } from '../../../core/images/raw-image.js';
import { Prng } from '../../../core/random/prng.js';

type Rgb = readonly [number, number, number];

/** Vertical stripes: each band is [width, colour]. */
function stripes(height: number, bands: readonly (readonly [number, Rgb])[]): RawImage {
  const width = bands.reduce((w, [bw]) => w + bw, 0);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    let x = 0;
    for (const [bw, colour] of bands) {
      for (let i = 0; i < bw; i++, x++) data.set(colour, (y * width + x) * 3);
    }
  }
  return { data, width, height };
}

/**
 * Pillow's Image.resize on an 8-bit RGB image, written from its formulas (libImaging/Resample.c),
 * in plain floating point: output pixel i of n covers input coordinate c = (i + 0.5)·in/n; the
 * filter is stretched by s = max(in/n, 1) when shrinking; taps j from round(c − support·s) to
 * round(c + support·s) − 1, clipped to the image, weigh filter((j − c + 0.5)/s), normalised to
 * sum 1. Horizontal pass first, rounded to 8 bits, then the vertical pass, rounded again.
 */
const FILTERS = {
  bilinear: { support: 1, weight: (x: number) => Math.max(0, 1 - Math.abs(x)) },
  bicubic: {
    support: 2,
    weight: (x: number) => {
      const t = Math.abs(x);
      const a = -0.5;
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
};

function pilResize(image: RawImage, width: number, height: number, filter: keyof typeof FILTERS): RawImage {
  const pass = (src: RawImage, outSize: number, horizontal: boolean): RawImage => {
    const inSize = horizontal ? src.width : src.height;
    if (outSize === inSize) return src;
    const w = horizontal ? outSize : src.width;
    const h = horizontal ? src.height : outSize;
    const data = new Uint8Array(w * h * 3);
    const scale = inSize / outSize;
    const stretch = Math.max(scale, 1);
    const support = FILTERS[filter].support * stretch;
    for (let i = 0; i < outSize; i++) {
      const centre = (i + 0.5) * scale;
      const lo = Math.max(0, Math.floor(centre - support + 0.5));
      const hi = Math.min(inSize, Math.floor(centre + support + 0.5));
      const taps = Array.from({ length: hi - lo }, (_, j) => FILTERS[filter].weight((lo + j - centre + 0.5) / stretch));
      const total = taps.reduce((a, b) => a + b, 0);
      for (let other = 0; other < (horizontal ? h : w); other++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          taps.forEach((tap, j) => {
            const [x, y] = horizontal ? [lo + j, other] : [other, lo + j];
            sum += (tap / total) * (src.data[(y * src.width + x) * 3 + c] as number);
          });
          const [x, y] = horizontal ? [i, other] : [other, i];
          data[(y * w + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(sum)));
        }
      }
    }
    return { data, width: w, height: h };
  };
  return pass(pass(image, width, true), height, false);
}

function crop(image: RawImage, left: number, top: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) out.set(image.data.subarray(((top + y) * image.width + left) * 3, ((top + y) * image.width + left + width) * 3), y * width * 3);
  return out;
}

/** Pixel levels back from channel-major pixel values of a processing without rescale or normalisation. */
function levels(values: Float32Array, width: number, height: number): Uint8Array {
  const plane = width * height;
  return Uint8Array.from({ length: 3 * plane }, (_, i) => values[(i % 3) * plane + Math.floor(i / 3)] as number);
}

/** Smooth gradients with a few hard edges and some noise, like a photo. */
function photo(seed: number, width: number, height: number): RawImage {
  const prng = new Prng(seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = (x > width * 0.4 && y < height * 0.6) || Math.hypot(x - width * 0.7, y - height * 0.7) < height * 0.15;
      for (let c = 0; c < 3; c++) {
        const smooth = 128 + 100 * Math.sin((x * (c + 1)) / 17 + y / 23);
        data[(y * width + x) * 3 + c] = Math.min(255, Math.max(0, Math.round((edge ? 255 - smooth : smooth) + prng.int(-12, 12))));
      }
    }
  }
  return { data, width, height };
}

const PLANE = 224 * 224;
const at = (values: Float32Array, channel: number, x: number, y: number) => values[channel * PLANE + y * 224 + x] as number;

describe('CLIP image preprocessing', () => {
  it('normalises each channel with CLIP mean and std, channel-major', async () => {
    const values = await clipPixelValues(stripes(200, [[300, [255, 0, 128]]]), CLIP_IMAGE_PROCESSING);
    expect(values).toHaveLength(3 * PLANE);
    // (255/255 − 0.48145466)/0.26862954 = 1.930336
    // (0 − 0.4578275)/0.26130258 = −1.752099
    // (128/255 − 0.40821073)/0.27577711 = 0.09375005/0.27577711 = 0.339948
    for (const [x, y] of [[0, 0], [223, 223], [112, 50]] as const) {
      expect(at(values, 0, x, y)).toBeCloseTo(1.930336, 4);
      expect(at(values, 1, x, y)).toBeCloseTo(-1.752099, 4);
      expect(at(values, 2, x, y)).toBeCloseTo(0.339948, 4);
    }
  });

  it('resizes the shorter side to 224 and keeps the centre of a wide image', async () => {
    // 400x200 -> 448x224; the centre 224 columns are original columns 100..299: the green band.
    const wide = stripes(200, [[100, [255, 0, 0]], [200, [0, 255, 0]], [100, [0, 0, 255]]]);
    const values = await clipPixelValues(wide, CLIP_IMAGE_PROCESSING);
    const green = (1 - 0.4578275) / 0.26130258;
    // The bicubic kernel blurs a few pixels at the band edges; the rest is pure green.
    for (let x = 6; x < 218; x += 7) {
      expect(at(values, 1, x, 100)).toBeCloseTo(green, 3);
      expect(at(values, 0, x, 100)).toBeCloseTo(-0.48145466 / 0.26862954, 3);
    }
  });

  it('keeps the middle of a tall image', async () => {
    // 100x300: width -> 224, height -> 672; the crop is rows 224..447, the middle third.
    const tall = stripes(300, [[100, [0, 0, 0]]]);
    for (let y = 100; y < 200; y++) tall.data.fill(255, y * 300, (y + 1) * 300);
    const values = await clipPixelValues(tall, CLIP_IMAGE_PROCESSING);
    const white = (1 - 0.48145466) / 0.26862954;
    for (let y = 6; y < 218; y += 7) expect(at(values, 0, 112, y)).toBeCloseTo(white, 3);
  });

  it('resamples as Pillow does: a step edge upsampled 2.56x lands at 128.0, not half a pixel off', async () => {
    // 100x100, black left of column 50 and white from it: the edge sits at x = 50 in input
    // coordinates, 50 · 2.56 = 128.0 in the output, so output columns 127 − k and 128 + k mirror
    // each other around it (their levels add up to 255).
    const step = stripes(100, [[50, [0, 0, 0]], [50, [255, 255, 255]]]);
    const processing = parseImageProcessing({ size: { shortest_edge: 256 }, resample: 3, do_center_crop: false, do_rescale: false, do_normalize: false }, 'p.json');
    const row = levels(await clipPixelValues(step, processing), 256, 256).subarray(0, 256 * 3);
    const level = (x: number) => row[x * 3] as number;
    for (let k = 0; k < 4; k++) expect(Math.abs(level(127 - k) + level(128 + k) - 255), `columns ${127 - k} and ${128 + k}`).toBeLessThanOrEqual(1);
    expect(Array.from(row)).toEqual(Array.from(pilResize(step, 256, 256, 'bicubic').data.subarray(0, 256 * 3)));
  });

  it('matches Pillow to within one level: CLIP bicubic upsampling, MobileCLIP bilinear downsampling, and crops', async () => {
    const cases = [
      // 200x150 -> shortest side 224: 298x224 (int(224 · 200/150)), centre crop 224 from column 37.
      { image: photo(1, 200, 150), config: { size: { shortest_edge: 224 }, resample: 3, crop_size: 224 }, resized: [298, 224], filter: 'bicubic' },
      // 150x200, tall: 224x298, crop from row 37.
      { image: photo(2, 150, 200), config: { size: { shortest_edge: 224 }, resample: 3, crop_size: 224 }, resized: [224, 298], filter: 'bicubic' },
      // 640x360 -> shortest side 256: 455x256, bilinear (MobileCLIP), crop 256 from column 99.
      { image: photo(3, 640, 360), config: { size: { shortest_edge: 256 }, resample: 2, crop_size: 256 }, resized: [455, 256], filter: 'bilinear' },
      // SigLIP: squeezed to exactly 224x224, no crop.
      { image: photo(4, 300, 170), config: { size: { height: 224, width: 224 }, resample: 2, do_center_crop: false }, resized: [224, 224], filter: 'bilinear' },
    ] as const;
    for (const { image, config, resized, filter } of cases) {
      const processing = parseImageProcessing({ ...config, do_rescale: false, do_normalize: false }, 'p.json');
      const out = processedSize(processing);
      const mine = levels(await clipPixelValues(image, processing), out.width, out.height);
      const [width, height] = resized;
      const reference = crop(pilResize(image, width, height, filter), Math.floor((width - out.width) / 2), Math.floor((height - out.height) / 2), out.width, out.height);
      const differences = Array.from(mine, (v, i) => Math.abs(v - (reference[i] as number)));
      // Pillow computes in 22-bit fixed point, the reference above in floating point: a value
      // within a hair of .5 may round either way.
      expect(differences.reduce((a, b) => Math.max(a, b), 0), `${image.width}x${image.height} ${filter}`).toBeLessThanOrEqual(1);
      expect(differences.reduce((a, b) => a + b, 0) / differences.length).toBeLessThan(0.01);
    }
  });

  it('reads SigLIP-style configs: fixed size, no crop, bilinear, 0.5 mean and std', () => {
    const processing = parseImageProcessing(
      { do_resize: true, size: { height: 256, width: 256 }, resample: 2, do_center_crop: false, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] },
      'preprocessor_config.json',
    );
    expect(processedSize(processing)).toEqual({ height: 256, width: 256 });
    expect(processing.resample).toBe('bilinear');
    expect(processing.mean).toEqual([0.5, 0.5, 0.5]);
  });

  it('rejects a config whose crop is larger than its resize, naming the file', () => {
    expect(() => parseImageProcessing({ size: { shortest_edge: 224 }, crop_size: 256 }, '/m/preprocessor_config.json')).toThrow(
      expect.objectContaining({ code: 'MODEL_ERROR', message: expect.stringContaining('/m/preprocessor_config.json') }),
    );
    expect(() => parseImageProcessing({ image_std: [0, 1, 1] }, 'p.json')).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
  });
});
