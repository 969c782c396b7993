import type { MessagePort } from 'node:worker_threads';
import type { StrategyName } from '../../session/session.js';
import type { EvalArm } from '../eval-config.js';
import type { EpisodeObservation } from '../episode-options.js';

/**
 * One (target, strategy) episode as a worker thread receives it: plain data only. The worker
 * builds its engine and searcher from `setup` (the same for every task of a run) and plays the
 * episode exactly as runEpisode would in the main thread.
 */
export interface EpisodeTask<Setup> {
  readonly setup: Setup;
  readonly archive: string;
  readonly strategy: StrategyName;
  /** The evaluation arm's label (see EpisodeOptions.label). */
  readonly label?: string;
  /** Which engine plays it: the default text tower or the oracle one (the text-oracle arm). */
  readonly textTower: EvalArm['textTower'];
  readonly targetId: string;
  readonly rounds: number;
  readonly k: number;
  readonly samples: number;
  readonly seed: number;
  /** Present when the main thread observes rounds: each observation is sent here and acknowledged. */
  readonly observations?: MessagePort;
}

/** Worker -> main: one round's observation, numbered within its episode. */
export interface ObservationMessage {
  readonly n: number;
  readonly observation: EpisodeObservation;
}

/** Main -> worker: the observation was handled (or failed with `error`). */
export interface ObservationAck {
  readonly n: number;
  readonly error?: string;
}
