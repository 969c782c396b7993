import { describe, expect, it } from 'vitest';
import { countCloser } from '../../../core/adapters/usearch/exact-search.js';
import type { VectorBlock, VectorRows } from '../../../core/adapters/usearch/vector-rows.js';
import { cosine, sample } from './fixtures.js';

/** Rows handed out a few per block, as FileVectors does with large files. */
class BlockedRows implements VectorRows {
  readonly count: number;
  constructor(
    readonly dim: number,
    private readonly vectors: readonly Float32Array[],
    private readonly rowsPerBlock: number,
  ) {
    this.count = vectors.length;
  }

  row(index: number): Float32Array {
    return (this.vectors[index] as Float32Array).slice();
  }

  gather(indices: readonly number[]): Float32Array {
    const out = new Float32Array(indices.length * this.dim);
    indices.forEach((row, i) => out.set(this.vectors[row] as Float32Array, i * this.dim));
    return out;
  }

  *blocks(): Iterable<VectorBlock> {
    for (let first = 0; first < this.count; first += this.rowsPerBlock) {
      const rows = Array.from({ length: Math.min(this.rowsPerBlock, this.count - first) }, (_, i) => first + i);
      yield { firstRow: first, data: this.gather(rows) };
    }
  }
}

describe('countCloser', () => {
  const dim = 16;
  const s = sample(300, dim, 5);

  it('counts the same rows whatever the blocks, skipping rows in any block', () => {
    for (const q of s.queries.slice(0, 4)) {
      const similarity = s.vectors.map((v) => cosine(q, v));
      const byScore = similarity.map((_, row) => row).sort((a, b) => (similarity[b] as number) - (similarity[a] as number));
      const target = byScore[150] as number;
      // Skipped rows on both sides of the target, in different blocks.
      const skip = new Set([byScore[3] as number, byScore[77] as number, byScore[200] as number, byScore[290] as number]);
      for (const rowsPerBlock of [1, 7, 64, 300]) {
        const rows = new BlockedRows(dim, s.vectors, rowsPerBlock);
        expect(countCloser(rows, q, target, new Set(), 1)).toBe(150);
        expect(countCloser(rows, q, target, skip, 1)).toBe(148);
        expect(countCloser(rows, q, byScore[0] as number, skip, 1)).toBe(0);
      }
    }
  });
});
