import type { Engine } from '../ports/engine.js';
import type { Round, StrategyName } from '../session/session.js';
import type { Searcher, ShownFeedback, TargetImage } from './searcher.js';

export interface EpisodeObservation {
  /** The evaluation arm's label (the strategy's name unless the arm says otherwise). */
  readonly strategy: string;
  readonly target: TargetImage;
  readonly round: Round;
  readonly rank: number;
  readonly shown: ShownFeedback;
}

export interface EpisodeOptions {
  readonly engine: Engine;
  readonly searcher: Searcher;
  readonly archive: string;
  readonly strategy: StrategyName;
  /** The evaluation arm's label, for records and observers; the strategy's name when absent. */
  readonly label?: string;
  readonly targetId: string;
  /** Rounds after round 0. */
  readonly rounds: number;
  readonly k: number;
  readonly samples: number;
  readonly seed: number;
  readonly signal?: AbortSignal;
  /** Sees every round as it happens (report and dataset artefacts are captured here). */
  readonly observe?: (observation: EpisodeObservation) => Promise<void>;
}
