import { writeFile } from 'node:fs/promises';
import { invalidInput } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { pairedStatistics, type PairedStatistics } from '../../metrics/paired-statistics.js';
import { cumulativeShownHitsAtK, type ShownHitsAtK } from '../../metrics/shown-hits.js';
import { strategyMetrics, type StrategyMetrics } from '../../metrics/strategy-metrics.js';
import { renderHitsChart } from './hits-chart.js';
import { hitsTableMarkdown } from './hits-table-markdown.js';
import { INCOMPLETE_NOTE, pairedTestsMarkdown, shownHitsTableMarkdown } from './statistics-markdown.js';
import type { StageTimings } from '../../session/session.js';
import type { EvalConfig } from '../eval-config.js';
import { shownRankOf, type EpisodeRecord } from '../episode-record.js';
import type { SearcherProfile, TokenUsage } from '../searcher.js';
import type { RunFolder } from '../run-folder.js';
import type { RealismKnobs } from '../realism.js';
import type { PackageVersions } from './package-versions.js';

export const RESULTS_FORMAT = 'mirage-eval-results/1';
/** The K of the headline table and chart (Hits@10 in the published protocol). */
export const HEADLINE_K = 10;
/** Every strategy is tested against the paper's method. */
export const BASELINE_STRATEGY = 'generative';
/** Resamples of targets for the paired bootstrap intervals. */
export const BOOTSTRAP_RESAMPLES = 2000;
const DEFAULT_REALISM: RealismKnobs = { perceptionNoise: null, captionNoise: 0, nearDuplicateRate: null };

export interface ResultsInput {
  readonly config: EvalConfig;
  readonly searcherId: string;
  readonly searcherProfile?: SearcherProfile;
  /** The run's sampled targets, in sample order. */
  readonly targets: readonly string[];
  /** Finished episodes; an interrupted run gives fewer than targets x strategies. */
  readonly episodes: readonly EpisodeRecord[];
  readonly versions: PackageVersions;
  /** The run's realism knobs; unknown ones are recorded as their defaults. */
  readonly realism?: RealismKnobs;
}

export interface StrategyTimings {
  readonly rounds: number;
  /** Mean milliseconds per round of each engine stage. */
  readonly meanStageMs: StageTimings;
  /** Mean wall time of an episode, searcher included. */
  readonly meanEpisodeMs: number;
}

export interface EpisodeResult {
  readonly target: string;
  readonly strategy: string;
  /** ranks[t]: the target's 0-based rank after round t. */
  readonly ranks: readonly number[];
  /** shownRanks[t]: the target's position among the hits shown after round t, or null when not shown. */
  readonly shownRanks: readonly (number | null)[];
  readonly queries: readonly string[];
  readonly searcherUsage?: TokenUsage;
}

/** The content of results.json. */
export interface EvalResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly config: EvalConfig;
  readonly searcher: string;
  /** The searcher's prompt set, model and sampling, and known deviations from the protocol it reproduces. */
  readonly searcherProfile?: SearcherProfile;
  readonly seed: number;
  readonly versions: PackageVersions;
  /** Every (target, strategy) episode finished. */
  readonly complete: boolean;
  readonly targets: readonly string[];
  /** Per strategy with at least one finished episode, in config order; Ks as in config.ks. */
  readonly metrics: Readonly<Record<string, StrategyMetrics>>;
  /**
   * Cumulative Hits@K counted on the hits actually shown (per strategy, Ks as in config.ks), beside
   * metrics' exact-rank Hits@K: they differ where the approximate index missed a target it ranks < K.
   */
  readonly shownHits: Readonly<Record<string, readonly ShownHitsAtK[]>>;
  /**
   * Paired bootstrap intervals and paired tests against BASELINE_STRATEGY; only for a complete
   * run, where every strategy faced every target.
   */
  readonly statistics?: PairedStatistics;
  readonly realism: RealismKnobs;
  readonly timings: Readonly<Record<string, StrategyTimings>>;
  readonly episodes: readonly EpisodeResult[];
}


export interface WrittenResults {
  readonly results: string;
  readonly table: string;
  readonly chartSvg: string;
  readonly chartPng: string;
  /** The K of the table and chart: HEADLINE_K, or the largest K of the run when 10 was not asked for. */
  readonly k: number;
  readonly metricsByStrategy: Readonly<Record<string, StrategyMetrics>>;
  readonly shownHits: EvalResults['shownHits'];
  readonly statistics?: PairedStatistics;
  readonly realism: RealismKnobs;
}

/** Builds the results.json content; pure, so a report can be recomputed from saved episodes. */
export function evalResults(input: ResultsInput): EvalResults {
  const { config, targets } = input;
  const byStrategy = groupByStrategy(input);
  if (byStrategy.size === 0) throw invalidInput('No episode of this run has finished yet; there is nothing to report.');
  const metrics: Record<string, StrategyMetrics> = {};
  const shownHits: Record<string, ShownHitsAtK[]> = {};
  const timings: Record<string, StrategyTimings> = {};
  for (const [strategy, episodes] of byStrategy) {
    metrics[strategy] = strategyMetrics(episodes.map(ranksOf), config.ks);
    shownHits[strategy] = config.ks.map((k) => ({ k, cumulativeHits: cumulativeShownHitsAtK(episodes.map(shownRanksOf), k) }));
    timings[strategy] = strategyTimings(episodes);
  }
  const complete = input.episodes.length === targets.length * config.strategies.length;
  const statistics = complete
    ? pairedStatistics(
        [...byStrategy].map(([strategy, episodes]) => ({ strategy, ranks: episodes.map(ranksOf), shown: episodes.map(shownRanksOf) })),
        { ks: config.ks, seed: config.seed, baseline: BASELINE_STRATEGY, resamples: BOOTSTRAP_RESAMPLES },
      )
    : undefined;
  return {
    format: RESULTS_FORMAT,
    config,
    searcher: input.searcherId,
    ...(input.searcherProfile ? { searcherProfile: input.searcherProfile } : {}),
    seed: config.seed,
    versions: input.versions,
    complete,
    targets,
    metrics,
    shownHits,
    ...(statistics ? { statistics } : {}),
    realism: input.realism ?? DEFAULT_REALISM,
    timings,
    episodes: input.episodes.map((e) => ({
      target: e.targetId,
      strategy: e.strategy,
      ranks: ranksOf(e),
      shownRanks: shownRanksOf(e),
      queries: e.rounds.map((r) => r.query),
      ...(e.searcherUsage ? { searcherUsage: e.searcherUsage } : {}),
    })),
  };
}

/**
 * Writes results.json, table.md (cumulative Hits@10 per round and strategy) and the Hits@10
 * chart as hits-at-10.svg and .png into the run folder; returns their paths.
 */
export async function writeResults(folder: RunFolder, input: ResultsInput): Promise<WrittenResults> {
  const results = evalResults(input);
  const ks = input.config.ks;
  const k = ks.includes(HEADLINE_K) ? HEADLINE_K : Math.max(...ks);
  const chart = await renderHitsChart(results.metrics, k, results.statistics?.intervals);
  const paths = {
    results: folder.path('results.json'),
    table: folder.path('table.md'),
    chartSvg: folder.path(`hits-at-${k}.svg`),
    chartPng: folder.path(`hits-at-${k}.png`),
  };
  await writeFileAtomic(paths.results, JSON.stringify(results, null, 2) + '\n');
  const tables = [
    hitsTableMarkdown(results.metrics, k, results.statistics?.intervals),
    shownHitsTableMarkdown(results.metrics, results.shownHits, k),
    results.statistics ? pairedTestsMarkdown(results.statistics, results.metrics, k) : INCOMPLETE_NOTE,
  ];
  await writeFile(paths.table, tables.join('\n\n') + '\n');
  await writeFile(paths.chartSvg, chart.svg);
  await writeFile(paths.chartPng, chart.png);
  return {
    ...paths,
    k,
    metricsByStrategy: results.metrics,
    shownHits: results.shownHits,
    ...(results.statistics ? { statistics: results.statistics } : {}),
    realism: results.realism,
  };
}

const ranksOf = (e: EpisodeRecord) => e.rounds.map((r) => r.rank);
/** Records written before shown ranks were kept still hold the shown hits, so theirs are recovered. */
const shownRanksOf = (e: EpisodeRecord) => e.rounds.map((r) => r.shownRank ?? shownRankOf(r.hits, e.targetId));

/** Episodes per strategy (config order), each list in target sample order. */
function groupByStrategy({ config, targets, episodes }: ResultsInput): Map<string, EpisodeRecord[]> {
  const position = new Map(targets.map((id, i) => [id, i]));
  const groups = new Map<string, EpisodeRecord[]>();
  for (const strategy of config.strategies) {
    const own = episodes.filter((e) => e.strategy === strategy);
    const stray = own.find((e) => !position.has(e.targetId));
    if (stray) throw invalidInput(`Episode target "${stray.targetId}" is not among the run's sampled targets.`);
    own.sort((a, b) => (position.get(a.targetId) ?? 0) - (position.get(b.targetId) ?? 0));
    if (own.length > 0) groups.set(strategy, own);
  }
  return groups;
}

function strategyTimings(episodes: readonly EpisodeRecord[]): StrategyTimings {
  const rounds = episodes.flatMap((e) => e.rounds);
  const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  return {
    rounds: rounds.length,
    meanStageMs: {
      generate: mean(rounds.map((r) => r.timings.generate)),
      embed: mean(rounds.map((r) => r.timings.embed)),
      search: mean(rounds.map((r) => r.timings.search)),
      total: mean(rounds.map((r) => r.timings.total)),
    },
    meanEpisodeMs: mean(episodes.map((e) => e.wallMs)),
  };
}
