import type { RawImage } from '../../images/raw-image.js';

/**
 * Image resizing exactly as Pillow's Image.resize does it for 8-bit RGB images, which is what
 * the reference preprocessing of CLIP-family models runs (transformers' CLIPImageProcessor, and
 * torchvision's Resize on PIL images in open_clip and ml-mobileclip). libvips (sharp) places
 * upsampled pixels half a pixel off from Pillow and box-shrinks before its kernel when reducing,
 * so the model would see other pixels than it was trained and evaluated on.
 *
 * Pillow's method: a separable convolution, the horizontal pass first and rounded to 8 bits,
 * then the vertical pass. Output pixel i of n samples input coordinate c = (i + 0.5)·in/n; when
 * shrinking, the filter is stretched by in/n so that it also antialiases. The weights are
 * normalised to sum 1 and applied in 22-bit fixed point; both are reproduced here so that the
 * levels come out identical, not merely close.
 */
export type PilResample = 'nearest' | 'box' | 'bilinear' | 'hamming' | 'bicubic' | 'lanczos';

/** Pillow's resample codes, as preprocessor_config.json writes them. */
export const PIL_RESAMPLE_CODES: Readonly<Record<number, PilResample>> = { 0: 'nearest', 1: 'lanczos', 2: 'bilinear', 3: 'bicubic', 4: 'box', 5: 'hamming' };

/** Part of the resized image to produce, in its coordinates (a centre crop, say). */
export interface ResizeWindow {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

interface ConvolutionFilter {
  readonly support: number;
  weight(x: number): number;
}

const sinc = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
// Pillow's hamming window uses single-precision constants.
const HAMMING_A = Math.fround(0.54);
const HAMMING_B = Math.fround(0.46);

const FILTERS: Readonly<Record<Exclude<PilResample, 'nearest'>, ConvolutionFilter>> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  hamming: {
    support: 1,
    weight: (x) => {
      const t = Math.abs(x);
      if (t === 0) return 1;
      if (t >= 1) return 0;
      return sinc(t) * (HAMMING_A + HAMMING_B * Math.cos(Math.PI * t));
    },
  },
  // Keys' cubic convolution with a = -0.5.
  bicubic: {
    support: 2,
    weight: (x) => {
      const t = Math.abs(x);
      if (t < 1) return (1.5 * t - 2.5) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * -0.5;
      return 0;
    },
  },
  lanczos: { support: 3, weight: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

/** For each output pixel: the first input pixel, the tap count, and fixed-point weights. */
interface Taps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Int32Array;
  readonly size: number;
}

function taps(inSize: number, outSize: number, filter: ConvolutionFilter): Taps {
  const scale = inSize / outSize;
  const stretch = Math.max(scale, 1);
  const inverse = 1 / stretch;
  const support = filter.support * stretch;
  const size = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * size);
  const row = new Float64Array(size);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.trunc(centre - support + 0.5));
    const n = Math.min(inSize, Math.trunc(centre + support + 0.5)) - lo;
    let total = 0;
    for (let j = 0; j < n; j++) {
      row[j] = filter.weight((j + lo - centre + 0.5) * inverse);
      total += row[j] as number;
    }
    for (let j = 0; j < n; j++) {
      const w = total === 0 ? (row[j] as number) : (row[j] as number) / total;
      weights[i * size + j] = Math.trunc(w < 0 ? w * (1 << PRECISION_BITS) - 0.5 : w * (1 << PRECISION_BITS) + 0.5);
    }
    first[i] = lo;
    count[i] = n;
  }
  return { first, count, weights, size };
}

const clip8 = (sum: number): number => Math.min(255, Math.max(0, sum >> PRECISION_BITS));

/**
 * Resizes to width x height and returns the window of the result (all of it by default).
 * Each output pixel depends only on its own taps, so a window costs only its own pixels.
 */
export function pilResize(image: RawImage, width: number, height: number, resample: PilResample, window: ResizeWindow = { left: 0, top: 0, width, height }): RawImage {
  if (resample === 'nearest') return nearest(image, width, height, window);
  const filter = FILTERS[resample];
  const out = new Uint8Array(window.width * window.height * 3);
  const horizontal = width !== image.width ? taps(image.width, width, filter) : undefined;
  const vertical = height !== image.height ? taps(image.height, height, filter) : undefined;
  // Input rows the vertical pass reads for the window's rows; the horizontal pass runs on those only.
  const rowFirst = vertical ? (vertical.first[window.top] as number) : window.top;
  const rowEnd = vertical ? (vertical.first[window.top + window.height - 1] as number) + (vertical.count[window.top + window.height - 1] as number) : window.top + window.height;
  const rows = rowEnd - rowFirst;
  // Horizontal pass into 8-bit rows, as Pillow keeps its intermediate image.
  const middle = new Uint8Array(rows * window.width * 3);
  for (let r = 0; r < rows; r++) {
    const source = (rowFirst + r) * image.width * 3;
    for (let x = 0; x < window.width; x++) {
      const target = (r * window.width + x) * 3;
      if (!horizontal) {
        middle.set(image.data.subarray(source + (window.left + x) * 3, source + (window.left + x) * 3 + 3), target);
        continue;
      }
      const i = window.left + x;
      const lo = horizontal.first[i] as number;
      const n = horizontal.count[i] as number;
      const k = i * horizontal.size;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (let j = 0; j < n; j++) {
        const w = horizontal.weights[k + j] as number;
        const p = source + (lo + j) * 3;
        s0 += (image.data[p] as number) * w;
        s1 += (image.data[p + 1] as number) * w;
        s2 += (image.data[p + 2] as number) * w;
      }
      middle[target] = clip8(s0);
      middle[target + 1] = clip8(s1);
      middle[target + 2] = clip8(s2);
    }
  }
  if (!vertical) {
    out.set(middle);
    return { data: out, width: window.width, height: window.height };
  }
  const stride = window.width * 3;
  for (let y = 0; y < window.height; y++) {
    const i = window.top + y;
    const lo = (vertical.first[i] as number) - rowFirst;
    const n = vertical.count[i] as number;
    const k = i * vertical.size;
    for (let v = 0; v < stride; v++) {
      let sum = HALF;
      for (let j = 0; j < n; j++) sum += (middle[(lo + j) * stride + v] as number) * (vertical.weights[k + j] as number);
      out[y * stride + v] = clip8(sum);
    }
  }
  return { data: out, width: window.width, height: window.height };
}

/**
 * Pillow's nearest neighbour (an affine scale): output pixel i takes input pixel
 * floor(in/n · (i + 0.5)), the position accumulated step by step as Pillow does.
 */
function nearest(image: RawImage, width: number, height: number, window: ResizeWindow): RawImage {
  const positions = (inSize: number, outSize: number, from: number, length: number): Int32Array => {
    const scale = inSize / outSize;
    const table = new Int32Array(outSize);
    let position = scale * 0.5;
    for (let i = 0; i < outSize; i++, position += scale) table[i] = Math.min(inSize - 1, Math.floor(position));
    return table.subarray(from, from + length);
  };
  const xs = positions(image.width, width, window.left, window.width);
  const ys = positions(image.height, height, window.top, window.height);
  const out = new Uint8Array(window.width * window.height * 3);
  ys.forEach((sy, y) => {
    xs.forEach((sx, x) => out.set(image.data.subarray((sy * image.width + sx) * 3, (sy * image.width + sx) * 3 + 3), (y * window.width + x) * 3));
  });
  return { data: out, width: window.width, height: window.height };
}
