import type { Engine } from '../ports/engine.js';
import type { ArchiveStore } from '../ports/archive-store.js';
import { assertNotTextTowerWorld } from '../scenes/text-tower/training-seeds.js';
import { composeObservers, type EpisodeObserver } from './artifacts/compose-observers.js';
import { DatasetExport } from './artifacts/dataset-export.js';
import { readPackageVersions } from './artifacts/package-versions.js';
import { ReportCapture } from './artifacts/report-capture.js';
import { writeReportHtml } from './artifacts/report-html.js';
import { writeResults, type WrittenResults } from './artifacts/results.js';
import type { EvalConfig } from './eval-config.js';
import { runEvaluation, type EvalProgress } from './eval-runner.js';
import type { EpisodePlayer } from './parallel/episode-player.js';
import type { RealismKnobs } from './realism.js';
import { RunFolder } from './run-folder.js';
import { ScriptedScenesSearcher } from './scripted/scripted-searcher.js';
import { DEFAULT_NEAR_DUPLICATE_RATE } from '../scenes/sampler.js';
import type { Searcher } from './searcher.js';
import { sampleTargets } from './target-sampler.js';

export interface EvaluationJobOptions {
  readonly engine: Engine;
  /** The engine of the text-oracle arm (see EvalRunOptions). */
  readonly oracleEngine?: Engine;
  /** Ids of the text towers in use, by arm kind ("text", "text-oracle"), recorded in results.json. */
  readonly textTowers?: Readonly<Record<string, string>>;
  readonly archives: ArchiveStore;
  readonly searcher: Searcher;
  readonly config: EvalConfig;
  readonly outDir: string;
  readonly exportDataset: boolean;
  /** Targets shown in report.html. */
  readonly reportTargets?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EvalProgress) => void;
  /** Caption noise the engine's verbal strategy reads with (caption-noise.ts); recorded, 0 when not given. */
  readonly captionNoise?: number;
  /** Report a realism sensitivity table (Markdown) in report.html. */
  readonly sensitivity?: string;
  /** Plays episodes on worker threads; absent: in this thread. */
  readonly player?: EpisodePlayer;
}

export interface EvaluationJobResult {
  readonly complete: boolean;
  readonly episodes: number;
  readonly written: WrittenResults;
  readonly report: string;
  readonly dataset?: string;
  readonly folder: string;
}

/**
 * A whole `mirage eval`: sample targets, run every episode (resumably), then write results.json,
 * the Hits@K table and chart, report.html and optionally the curated dataset. An interrupted run
 * still writes what finished, marked incomplete.
 */
export async function runEvaluationJob(options: EvaluationJobOptions): Promise<EvaluationJobResult> {
  const { engine, config } = options;
  const folder = new RunFolder(options.outDir);
  const archive = await options.archives.open(config.archive);
  assertNotTextTowerWorld(archive.manifest);
  const origin = archive.manifest.origin;
  const realism: RealismKnobs = {
    perceptionNoise: options.searcher instanceof ScriptedScenesSearcher ? options.searcher.config.pMisperceive : null,
    captionNoise: options.captionNoise ?? 0,
    nearDuplicateRate: origin.kind === 'scenes' ? (origin.nearDuplicateRate ?? DEFAULT_NEAR_DUPLICATE_RATE) : null,
  };
  const archiveIds = [...archive.records()].map((r) => r.id);
  const targets = sampleTargets(archiveIds, config.targets, config.seed);
  const report = new ReportCapture({
    engine,
    archive: config.archive,
    folder,
    targets,
    ...(options.reportTargets !== undefined ? { count: options.reportTargets } : {}),
  });
  const dataset = options.exportDataset ? new DatasetExport({ engine, archive: config.archive, folder }) : undefined;
  const observers: EpisodeObserver[] = [report.observe, ...(dataset ? [dataset.observe] : [])];
  const outcome = await runEvaluation({
    engine,
    ...(options.oracleEngine ? { oracleEngine: options.oracleEngine } : {}),
    searcher: options.searcher,
    config,
    archiveIds,
    folder,
    observe: composeObservers(...observers),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.player ? { player: options.player } : {}),
  });
  const profile = options.searcher.profile;
  const written = await writeResults(folder, {
    config,
    searcherId: options.searcher.id,
    ...(profile ? { searcherProfile: profile } : {}),
    targets: outcome.targets,
    episodes: outcome.episodes,
    versions: { ...(await readPackageVersions()), ...(options.textTowers ? { textTowers: options.textTowers } : {}) },
    realism,
  });
  const captured = await report.finish();
  const exported = dataset ? await dataset.finish([...outcome.episodes]) : undefined;
  const reportPath = await writeReportHtml(folder, {
    config,
    searcherId: options.searcher.id,
    ...(profile ? { searcherProfile: profile } : {}),
    results: written,
    captured,
    ...(exported ? { dataset: exported.records } : {}),
    ...(options.sensitivity ? { sensitivity: options.sensitivity } : {}),
  });
  return {
    complete: outcome.complete,
    episodes: outcome.episodes.length,
    written,
    report: reportPath,
    ...(exported ? { dataset: exported.records } : {}),
    folder: folder.dir,
  };
}
