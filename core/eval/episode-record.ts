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
