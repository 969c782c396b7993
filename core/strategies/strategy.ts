import type { RoundProgress } from '../ports/engine.js';
import type { StageTimer } from './stage-timer.js';
import type { GeneratedImage } from '../ports/generator.js';
import type { ModelBundle } from '../ports/model-bundle.js';
import type { Feedback, Session, StrategyName, SyntheticImage } from '../session/session.js';

export interface StrategyContext {
  readonly session: Session;
  readonly roundIndex: number;
  readonly query: string;
  /** Seed of this round, derived from the session seed, the round and the query. */
  readonly seed: number;
  readonly models: ModelBundle;
  readonly timer: StageTimer;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RoundProgress) => void;
}

/** How a strategy turns the description into a search. */
export interface QueryPlan {
  /**
   * Query vector. Unit length, except for fusions of unit vectors (hybrid), whose length
   * carries the fusion weights so that dot products equal the fused similarity.
   */
  readonly vector: Float32Array;
  /** Synthetic images made for this round (stored and shown when the feedback uses them). */
  readonly generated: readonly GeneratedImage[];
}

export interface Candidate {
  readonly id: string;
  readonly score: number;
  readonly caption?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface FeedbackContext {
  readonly session: Session;
  /** Best-first search results, at least as many as the session's k. */
  readonly candidates: readonly Candidate[];
  readonly synthetic: readonly SyntheticImage[];
  readonly models: ModelBundle;
}

/** One way of giving the searcher feedback, chosen per session. */
export interface Strategy {
  readonly name: StrategyName;
  plan(context: StrategyContext): Promise<QueryPlan>;
  feedback(context: FeedbackContext): Feedback;
}
