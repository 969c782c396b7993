/**
 * The raw (unquantised) f32 vectors of an index, one row per image, in the id map's row order.
 * They back vectorOf, exact search and rebuilding the graph, none of which USearch offers.
 */
export interface VectorRows {
  readonly dim: number;
  readonly count: number;
  /** A copy of one row; the caller may modify it. */
  row(index: number): Float32Array;
  /** Copies of some rows, flat in the order asked for, in a buffer of their own. */
  gather(indices: readonly number[]): Float32Array;
  /**
   * All rows in order, a block at a time. Each block's `data` starts at byte 0 of its own
   * buffer (usearch's exactSearch reads from the start of the buffer and ignores offsets).
   */
  blocks(): Iterable<VectorBlock>;
}

export interface VectorBlock {
  readonly firstRow: number;
  /** rows x dim, row-major. */
  readonly data: Float32Array;
}

/** Bytes of one stored row: little-endian f32, as on every platform Node and usearch run on. */
export const bytesPerRow = (dim: number): number => dim * Float32Array.BYTES_PER_ELEMENT;
