import type { EvalArm } from '../eval-config.js';
import type { EpisodeOptions } from '../episode-options.js';
import type { EpisodeRecord } from '../episode-record.js';

/**
 * Plays episodes somewhere other than the calling thread (a worker-thread pool). Given the same
 * options it must return the record runEpisode would, and show `observe` every round in order.
 */
export interface EpisodePlayer {
  /** Episodes it plays at once; the runner keeps this many in flight. */
  readonly slots: number;
  /** `options.engine` is this thread's; the arm tells which engine (text tower) plays it elsewhere. */
  play(options: EpisodeOptions, arm: EvalArm): Promise<EpisodeRecord>;
  close(): Promise<void>;
}
