import type { EpisodeObservation } from '../episode-options.js';

export type EpisodeObserver = (observation: EpisodeObservation) => Promise<void>;

/**
 * One observe hook that runs several in the given order. Sequential on purpose: a hook placed
 * after another may rely on the first having finished its writes for that round.
 */
export function composeObservers(...observers: readonly EpisodeObserver[]): EpisodeObserver {
  return async (observation) => {
    for (const observe of observers) await observe(observation);
  };
}
