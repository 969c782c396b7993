import { ClusteredVectors, rowsOf } from '../../../bench/clustered-vectors.js';
import type { VectorIndex } from '../../../core/ports/vector-index.js';

export interface Sample {
  readonly ids: string[];
  readonly vectors: Float32Array[];
  readonly queries: Float32Array[];
}

/** Clustered vectors with ids "img-<i>", plus held-out queries from the same clusters. */
export function sample(count: number, dim: number, seed: number, queries = 20): Sample {
  const clusters = new ClusteredVectors(dim, Math.max(1, Math.floor(count / 50)), seed);
  const vectors = rowsOf(clusters.sample(count, seed + 1), dim);
  return {
    ids: vectors.map((_, i) => `img-${i}`),
    vectors,
    queries: rowsOf(clusters.sample(queries, seed + 2), dim),
  };
}

export function filled<T extends VectorIndex>(index: T, s: Sample): T {
  index.add(s.ids, s.vectors);
  return index;
}

/** Plain-JS cosine similarity in f64: an oracle independent of usearch's kernels. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

/** The k ids most similar to the query by brute force in plain JS. */
export function bruteForce(s: Sample, query: Float32Array, k: number, exclude: ReadonlySet<string> = new Set()): string[] {
  return s.ids
    .map((id, i) => ({ id, score: cosine(query, s.vectors[i] as Float32Array) }))
    .filter((h) => !exclude.has(h.id))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((h) => h.id);
}

/** Fraction of the expected ids that were found. */
export function recall(found: readonly string[], expected: readonly string[]): number {
  const set = new Set(found);
  return expected.filter((id) => set.has(id)).length / expected.length;
}
