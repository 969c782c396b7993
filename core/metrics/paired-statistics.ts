import { invalidInput } from '../errors.js';
import { bestRanksSoFar } from './best-rank.js';
import { mcnemarExactP, twoSidedBinomialP } from './binomial-test.js';
import { bootstrapMeanInterval, bootstrapResamples, percentileInterval, resampledMeans, type Interval } from './bootstrap.js';
import { targetBri } from './bri.js';
import { validateK, validateRanks, type RankMatrix } from './rank-matrix.js';
import type { ShownRankMatrix } from './shown-hits.js';

/** One strategy's ranks in the run's target order; row i of every strategy is the same target. */
export interface PairedRanks {
  readonly strategy: string;
  readonly ranks: RankMatrix;
  /** Positions among the hits shown, when recorded (see shown-hits.ts). */
  readonly shown?: ShownRankMatrix;
}

export interface PairedStatisticsOptions {
  readonly ks: readonly number[];
  /** Resamples of targets; 2,000 by default. */
  readonly resamples?: number;
  readonly seed: number;
  /** 0.95 by default. */
  readonly level?: number;
  /** The strategy every other one is tested against; skipped when it was not run. */
  readonly baseline: string;
  /** Significance level of the paired tests; 0.05 by default. */
  readonly alpha?: number;
}

/** Bootstrap intervals of one strategy's metrics, fractions like the metrics themselves. */
export interface StrategyIntervals {
  readonly bri: Interval;
  readonly atK: readonly {
    readonly k: number;
    /** One interval per round 0..T. */
    readonly cumulativeHits: readonly Interval[];
    readonly shownCumulativeHits?: readonly Interval[];
  }[];
}

/** A strategy against the baseline at one K, on the same targets. */
export interface PairedComparison {
  readonly strategy: string;
  readonly baseline: string;
  readonly k: number;
  /** The round T the found-by-round counts refer to (the last one). */
  readonly round: number;
  /** Found by round T (cumulative hit): by both, by the strategy only, by the baseline only, by neither. */
  readonly found: { readonly both: number; readonly strategyOnly: number; readonly baselineOnly: number; readonly neither: number };
  /** Exact McNemar p-value on the discordant pairs. */
  readonly mcnemarP: number;
  /** Rounds to success (never = T + 1), target by target; ties drop out of the sign test. */
  readonly roundsToSuccess: { readonly strategyFaster: number; readonly baselineFaster: number; readonly ties: number; readonly signTestP: number };
  /** Cumulative Hits@K at round T, strategy minus baseline (fraction), with its paired bootstrap interval. */
  readonly hitsDifference: { readonly estimate: number; readonly interval: Interval };
  /** BRI, strategy minus baseline (negative: the strategy is better), with its paired bootstrap interval. */
  readonly briDifference: { readonly estimate: number; readonly interval: Interval };
  /** False when neither paired test rejects at alpha: the difference is within noise. */
  readonly distinguishable: boolean;
}

export interface PairedStatistics {
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
  readonly alpha: number;
  readonly baseline: string;
  readonly targets: number;
  readonly intervals: Readonly<Record<string, StrategyIntervals>>;
  readonly comparisons: readonly PairedComparison[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** 1 when the target's best rank so far is < K at round t, else 0. */
const foundByRound = (ranks: RankMatrix, k: number, t: number) => ranks.map((row) => ((bestRanksSoFar(row)[t] ?? Infinity) < k ? 1 : 0));

/** First round with rank < K; never found counts as T + 1, slower than any success. */
const roundsToFirstHit = (ranks: RankMatrix, k: number) =>
  ranks.map((row) => {
    const t = row.findIndex((rank) => rank < k);
    return t === -1 ? row.length : t;
  });

/**
 * Paired bootstrap intervals and paired tests of a run whose strategies all faced the same
 * targets (same searcher memory and session seeds too; see episode-seeds.ts). One set of
 * resampled target indices, drawn with `seed`, serves every strategy and every statistic, so
 * intervals of differences keep the pairing.
 */
export function pairedStatistics(runs: readonly PairedRanks[], options: PairedStatisticsOptions): PairedStatistics {
  const first = runs[0];
  if (!first) throw invalidInput('Paired statistics need at least one strategy.');
  const roundCount = validateRanks(first.ranks);
  const targets = first.ranks.length;
  for (const run of runs) {
    if (validateRanks(run.ranks) !== roundCount || run.ranks.length !== targets) {
      throw invalidInput(`Paired statistics need the same targets and rounds for every strategy; "${run.strategy}" differs from "${first.strategy}".`);
    }
    if (run.shown && (run.shown.length !== targets || run.shown.some((row) => row.length !== roundCount))) {
      throw invalidInput(`The shown ranks of "${run.strategy}" do not line up with its ranks.`);
    }
  }
  options.ks.forEach(validateK);
  const level = options.level ?? 0.95;
  const alpha = options.alpha ?? 0.05;
  const resampleCount = options.resamples ?? 2000;
  const resamples = bootstrapResamples(targets, resampleCount, options.seed);
  const lastRound = roundCount - 1;
  const rounds = Array.from({ length: roundCount }, (_, t) => t);

  const intervals: Record<string, StrategyIntervals> = {};
  for (const run of runs) {
    const shown = run.shown;
    intervals[run.strategy] = {
      bri: bootstrapMeanInterval(run.ranks.map(targetBri), resamples, level),
      atK: options.ks.map((k) => ({
        k,
        cumulativeHits: rounds.map((t) => bootstrapMeanInterval(foundByRound(run.ranks, k, t), resamples, level)),
        ...(shown ? { shownCumulativeHits: rounds.map((t) => bootstrapMeanInterval(shownFoundByRound(shown, k, t), resamples, level)) } : {}),
      })),
    };
  }

  const baseline = runs.find((r) => r.strategy === options.baseline);
  const comparisons: PairedComparison[] = [];
  if (baseline) {
    for (const run of runs) {
      if (run === baseline) continue;
      for (const k of options.ks) comparisons.push(compare(run, baseline, k, lastRound, { resamples, level, alpha }));
    }
  }
  return { level, resamples: resampleCount, seed: options.seed, alpha, baseline: options.baseline, targets, intervals, comparisons };
}

/** 1 when the target was among the first K shown hits at some round <= t, else 0. */
function shownFoundByRound(shown: ShownRankMatrix, k: number, t: number): number[] {
  return shown.map((row) => (row.slice(0, t + 1).some((position) => position !== null && position < k) ? 1 : 0));
}

function compare(
  run: PairedRanks,
  baseline: PairedRanks,
  k: number,
  round: number,
  settings: { resamples: readonly Uint32Array[]; level: number; alpha: number },
): PairedComparison {
  const mine = foundByRound(run.ranks, k, round);
  const theirs = foundByRound(baseline.ranks, k, round);
  const found = { both: 0, strategyOnly: 0, baselineOnly: 0, neither: 0 };
  mine.forEach((m, i) => {
    const b = theirs[i] ?? 0;
    if (m && b) found.both++;
    else if (m) found.strategyOnly++;
    else if (b) found.baselineOnly++;
    else found.neither++;
  });
  const mcnemarP = mcnemarExactP(found.strategyOnly, found.baselineOnly);

  const myRounds = roundsToFirstHit(run.ranks, k);
  const theirRounds = roundsToFirstHit(baseline.ranks, k);
  let strategyFaster = 0;
  let baselineFaster = 0;
  myRounds.forEach((r, i) => {
    const b = theirRounds[i] ?? r;
    if (r < b) strategyFaster++;
    else if (r > b) baselineFaster++;
  });
  const ties = myRounds.length - strategyFaster - baselineFaster;
  const signTestP = twoSidedBinomialP(strategyFaster, strategyFaster + baselineFaster);

  const hitDiffs = mine.map((m, i) => m - (theirs[i] ?? 0));
  const briDiffs = run.ranks.map((row, i) => targetBri(row) - targetBri(baseline.ranks[i] ?? row));
  return {
    strategy: run.strategy,
    baseline: baseline.strategy,
    k,
    round,
    found,
    mcnemarP,
    roundsToSuccess: { strategyFaster, baselineFaster, ties, signTestP },
    hitsDifference: { estimate: mean(hitDiffs), interval: percentileInterval(resampledMeans(hitDiffs, settings.resamples), settings.level) },
    briDifference: { estimate: mean(briDiffs), interval: percentileInterval(resampledMeans(briDiffs, settings.resamples), settings.level) },
    distinguishable: mcnemarP < settings.alpha || signTestP < settings.alpha,
  };
}
