import type { Feedback, StageTimings } from '../session/session.js';
import type { TokenUsage } from './searcher.js';

/** What the evaluator keeps of one round; the rank is measured after the round, by the harness. */
export interface EpisodeRound {
  readonly round: number;
  readonly query: string;
  /** 0-based rank of the target in the full archive ranking. */
  readonly rank: number;
  /** Top hits shown (ids, best first). */
  readonly hits: readonly string[];
  /**
   * 0-based position of the target among the hits shown, or null when it was not among them.
   * Ranks are exact over the whole archive, but from 2,000 images up the shown hits come from
   * the approximate (HNSW) graph, so a target can rank < K yet not be shown.
   */
  readonly shownRank: number | null;
  readonly feedback: Feedback;
  readonly timings: StageTimings;
}

export interface EpisodeRecord {
  /** The evaluation arm's label: a strategy's name, or e.g. "text-oracle", "generative-n4" (eval-config.ts). */
  readonly strategy: string;
  readonly targetId: string;
  readonly sessionId: string;
  readonly rounds: readonly EpisodeRound[];
  readonly searcherUsage?: TokenUsage;
  readonly wallMs: number;
}

export const episodeKey = (strategy: string, targetId: string) => `${strategy}\u0000${targetId}`;

/** Where the target sits among the shown hits (ids, best first); null when it is not shown. */
export function shownRankOf(hits: readonly string[], targetId: string): number | null {
  const position = hits.indexOf(targetId);
  return position === -1 ? null : position;
}
