/**
 * Sizes of objects, without knowing where exactly they are: every horizontal and vertical run
 * of object pixels records its length (as a share of the image, binned by octave) at the run's
 * middle. One large balloon and two smaller ones side by side cover about the same area and
 * the same cells, but their runs are 1.5 times shorter; a jittered re-render moves the runs
 * yet keeps their lengths.
 */
export const EXTENT_BINS = 6;
const DIRECTIONS = 2;
export const EXTENT_CHANNELS = EXTENT_BINS * DIRECTIONS;

/** A pixel is part of a run when it is at least this much object. */
const RUN_THRESHOLD = 0.5;

/**
 * Per pixel, EXTENT_CHANNELS values: for runs centred there, their length (share of the image)
 * split between the two nearest octave bins; bin b is centred on a run of 2^b / 64 of the image.
 */
export function extentMap(objectWeight: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size * size * EXTENT_CHANNELS);
  const record = (centre: number, length: number, direction: number) => {
    const share = length / size;
    const u = Math.min(EXTENT_BINS - 1, Math.max(0, Math.log2(share * 64)));
    const lo = Math.min(EXTENT_BINS - 2, Math.floor(u));
    const frac = u - lo;
    const o = centre * EXTENT_CHANNELS + direction * EXTENT_BINS + lo;
    out[o]! += share * (1 - frac);
    out[o + 1]! += share * frac;
  };
  for (let y = 0; y < size; y++) {
    let start = -1;
    for (let x = 0; x <= size; x++) {
      const inside = x < size && objectWeight[y * size + x]! >= RUN_THRESHOLD;
      if (inside && start < 0) start = x;
      if (!inside && start >= 0) {
        record(y * size + ((start + x - 1) >> 1), x - start, 0);
        start = -1;
      }
    }
  }
  for (let x = 0; x < size; x++) {
    let start = -1;
    for (let y = 0; y <= size; y++) {
      const inside = y < size && objectWeight[y * size + x]! >= RUN_THRESHOLD;
      if (inside && start < 0) start = y;
      if (!inside && start >= 0) {
        record(((start + y - 1) >> 1) * size + x, y - start, 1);
        start = -1;
      }
    }
  }
  return out;
}
