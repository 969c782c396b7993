import type { HybridWeights } from '../session/session.js';
import { weightedSum } from '../vectors/vector-math.js';
import { syntheticImageQuery, textQuery } from './query-vectors.js';
import type { Strategy } from './strategy.js';

export function hybridWeightsFor(round: number, weights: HybridWeights): readonly [number, number] {
  return round <= 1 ? weights.early : weights.late;
}

/**
 * Weighted fusion of generative and text similarity. Because both query vectors are unit length
 * and archive vectors are too, w_i*cos(q_img, x) + w_t*cos(q_txt, x) = dot(w_i*q_img + w_t*q_txt, x):
 * one search with the summed vector ranks exactly by the fused score.
 */
export const hybridStrategy: Strategy = {
  name: 'hybrid',
  plan: async (context) => {
    const image = await syntheticImageQuery(context);
    const text = await textQuery(context);
    const [wImage, wText] = hybridWeightsFor(context.roundIndex, context.session.options.hybrid);
    return {
      vector: weightedSum(
        [
          [image.vector, wImage],
          [text, wText],
        ],
        image.vector.length,
      ),
      generated: image.generated,
    };
  },
  feedback: ({ synthetic }) => ({ kind: 'synthetic', images: synthetic }),
};
