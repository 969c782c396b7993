/** Small dense-vector helpers shared by strategies and relevance feedback. */

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

/** Returns a unit-length copy; a zero vector stays zero rather than becoming NaN. */
export function normalize(a: Float32Array): Float32Array {
  const n = norm(a);
  const out = new Float32Array(a.length);
  if (n === 0) return out;
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) / n;
  return out;
}

/** Weighted sum of equally long vectors. */
export function weightedSum(terms: readonly (readonly [Float32Array, number])[], dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (const [v, w] of terms) {
    if (v.length !== dim) throw new Error(`vector of dimension ${v.length} where ${dim} was expected`);
    for (let i = 0; i < dim; i++) out[i] = (out[i] as number) + w * (v[i] as number);
  }
  return out;
}

export function mean(vectors: readonly Float32Array[], dim: number): Float32Array {
  if (vectors.length === 0) return new Float32Array(dim);
  return weightedSum(
    vectors.map((v) => [v, 1 / vectors.length] as const),
    dim,
  );
}
