import { textQuery } from './query-vectors.js';
import type { Strategy } from './strategy.js';

/** Prediction feedback: text search, and the searcher is shown the top-1 retrieved image. */
export const predictionStrategy: Strategy = {
  name: 'prediction',
  plan: async (context) => ({ vector: await textQuery(context), generated: [] }),
  feedback: ({ candidates }) => {
    const top = candidates[0];
    return top ? { kind: 'top1', imageId: top.id } : { kind: 'none' };
  },
};
