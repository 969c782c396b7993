export const STRATEGY_NAMES = ['generative', 'text', 'hybrid', 'prediction', 'verbal'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface HybridWeights {
  /** Weights (image, text) for rounds 0 and 1. */
  readonly early: readonly [number, number];
  /** Weights (image, text) from round 2 on. */
  readonly late: readonly [number, number];
}

export interface RocchioWeights {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

export interface SessionOptions {
  /** Never show again an image the user rejected ("not these"). */
  readonly excludeRejected: boolean;
  readonly rocchio: RocchioWeights;
  readonly hybrid: HybridWeights;
  /** Candidates whose captions the verbal strategy compares. */
  readonly verbalCandidates: number;
}

export interface Hit {
  readonly id: string;
  readonly score: number;
  /** 0-based. */
  readonly rank: number;
  readonly caption?: string;
  /** The image record's attributes (where it came from), when it has any. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface SyntheticImage {
  /** Blob id, fetchable with Engine.getImage({ kind: 'synthetic', id }). */
  readonly id: string;
  readonly seed: number;
  readonly interpretation?: Readonly<Record<string, unknown>>;
}

export type Feedback =
  | { readonly kind: 'synthetic'; readonly images: readonly SyntheticImage[] }
  | { readonly kind: 'top1'; readonly imageId: string }
  | { readonly kind: 'question'; readonly attribute: string; readonly text: string }
  | { readonly kind: 'none' };

export interface StageTimings {
  readonly generate: number;
  readonly embed: number;
  readonly search: number;
  readonly total: number;
}

export interface Round {
  readonly index: number;
  readonly query: string;
  /** Ids the user marked as closer to what they remember (Rocchio positives). */
  readonly closerTo: readonly string[];
  /** Ids the user rejected this round (Rocchio negatives, and excluded if the option is on). */
  readonly notThese: readonly string[];
  readonly hits: readonly Hit[];
  readonly feedback: Feedback;
  /** Milliseconds. */
  readonly timings: StageTimings;
  /**
   * The final query vector (base64 f32), kept so an evaluator can compute the target's exact
   * rank afterwards without the system ever being told the target.
   */
  readonly queryVector: string;
  readonly createdAt: string;
}

export type SessionStatus = 'active' | 'found' | 'ended';

export interface Session {
  readonly id: string;
  /** Who may use the session (see ownerSchema); sessions without one are open to any caller without one. */
  readonly owner?: string;
  readonly archive: string;
  readonly strategy: StrategyName;
  readonly k: number;
  /** Synthetic images per round (generative and hybrid). */
  readonly samples: number;
  readonly seed: number;
  readonly options: SessionOptions;
  readonly status: SessionStatus;
  readonly selected?: { readonly id: string; readonly round: number };
  readonly rounds: readonly Round[];
  readonly createdAt: string;
  readonly updatedAt: string;
}
