import type { Engine } from '../ports/engine.js';
import type { Round } from '../session/session.js';
import type { ShownFeedback, ShownSynthetic } from './searcher.js';

/** Resolves a round's feedback to the images a person would actually see. */
export async function showFeedback(engine: Engine, archive: string, round: Round): Promise<ShownFeedback> {
  const feedback = round.feedback;
  const synthetic: ShownSynthetic[] = [];
  if (feedback.kind === 'synthetic') {
    for (const s of feedback.images) {
      const image = await engine.getImage({ kind: 'synthetic', id: s.id });
      synthetic.push({ image, ...(s.interpretation ? { interpretation: s.interpretation } : {}) });
    }
  }
  const top1 =
    feedback.kind === 'top1'
      ? { id: feedback.imageId, image: await engine.getImage({ kind: 'archive', archive, id: feedback.imageId }) }
      : undefined;
  return { round: round.index, previousQuery: round.query, feedback, synthetic, ...(top1 ? { top1 } : {}) };
}
