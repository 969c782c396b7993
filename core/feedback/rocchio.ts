import type { RocchioWeights } from '../session/session.js';
import { mean, normalize, weightedSum } from '../vectors/vector-math.js';

/**
 * Rocchio relevance feedback on embeddings: move the query towards the images the user called
 * "closer" and away from the ones they rejected. q' = alpha*q + beta*mean(pos) - gamma*mean(neg).
 * With no judgements the query is returned unchanged, so sessions without feedback are unaffected.
 */
export function applyRocchio(
  query: Float32Array,
  positives: readonly Float32Array[],
  negatives: readonly Float32Array[],
  weights: RocchioWeights,
): Float32Array {
  if (positives.length === 0 && negatives.length === 0) return query;
  const dim = query.length;
  const terms: (readonly [Float32Array, number])[] = [[normalize(query), weights.alpha]];
  if (positives.length > 0) terms.push([mean(positives, dim), weights.beta]);
  if (negatives.length > 0) terms.push([mean(negatives, dim), -weights.gamma]);
  return normalize(weightedSum(terms, dim));
}
