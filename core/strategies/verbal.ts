import { notSupported } from '../errors.js';
import type { Feedback } from '../session/session.js';
import { mostUncertainAttribute } from './question-selection.js';
import { textQuery } from './query-vectors.js';
import type { Strategy } from './strategy.js';

/**
 * Verbal feedback: text search, then one question about the attribute on which the top
 * candidates' captions disagree most. The searcher answers by refining the description.
 */
export const verbalStrategy: Strategy = {
  name: 'verbal',
  plan: async (context) => {
    if (!context.models.attributes) {
      throw notSupported(`The "verbal" strategy needs an attribute reader for captions; embedder "${context.models.embedderId}" has none.`);
    }
    return { vector: await textQuery(context), generated: [] };
  },
  feedback: ({ session, candidates, models }): Feedback => {
    const reader = models.attributes;
    if (!reader) throw notSupported('The "verbal" strategy needs an attribute reader.');
    const pool = candidates.slice(0, session.options.verbalCandidates);
    const attributeMaps = pool.map((c) => (c.caption ? reader.attributesOf(c.caption) : {}));
    const asked = new Set(
      session.rounds.flatMap((r) => (r.feedback.kind === 'question' ? [r.feedback.attribute] : [])),
    );
    const choice = mostUncertainAttribute(attributeMaps, asked);
    if (!choice) return { kind: 'none' };
    return { kind: 'question', attribute: choice.attribute, text: reader.question(choice.attribute, choice.values) };
  },
};
