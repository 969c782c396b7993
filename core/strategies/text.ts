import { textQuery } from './query-vectors.js';
import type { Strategy } from './strategy.js';

/** Plain text-to-image retrieval: the hits are all the searcher gets. */
export const textStrategy: Strategy = {
  name: 'text',
  plan: async (context) => ({ vector: await textQuery(context), generated: [] }),
  feedback: () => ({ kind: 'none' }),
};
