import pLimit from 'p-limit';
import { invalidInput } from '../errors.js';
import type { Engine } from '../ports/engine.js';
import { armsOf, resultDefiningConfig, type EvalArm, type EvalConfig } from './eval-config.js';
import { runEpisode } from './episode.js';
import type { EpisodeObservation, EpisodeOptions } from './episode-options.js';
import { episodeKey, type EpisodeRecord } from './episode-record.js';
import type { EpisodePlayer } from './parallel/episode-player.js';
import type { RunFolder } from './run-folder.js';
import type { Searcher } from './searcher.js';
import { sampleTargets } from './target-sampler.js';

export interface EvalProgress {
  readonly done: number;
  readonly total: number;
  /** Episodes taken over from an earlier, interrupted run. */
  readonly resumed: number;
}

export interface EvalRunOptions {
  readonly engine: Engine;
  /** The engine of arms on the oracle text tower (text-oracle); required when the config has one. */
  readonly oracleEngine?: Engine;
  readonly searcher: Searcher;
  readonly config: EvalConfig;
  /** Every image id of the archive; targets are drawn from these with the run's seed. */
  readonly archiveIds: readonly string[];
  readonly folder: RunFolder;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EvalProgress) => void;
  readonly observe?: (observation: EpisodeObservation) => Promise<void>;
  /** Plays episodes elsewhere (worker threads); absent: in this thread, config.concurrency at a time. */
  readonly player?: EpisodePlayer;
}

export interface EvalOutcome {
  readonly targets: readonly string[];
  /** Target-major, arms in config order; only finished episodes (their strategy is the arm's label). */
  readonly episodes: readonly EpisodeRecord[];
  readonly complete: boolean;
}

const isAbort = (e: unknown) => e instanceof Error && (e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR');

/**
 * Runs every (target, strategy) episode with bounded concurrency. Each finished episode is
 * written to the run folder at once; an interrupted run returns what finished and can resume.
 */
export async function runEvaluation(options: EvalRunOptions): Promise<EvalOutcome> {
  const { config, folder, signal } = options;
  await folder.claim({ ...resultDefiningConfig(config), searcher: options.searcher.id });
  const targets = sampleTargets(options.archiveIds, config.targets, config.seed);
  const finished = await folder.finishedEpisodes();
  const jobs = targets.flatMap((targetId) => armsOf(config).map((arm) => ({ targetId, strategy: arm.label, arm })));
  const engineOf = (arm: EvalArm): Engine => {
    if (arm.textTower === 'default') return options.engine;
    if (!options.oracleEngine) throw invalidInput(`Arm ${arm.label} needs the oracle text tower, which this runtime does not offer.`);
    return options.oracleEngine;
  };
  const total = jobs.length;
  const resumed = jobs.filter((j) => finished.has(episodeKey(j.strategy, j.targetId))).length;
  let done = resumed;
  options.onProgress?.({ done, total, resumed });

  const { player } = options;
  const limit = pLimit(player?.slots ?? config.concurrency);
  const play = player ? (o: EpisodeOptions, arm: EvalArm) => player.play(o, arm) : (o: EpisodeOptions) => runEpisode(o);
  const k = Math.max(...config.ks);
  await Promise.all(
    jobs
      .filter((j) => !finished.has(episodeKey(j.strategy, j.targetId)))
      .map((job) =>
        limit(async () => {
          if (signal?.aborted) return;
          try {
            const episode = await play({
              engine: engineOf(job.arm),
              searcher: options.searcher,
              archive: config.archive,
              strategy: job.arm.strategy,
              label: job.arm.label,
              targetId: job.targetId,
              rounds: config.rounds,
              k,
              samples: job.arm.samples ?? config.samples,
              seed: config.seed,
              ...(signal ? { signal } : {}),
              ...(options.observe ? { observe: options.observe } : {}),
            }, job.arm);
            const record = { ...episode, strategy: job.arm.label };
            await folder.appendEpisode(record);
            finished.set(episodeKey(record.strategy, record.targetId), record);
            done++;
            options.onProgress?.({ done, total, resumed });
          } catch (e) {
            if (signal?.aborted && isAbort(e)) return;
            throw e;
          }
        }),
      ),
  );
  const episodes = jobs
    .map((j) => finished.get(episodeKey(j.strategy, j.targetId)))
    .filter((e): e is EpisodeRecord => e !== undefined);
  return { targets, episodes, complete: episodes.length === total };
}
