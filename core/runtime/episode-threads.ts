import type { MirageConfig } from '../config/config.js';
import { EpisodePool } from '../eval/parallel/episode-pool.js';
import type { EpisodePlayer } from '../eval/parallel/episode-player.js';
import { workerModule } from '../concurrency/worker-module.js';
import type { SearcherSpec } from '../eval/searcher-factory.js';

export interface EpisodeThreadsOptions {
  readonly config: MirageConfig;
  readonly searcher: SearcherSpec;
  readonly archive: string;
  readonly threads: number;
  /** Episodes in flight per thread. */
  readonly perThread: number;
}

/**
 * Worker threads for `mirage eval`, each with an in-process engine built from `config` over the
 * same archive. Undefined when the run is better off in this thread: one thread asked for, or a
 * queue-backed engine (its rounds already run on `mirage worker` processes).
 */
export function createEpisodeThreads(options: EpisodeThreadsOptions): EpisodePlayer | undefined {
  if (options.threads <= 1 || options.config.redisUrl !== undefined) return undefined;
  return new EpisodePool({
    filename: workerModule(import.meta.url, 'episode-worker'),
    threads: options.threads,
    perThread: options.perThread,
    setup: { config: options.config, searcher: options.searcher, archive: options.archive },
  });
}
