import { invalidInput } from '../errors.js';
import type { RawImage } from '../images/raw-image.js';
import { SRGB_TO_LINEAR } from './colour-space.js';

/** For each output index along one axis: the source indices it covers and their area weights. */
interface AxisWeights {
  readonly start: Int32Array;
  readonly count: Int32Array;
  /** Flattened weights, output o's weights begin at offset[o]. */
  readonly offset: Int32Array;
  readonly weight: Float32Array;
}

const axisCache = new Map<string, AxisWeights>();

/**
 * Box-filter weights mapping `source` samples onto `target` samples: output o averages the
 * source interval [o*s/t, (o+1)*s/t), partial pixels weighted by their covered fraction. This
 * works for up- and down-sampling and keeps every output an exact area average.
 */
function axisWeights(source: number, target: number): AxisWeights {
  const key = `${source}>${target}`;
  const cached = axisCache.get(key);
  if (cached) return cached;
  const scale = source / target;
  const start = new Int32Array(target);
  const count = new Int32Array(target);
  const offset = new Int32Array(target);
  const weights: number[] = [];
  for (let o = 0; o < target; o++) {
    const lo = o * scale;
    const hi = (o + 1) * scale;
    const first = Math.floor(lo);
    const last = Math.min(source - 1, Math.ceil(hi) - 1);
    start[o] = first;
    count[o] = last - first + 1;
    offset[o] = weights.length;
    for (let s = first; s <= last; s++) {
      weights.push((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
    }
  }
  const result = { start, count, offset, weight: Float32Array.from(weights) };
  if (axisCache.size > 64) axisCache.clear();
  axisCache.set(key, result);
  return result;
}

/** Rejects pixel buffers whose size does not match their declared dimensions. */
export function checkRawImage(image: RawImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw invalidInput(`Image dimensions must be positive integers, got ${width}x${height}.`);
  }
  if (data.length !== width * height * 3) {
    throw invalidInput(
      `Image data has ${data.length} bytes; ${width}x${height} RGB needs ${width * height * 3}.`,
    );
  }
}

/**
 * Area-averages an RGB image of any size onto a size x size grid, in linear light (so a thin
 * bright line keeps its true energy instead of being darkened by gamma). Non-square images are
 * stretched: Scenes renders are square, and a stretched photo still keeps its layout.
 * Returns interleaved linear RGB in [0, 1].
 */
export function resampleToLinearRgb(image: RawImage, size: number): Float32Array {
  checkRawImage(image);
  const { width, height, data } = image;
  const xs = axisWeights(width, size);
  const ys = axisWeights(height, size);
  // A local alias: module-level bindings can compile to property getters under test runners.
  const toLinear = SRGB_TO_LINEAR;
  // Horizontal pass: every source row -> `size` columns.
  const rows = new Float32Array(height * size * 3);
  const { start: xStart, count: xCount, offset: xOffset, weight: xWeight } = xs;
  for (let y = 0; y < height; y++) {
    const rowIn = y * width * 3;
    for (let o = 0; o < size; o++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const n = xCount[o]!;
      const w0 = xOffset[o]!;
      let p = rowIn + xStart[o]! * 3;
      for (let k = 0; k < n; k++) {
        const w = xWeight[w0 + k]!;
        r += w * toLinear[data[p]!]!;
        g += w * toLinear[data[p + 1]!]!;
        b += w * toLinear[data[p + 2]!]!;
        p += 3;
      }
      const q = (y * size + o) * 3;
      rows[q] = r;
      rows[q + 1] = g;
      rows[q + 2] = b;
    }
  }
  // Vertical pass.
  const out = new Float32Array(size * size * 3);
  for (let o = 0; o < size; o++) {
    const s0 = ys.start[o]!;
    const n = ys.count[o]!;
    const w0 = ys.offset[o]!;
    const rowOut = o * size * 3;
    for (let k = 0; k < n; k++) {
      const w = ys.weight[w0 + k]!;
      const rowIn = (s0 + k) * size * 3;
      for (let i = 0; i < size * 3; i++) out[rowOut + i]! += w * rows[rowIn + i]!;
    }
  }
  return out;
}
