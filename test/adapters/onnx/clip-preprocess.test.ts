import { describe, expect, it } from 'vitest';
import { CLIP_IMAGE_PROCESSING, clipPixelValues, parseImageProcessing, processedSize } from '../../../core/adapters/onnx/clip-preprocess.js';
import type { RawImage } from '../../../core/images/raw-image.js';

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

  it('reads SigLIP-style configs: fixed size, no crop, bilinear, 0.5 mean and std', () => {
    const processing = parseImageProcessing(
      { do_resize: true, size: { height: 256, width: 256 }, resample: 2, do_center_crop: false, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] },
      'preprocessor_config.json',
    );
    expect(processedSize(processing)).toEqual({ height: 256, width: 256 });
    expect(processing.kernel).toBe('linear');
    expect(processing.mean).toEqual([0.5, 0.5, 0.5]);
  });

  it('rejects a config whose crop is larger than its resize, naming the file', () => {
    expect(() => parseImageProcessing({ size: { shortest_edge: 224 }, crop_size: 256 }, '/m/preprocessor_config.json')).toThrow(
      expect.objectContaining({ code: 'MODEL_ERROR', message: expect.stringContaining('/m/preprocessor_config.json') }),
    );
    expect(() => parseImageProcessing({ image_std: [0, 1, 1] }, 'p.json')).toThrow(expect.objectContaining({ code: 'MODEL_ERROR' }));
  });
});
