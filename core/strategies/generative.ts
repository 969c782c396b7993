import { syntheticImageQuery } from './query-vectors.js';
import type { Strategy } from './strategy.js';

/** GenIR: image-to-image search from synthetic images; the images themselves are the feedback. */
export const generativeStrategy: Strategy = {
  name: 'generative',
  plan: (context) => syntheticImageQuery(context),
  feedback: ({ synthetic }) => ({ kind: 'synthetic', images: synthetic }),
};
