import type { Quantization, VectorIndex } from './vector-index.js';

export interface VectorIndexFactory {
  create(dim: number, quantization: Quantization): VectorIndex;
  /** Loads what VectorIndex.save wrote; view memory-maps it read-only. */
  load(dir: string, options?: { view?: boolean }): Promise<VectorIndex>;
}
