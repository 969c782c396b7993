/** Number of unsigned orientation bins over [0, pi). */
export const ORIENTATION_BINS = 8;

/**
 * Per pixel, gradient magnitude split between the two nearest of ORIENTATION_BINS unsigned
 * orientation bins (interleaved, ORIENTATION_BINS values per pixel). The gradient is taken on
 * whichever of the three colour channels (CIELAB or a CIELAB residual) changes most at that pixel, so a red car on green grass of the same
 * lightness still has an outline.
 */
export function orientationMap(colours: Float32Array, size: number): Float32Array {
  const bins = ORIENTATION_BINS;
  const out = new Float32Array(size * size * bins);
  const row = size * 3;
  for (let y = 0; y < size; y++) {
    const up = y > 0 ? -row : 0;
    const down = y < size - 1 ? row : 0;
    for (let x = 0; x < size; x++) {
      const p = (y * size + x) * 3;
      const left = x > 0 ? -3 : 0;
      const right = x < size - 1 ? 3 : 0;
      let gx = 0;
      let gy = 0;
      let best = -1;
      for (let c = 0; c < 3; c++) {
        const dx = colours[p + right + c]! - colours[p + left + c]!;
        const dy = colours[p + down + c]! - colours[p + up + c]!;
        const m = dx * dx + dy * dy;
        if (m > best) {
          best = m;
          gx = dx;
          gy = dy;
        }
      }
      if (best <= 0) continue;
      let theta = Math.atan2(gy, gx);
      if (theta < 0) theta += Math.PI;
      const u = (theta / Math.PI) * bins;
      const lo = Math.floor(u) % bins;
      const frac = u - Math.floor(u);
      const magnitude = Math.sqrt(best);
      const o = (y * size + x) * bins;
      out[o + lo] = magnitude * (1 - frac);
      out[o + ((lo + 1) % bins)] = magnitude * frac;
    }
  }
  return out;
}
