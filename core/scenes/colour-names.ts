import { srgbToLab } from './colour-space.js';

/**
 * Prototype colours for the eleven basic colour terms (Berlin & Kay), which are also the
 * Scenes vocabulary's colour words, so "a red kite" lands on the same histogram bin whether it
 * was drawn or described. Values are typical sRGB renderings of each term.
 */
const PROTOTYPES_SRGB: readonly (readonly [number, number, number])[] = [
  [205, 35, 35], // red
  [240, 140, 30], // orange
  [240, 215, 45], // yellow
  [50, 155, 60], // green
  [45, 95, 210], // blue
  [130, 55, 165], // purple
  [240, 145, 190], // pink
  [125, 80, 45], // brown
  [20, 20, 25], // black
  [245, 245, 245], // white
  [128, 128, 128], // grey
];

export const COLOUR_NAME_COUNT = PROTOTYPES_SRGB.length;

const PROTOTYPES_LAB = Float32Array.from(PROTOTYPES_SRGB.flatMap(([r, g, b]) => srgbToLab(r, g, b)));

/**
 * Softness of the assignment: a name gets weight (1 - e)^2 where e is how much farther (in
 * squared CIELAB distance, over SOFT_RANGE_SQ) its prototype is than the nearest one, and 0
 * beyond. Soft membership keeps the histogram continuous when antialiasing or shading nudges a
 * colour across a name boundary; the compact polynomial kernel costs no exp() per pixel. With
 * prototypes about 40 units apart, colours in the middle half between two of them are shared.
 */
const SOFT_RANGE_SQ = 800;

/**
 * Per pixel, the soft membership of its colour in each colour name times the pixel's weight,
 * interleaved: pixel i's memberships are out[i*K .. i*K+K) and sum to weight[i]. Pixels of
 * weight 0 (background) are skipped, which is most of them.
 */
export function weightedColourNames(lab: Float32Array, weight: Float32Array): Float32Array {
  const pixels = lab.length / 3;
  const k = COLOUR_NAME_COUNT;
  const out = new Float32Array(pixels * k);
  const d2 = new Float64Array(k);
  const prototypes = PROTOTYPES_LAB;
  for (let i = 0; i < pixels; i++) {
    const w = weight[i]!;
    if (w === 0) continue;
    const l = lab[i * 3]!;
    const a = lab[i * 3 + 1]!;
    const b = lab[i * 3 + 2]!;
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      const dl = l - prototypes[j * 3]!;
      const da = a - prototypes[j * 3 + 1]!;
      const db = b - prototypes[j * 3 + 2]!;
      const d = dl * dl + da * da + db * db;
      d2[j] = d;
      if (d < best) best = d;
    }
    let total = 0;
    const o = i * k;
    for (let j = 0; j < k; j++) {
      const excess = (d2[j]! - best) / SOFT_RANGE_SQ;
      if (excess >= 1) continue;
      const m = (1 - excess) * (1 - excess);
      out[o + j] = m;
      total += m;
    }
    for (let j = 0; j < k; j++) out[o + j]! *= w / total;
  }
  return out;
}
