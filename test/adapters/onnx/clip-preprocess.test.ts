import { describe, expect, it } from 'vitest';
import { CLIP_IMAGE_PROCESSING, clipDecodeSize, clipPixelValues, parseImageProcessing, processedSize } from '../../../core/adapters/onnx/clip-preprocess.js';
import type { RawImage } from '../../../core/images/raw-image.js';
import { crop, levels, photo, pilResizeReference } from './pil-reference.js';

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

const PLANE = 224 * 224;
const at = (values: Float32Array, channel: number, x: number, y: number) => values[channel * PLANE + y * 224 + x] as number;

describe('CLIP image preprocessing', () => {
  it('normalises each channel with CLIP mean and std, channel-major', () => {
    const values = clipPixelValues(stripes(200, [[300, [255, 0, 128]]]), CLIP_IMAGE_PROCESSING);
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

  it('resizes the shorter side to 224 and keeps the centre of a wide image', () => {
    // 400x200 -> 448x224; the centre 224 columns are original columns 100..299: the green band.
    const wide = stripes(200, [[100, [255, 0, 0]], [200, [0, 255, 0]], [100, [0, 0, 255]]]);
    const values = clipPixelValues(wide, CLIP_IMAGE_PROCESSING);
    const green = (1 - 0.4578275) / 0.26130258;
    // The bicubic kernel blurs a few pixels at the band edges; the rest is pure green.
    for (let x = 6; x < 218; x += 7) {
      expect(at(values, 1, x, 100)).toBeCloseTo(green, 3);
      expect(at(values, 0, x, 100)).toBeCloseTo(-0.48145466 / 0.26862954, 3);
    }
  });

  it('keeps the middle of a tall image', () => {
    // 100x300: width -> 224, height -> 672; the crop is rows 224..447, the middle third.
    const tall = stripes(300, [[100, [0, 0, 0]]]);
    for (let y = 100; y < 200; y++) tall.data.fill(255, y * 300, (y + 1) * 300);
    const values = clipPixelValues(tall, CLIP_IMAGE_PROCESSING);
    const white = (1 - 0.48145466) / 0.26862954;
    for (let y = 6; y < 218; y += 7) expect(at(values, 0, 112, y)).toBeCloseTo(white, 3);
  });

  it('resamples as Pillow does: a step edge upsampled 2.56x lands at 128.0, not half a pixel off', () => {
    // 100x100, black left of column 50 and white from it: the edge sits at x = 50 in input
    // coordinates, 50 · 2.56 = 128.0 in the output, so output columns 127 − k and 128 + k mirror
    // each other around it (their levels add up to 255).
    const step = stripes(100, [[50, [0, 0, 0]], [50, [255, 255, 255]]]);
    const processing = parseImageProcessing({ size: { shortest_edge: 256 }, resample: 3, do_center_crop: false, do_rescale: false, do_normalize: false }, 'p.json');
    const row = levels(clipPixelValues(step, processing), 256, 256).subarray(0, 256 * 3);
    const level = (x: number) => row[x * 3] as number;
    for (let k = 0; k < 4; k++) expect(Math.abs(level(127 - k) + level(128 + k) - 255), `columns ${127 - k} and ${128 + k}`).toBeLessThanOrEqual(1);
    expect(Array.from(row)).toEqual(Array.from(pilResizeReference(step, 256, 256, 'bicubic').data.subarray(0, 256 * 3)));
  });

  it('matches Pillow to within one level: CLIP bicubic upsampling, MobileCLIP bilinear downsampling, and crops', () => {
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
      const mine = levels(clipPixelValues(image, processing), out.width, out.height);
      const [width, height] = resized;
      const reference = crop(pilResizeReference(image, width, height, filter), Math.floor((width - out.width) / 2), Math.floor((height - out.height) / 2), out.width, out.height);
      const differences = Array.from(mine, (v, i) => Math.abs(v - (reference[i] as number)));
      // Pillow computes in 22-bit fixed point, the reference above in floating point: a value
      // within a hair of .5 may round either way.
      expect(differences.reduce((a, b) => Math.max(a, b), 0), `${image.width}x${image.height} ${filter}`).toBeLessThanOrEqual(1);
      expect(differences.reduce((a, b) => a + b, 0) / differences.length).toBeLessThan(0.01);
    }
  });

  it('asks decoders for a size from which its resize only shrinks, to the size it reaches from the original', () => {
    // transformers: shorter side -> edge, longer side -> int(edge · long / short).
    const resized = (edge: number, w: number, h: number) => (w <= h ? [edge, Math.floor((edge * h) / w)] : [Math.floor((edge * w) / h), edge]);
    for (const edge of [224, 256]) {
      const processing = parseImageProcessing({ size: { shortest_edge: edge }, crop_size: edge }, 'p.json');
      for (let long = 1000; long <= 4000; long += 37) {
        for (const [w, h] of [[long, 900], [900, long]] as const) {
          const size = clipDecodeSize(processing, w, h);
          expect(Math.min(size.width, size.height)).toBe(2 * edge);
          expect(resized(edge, size.width, size.height), `${w}x${h}`).toEqual(resized(edge, w, h));
          expect(Math.abs(size.width / size.height - w / h)).toBeLessThan(2 / (2 * edge));
        }
      }
      // No larger than the original: a small image is decoded as it is.
      expect(clipDecodeSize(processing, 640, 2 * edge - 1)).toEqual({ width: 640, height: 2 * edge - 1 });
    }
    // A fixed-size resize (SigLIP) squeezes: the shorter side stays at twice the larger target side.
    const siglip = parseImageProcessing({ size: { height: 224, width: 224 }, do_center_crop: false }, 'p.json');
    expect(clipDecodeSize(siglip, 1600, 900)).toEqual({ width: 796, height: 448 });
    expect(clipDecodeSize(siglip, 400, 300)).toEqual({ width: 400, height: 300 });
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
