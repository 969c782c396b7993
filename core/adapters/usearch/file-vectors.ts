import { closeSync, openSync, readSync } from 'node:fs';
import { bytesPerRow, type VectorBlock, type VectorRows } from './vector-rows.js';

const ROWS_PER_BLOCK = 16_384;

// A view may outlive any explicit close (the port has none), so the descriptor is closed when
// the FileVectors object is garbage-collected.
const descriptors = new FinalizationRegistry<number>((fd) => closeSync(fd));

/**
 * Read-only rows read from a vector file on demand, for memory-mapped (view) indexes whose
 * vectors should not be copied into memory. The file stays open from load on, so a later save
 * into the same folder (which deletes the old files) cannot pull the data from under a view.
 */
export class FileVectors implements VectorRows {
  private constructor(
    readonly dim: number,
    readonly count: number,
    private readonly fd: number,
  ) {}

  static open(path: string, dim: number, count: number): FileVectors {
    const fd = openSync(path, 'r');
    const vectors = new FileVectors(dim, count, fd);
    descriptors.register(vectors, fd);
    return vectors;
  }

  row(index: number): Float32Array {
    return this.readRows(index, 1);
  }

  gather(indices: readonly number[]): Float32Array {
    const out = new Float32Array(indices.length * this.dim);
    indices.forEach((row, i) => out.set(this.readRows(row, 1), i * this.dim));
    return out;
  }

  *blocks(): Iterable<VectorBlock> {
    for (let first = 0; first < this.count; first += ROWS_PER_BLOCK) {
      yield { firstRow: first, data: this.readRows(first, Math.min(ROWS_PER_BLOCK, this.count - first)) };
    }
  }

  private readRows(first: number, rows: number): Float32Array {
    const out = new Float32Array(rows * this.dim);
    const bytes = new Uint8Array(out.buffer);
    const start = first * bytesPerRow(this.dim);
    let done = 0;
    while (done < bytes.length) {
      const read = readSync(this.fd, bytes, done, bytes.length - done, start + done);
      if (read === 0) throw new Error(`vector file ends before row ${first + rows} of ${this.count}`);
      done += read;
    }
    return out;
  }
}
