/**
 * Soft (bilinear) pooling of a per-pixel feature map into a coarse grid of cells, as in HOG and
 * SIFT: each pixel splits its value between the two nearest cell centres along each axis. A
 * shape that shifts by a pixel or two (the renderer's jitter) then moves its mass smoothly
 * between cells instead of jumping across a hard cell border.
 */
export interface CellPooling {
  readonly size: number;
  readonly cells: number;
  /** Per pixel coordinate: the lower cell index and the weight it gets (the upper gets 1 - w). */
  readonly lowCell: Int32Array;
  readonly highCell: Int32Array;
  readonly lowWeight: Float32Array;
  /** Total weight each cell collects from a uniform image, to turn sums into means. */
  readonly cellMass: Float32Array;
}

export function cellPooling(size: number, cells: number): CellPooling {
  const lowCell = new Int32Array(size);
  const highCell = new Int32Array(size);
  const lowWeight = new Float32Array(size);
  for (let x = 0; x < size; x++) {
    // Cell centres sit at (c + 0.5) * size / cells; pixels outside the outer centres clamp.
    const u = Math.min(cells - 1, Math.max(0, ((x + 0.5) * cells) / size - 0.5));
    const c = Math.min(cells - 1, Math.floor(u));
    lowCell[x] = c;
    highCell[x] = Math.min(cells - 1, c + 1);
    lowWeight[x] = 1 - (u - c);
  }
  const axisMass = new Float32Array(cells);
  for (let x = 0; x < size; x++) {
    axisMass[lowCell[x]!]! += lowWeight[x]!;
    axisMass[highCell[x]!]! += 1 - lowWeight[x]!;
  }
  const cellMass = new Float32Array(cells * cells);
  for (let cy = 0; cy < cells; cy++) {
    for (let cx = 0; cx < cells; cx++) cellMass[cy * cells + cx] = axisMass[cy]! * axisMass[cx]!;
  }
  return { size, cells, lowCell, highCell, lowWeight, cellMass };
}

/**
 * Pools a size*size map with `channels` interleaved values per pixel into cells*cells*channels
 * sums (cell-major, channels innermost).
 */
export function poolCells(map: Float32Array, channels: number, pooling: CellPooling): Float32Array {
  const { size, cells, lowCell, highCell, lowWeight } = pooling;
  const out = new Float32Array(cells * cells * channels);
  for (let y = 0; y < size; y++) {
    const cy0 = lowCell[y]! * cells;
    const cy1 = highCell[y]! * cells;
    const wy = lowWeight[y]!;
    for (let x = 0; x < size; x++) {
      const p = (y * size + x) * channels;
      // Object maps are zero on most (background) pixels: skip those before any weight is made.
      // Sums gain the same terms in the same order, so the result is bit for bit the same.
      let k0 = 0;
      while (k0 < channels && map[p + k0] === 0) k0++;
      if (k0 === channels) continue;
      const cx0 = lowCell[x]!;
      const cx1 = highCell[x]!;
      const wx = lowWeight[x]!;
      const w00 = wy * wx;
      const w01 = wy * (1 - wx);
      const w10 = (1 - wy) * wx;
      const w11 = (1 - wy) * (1 - wx);
      const o00 = (cy0 + cx0) * channels;
      const o01 = (cy0 + cx1) * channels;
      const o10 = (cy1 + cx0) * channels;
      const o11 = (cy1 + cx1) * channels;
      for (let k = k0; k < channels; k++) {
        const v = map[p + k]!;
        if (v === 0) continue;
        out[o00 + k]! += w00 * v;
        out[o01 + k]! += w01 * v;
        out[o10 + k]! += w10 * v;
        out[o11 + k]! += w11 * v;
      }
    }
  }
  return out;
}
