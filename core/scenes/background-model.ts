/**
 * A layered background model: the per-row median colour. Outdoor pictures are mostly horizontal
 * bands (sky gradient, horizon, ground), so a row's median is its background and whatever
 * differs from it is an object. Subtracting it lets small objects, which carry the details that
 * tell near-duplicate scenes apart, dominate their features instead of drowning in the sky's
 * slight shade and horizon shifts that vary from one photo (or render) of a scene to the next.
 */

/** Per row, the median CIELAB of that row, channel by channel (size rows x 3). */
export function rowMedians(lab: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size * 3);
  const scratch = new Float32Array(size);
  for (let y = 0; y < size; y++) {
    for (let c = 0; c < 3; c++) {
      const first = lab[y * size * 3 + c]!;
      let flat = true;
      for (let x = 0; x < size; x++) {
        const v = lab[(y * size + x) * 3 + c]!;
        scratch[x] = v;
        flat &&= v === first;
      }
      // A row of one colour (most sky and ground rows) is its own median.
      out[y * 3 + c] = flat ? first : median(scratch);
    }
  }
  return out;
}

/** ΔE (CIELAB distance) below which a pixel is background and above which it is fully object. */
const FOREGROUND_FROM = 5;
const FOREGROUND_TO = 40;

export interface Foreground {
  /** Per pixel, CIELAB minus its row's background (interleaved, 3 per pixel). */
  readonly residual: Float32Array;
  /** Per pixel, how much it is object rather than background, 0..1. */
  readonly weight: Float32Array;
}

/**
 * Residual and soft object mask. The mask is linear in ΔE between FOREGROUND_FROM and
 * FOREGROUND_TO: a thin line that lands half on one pixel row and half on the next then weighs
 * about as much as when it falls on one row, which keeps re-renders with sub-pixel shifts
 * alike. Faint texture (grass tufts, waves) stays near zero.
 */
export function foreground(lab: Float32Array, background: Float32Array, size: number): Foreground {
  const pixels = size * size;
  const residual = new Float32Array(pixels * 3);
  const weight = new Float32Array(pixels);
  const span = FOREGROUND_TO - FOREGROUND_FROM;
  for (let y = 0; y < size; y++) {
    const bl = background[y * 3]!;
    const ba = background[y * 3 + 1]!;
    const bb = background[y * 3 + 2]!;
    for (let x = 0; x < size; x++) {
      const p = (y * size + x) * 3;
      const dl = lab[p]! - bl;
      const da = lab[p + 1]! - ba;
      const db = lab[p + 2]! - bb;
      residual[p] = dl;
      residual[p + 1] = da;
      residual[p + 2] = db;
      const t = (Math.sqrt(dl * dl + da * da + db * db) - FOREGROUND_FROM) / span;
      weight[y * size + x] = t <= 0 ? 0 : t >= 1 ? 1 : t;
    }
  }
  return { residual, weight };
}

/** Median by quickselect; reorders `values`. */
function median(values: Float32Array): number {
  const n = values.length;
  const k = n >> 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}
