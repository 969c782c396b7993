import { Prng } from '../core/random/prng.js';

/**
 * Synthetic stand-ins for image embeddings: Gaussian clusters around random centres. Within a
 * cluster the noise has a decaying (power-law) spectrum, as real embeddings concentrate their
 * variance in a few directions; isotropic noise in 512 dimensions would make every neighbour
 * equally far away, which no real archive looks like.
 */
export class ClusteredVectors {
  private readonly centres: Float32Array;
  private readonly noiseScale: Float32Array;

  constructor(
    readonly dim: number,
    readonly clusters: number,
    seed: number,
    spread = 4,
  ) {
    const prng = new Prng(seed);
    this.centres = new Float32Array(clusters * dim);
    for (let i = 0; i < this.centres.length; i++) this.centres[i] = prng.gaussian();
    this.noiseScale = Float32Array.from({ length: dim }, (_, j) => spread / Math.sqrt(j + 1));
  }

  /** `count` vectors, flat row-major; each picks a cluster uniformly. */
  sample(count: number, seed: number): Float32Array {
    const prng = new Prng(seed);
    const out = new Float32Array(count * this.dim);
    for (let i = 0; i < count; i++) {
      const centre = prng.int(0, this.clusters - 1) * this.dim;
      const row = i * this.dim;
      for (let j = 0; j < this.dim; j++) {
        out[row + j] = (this.centres[centre + j] as number) + (this.noiseScale[j] as number) * prng.gaussian();
      }
    }
    return out;
  }
}

/** The rows of a flat matrix as views (no copies). */
export function rowsOf(flat: Float32Array, dim: number): Float32Array[] {
  return Array.from({ length: flat.length / dim }, (_, i) => flat.subarray(i * dim, (i + 1) * dim));
}
