import { z } from 'zod';
import { STRATEGY_NAMES, type Feedback, type Hit, type Round, type Session } from '../core/session/session.js';
import { archiveImageUri, syntheticImageUri } from './uris.js';

/**
 * The shapes tools return as structured content. Rounds and hits are numbered from 1 as on the
 * contact sheet; `rank` stays 0-based as everywhere else in Mirage. Query vectors and seeds stay
 * inside the server.
 */
export const sessionSummarySchema = z.object({
  id: z.string(),
  archive: z.string(),
  strategy: z.enum(STRATEGY_NAMES),
  k: z.number().int(),
  samples: z.number().int(),
  status: z.enum(['active', 'found', 'ended']),
  rounds: z.number().int().describe('rounds run so far'),
  evaluation: z.boolean().describe('true for sessions started by start_evaluation'),
});

export const hitSchema = z.object({
  number: z.number().int().describe('1-based, as on the contact sheet; usable as a hit reference'),
  id: z.string(),
  score: z.number(),
  rank: z.number().int().describe('0-based'),
  caption: z.string().optional(),
  uri: z.string().describe('resource with the full-size image'),
});

export const feedbackSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('synthetic'),
    images: z.array(z.object({ id: z.string(), uri: z.string() })).describe('how the system pictured the description'),
  }),
  z.object({ kind: z.literal('top1'), imageId: z.string(), uri: z.string() }),
  z.object({ kind: z.literal('question'), attribute: z.string(), text: z.string() }),
  z.object({ kind: z.literal('none') }),
]);

export const roundSchema = z.object({
  round: z.number().int().describe('1-based'),
  description: z.string(),
  closerTo: z.array(z.string()),
  notThese: z.array(z.string()),
  feedback: feedbackSchema,
  hits: z.array(hitSchema),
});

export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export function sessionSummary(session: Session, evaluation: boolean): SessionSummary {
  const { id, archive, strategy, k, samples, status } = session;
  return { id, archive, strategy, k, samples, status, rounds: session.rounds.length, evaluation };
}

export function hitView(archive: string, hit: Hit) {
  return {
    number: hit.rank + 1,
    id: hit.id,
    score: hit.score,
    rank: hit.rank,
    ...(hit.caption !== undefined ? { caption: hit.caption } : {}),
    uri: archiveImageUri(archive, hit.id),
  };
}

export function feedbackView(archive: string, feedback: Feedback): z.infer<typeof feedbackSchema> {
  switch (feedback.kind) {
    case 'synthetic':
      return { kind: 'synthetic', images: feedback.images.map(({ id }) => ({ id, uri: syntheticImageUri(id) })) };
    case 'top1':
      return { kind: 'top1', imageId: feedback.imageId, uri: archiveImageUri(archive, feedback.imageId) };
    case 'question':
      return { kind: 'question', attribute: feedback.attribute, text: feedback.text };
    case 'none':
      return { kind: 'none' };
  }
}

export function roundView(archive: string, round: Round): z.infer<typeof roundSchema> {
  return {
    round: round.index + 1,
    description: round.query,
    closerTo: [...round.closerTo],
    notThese: [...round.notThese],
    feedback: feedbackView(archive, round.feedback),
    hits: round.hits.map((hit) => hitView(archive, hit)),
  };
}

/**
 * A round as an evaluation searcher sees it: hits without captions. Scenes captions are the
 * ground truth the archive was made from; a searcher that copied the caption of a hit resembling
 * its target would be scored on text it could never have written from the pixels.
 */
export function sealedRound(round: Round): Round {
  return { ...round, hits: round.hits.map(({ caption: _caption, ...hit }) => hit) };
}
