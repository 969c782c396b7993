import type { RawImage } from '../../../core/images/raw-image.js';
import { Prng } from '../../../core/random/prng.js';

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

export function pilResizeReference(image: RawImage, width: number, height: number, filter: keyof typeof FILTERS): RawImage {
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

export function crop(image: RawImage, left: number, top: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) out.set(image.data.subarray(((top + y) * image.width + left) * 3, ((top + y) * image.width + left + width) * 3), y * width * 3);
  return out;
}

/** Pixel levels back from channel-major pixel values of a processing without rescale or normalisation. */
export function levels(values: Float32Array, width: number, height: number): Uint8Array {
  const plane = width * height;
  return Uint8Array.from({ length: 3 * plane }, (_, i) => values[(i % 3) * plane + Math.floor(i / 3)] as number);
}

/** Smooth gradients with a few hard edges and some noise, like a photo. */
export function photo(seed: number, width: number, height: number): RawImage {
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
