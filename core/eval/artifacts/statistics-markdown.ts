import type { PairedComparison, PairedStatistics } from '../../metrics/paired-statistics.js';
import { metricsAtK, type StrategyMetrics } from '../../metrics/strategy-metrics.js';
import type { ShownHitsAtK } from '../../metrics/shown-hits.js';
import { escapeCell, markdownTable, withInterval } from './hits-table-markdown.js';

/** Said instead of the paired tests when strategies did not all finish every target. */
export const INCOMPLETE_NOTE = 'The run is incomplete: intervals and paired tests need every strategy on every target; resume it to get them.';

/**
 * Cumulative Hits@K two ways, per round and strategy: by the exact rank over the whole archive,
 * and by the hits actually shown to the searcher (which, from 2,000 images up, come from the
 * approximate index and can miss a target the exact ranking puts < K).
 */
export function shownHitsTableMarkdown(
  metricsByStrategy: Readonly<Record<string, StrategyMetrics>>,
  shownHits: Readonly<Record<string, readonly ShownHitsAtK[]>>,
  k: number,
): string {
  const strategies = Object.keys(metricsByStrategy);
  const rounds = Math.max(...strategies.map((s) => metricsByStrategy[s]?.rounds ?? 0));
  const header = [`Round (cumulative Hits@${k}, %: exact rank / shown)`, ...strategies.map(escapeCell)];
  const rows = Array.from({ length: rounds + 1 }, (_, t) => [
    String(t),
    ...strategies.map((s) => {
      const metrics = metricsByStrategy[s];
      const exact = metrics ? metricsAtK(metrics, k).cumulativeHits[t] : undefined;
      const shown = shownHits[s]?.find((h) => h.k === k)?.cumulativeHits[t];
      return `${exact === undefined ? '' : withInterval(exact)} / ${shown === undefined ? '' : withInterval(shown)}`;
    }),
  ]);
  return markdownTable([header, ['---', ...strategies.map(() => '---:')], ...rows]);
}

const formatP = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

const signed = (x: number, digits: number) => `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;

/**
 * "within noise", or how the strategy differs from the baseline beyond it, naming the evidence:
 * more or fewer targets found by round T (McNemar), else faster or slower to find them (sign test).
 */
function verdict(c: PairedComparison, alpha: number): string {
  if (!c.distinguishable) return 'within noise';
  if (c.mcnemarP < alpha) return `${c.found.strategyOnly > c.found.baselineOnly ? 'more' : 'fewer'} found than ${c.baseline}`;
  const faster = c.roundsToSuccess.strategyFaster > c.roundsToSuccess.baselineFaster;
  return `${faster ? 'faster' : 'slower'} than ${c.baseline} (found-by-round-${c.round} within noise)`;
}

/**
 * The paired comparison at the last round and K: per strategy its Hits@K and BRI with 95%
 * intervals, the difference to the baseline with its paired interval, the exact McNemar test on
 * found-by-round-T, the sign test on rounds to success, and a plain verdict; then one sentence
 * saying which differences are within noise.
 */
export function pairedTestsMarkdown(
  stats: PairedStatistics,
  metricsByStrategy: Readonly<Record<string, StrategyMetrics>>,
  k: number,
): string {
  const { title, header, rows, sentence } = pairedTestsTable(stats, metricsByStrategy, k);
  const table = markdownTable([header, ['---', ...header.slice(1).map(() => '---:')], ...rows.map((r) => [escapeCell(r[0] ?? ''), ...r.slice(1)])]);
  return [title, '', table, '', sentence].join('\n');
}

/** The paired comparison as plain cells (unescaped), for Markdown and HTML alike. */
export interface PairedTestsTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Which differences are within noise, in one sentence. */
  readonly sentence: string;
}

export function pairedTestsTable(
  stats: PairedStatistics,
  metricsByStrategy: Readonly<Record<string, StrategyMetrics>>,
  k: number,
): PairedTestsTable {
  const strategies = Object.keys(metricsByStrategy);
  const comparisons = stats.comparisons.filter((c) => c.k === k);
  const round = Math.max(...strategies.map((s) => metricsByStrategy[s]?.rounds ?? 0));
  const header = [
    'Strategy',
    `Hits@${k} at round ${round} (%) [95% CI]`,
    `Difference to ${stats.baseline} (points) [95% CI]`,
    `Found only by it / only by ${stats.baseline}`,
    'McNemar p',
    'Faster / slower (rounds to success)',
    'Sign test p',
    'BRI [95% CI] (lower is better)',
    'Verdict',
  ];
  const rows = strategies.map((s) => {
    const metrics = metricsByStrategy[s] as StrategyMetrics;
    const intervals = stats.intervals[s];
    const hits = withInterval(metricsAtK(metrics, k).cumulativeHits[round] ?? 0, intervals?.atK.find((a) => a.k === k)?.cumulativeHits[round]);
    const bri = withInterval(metrics.bri, intervals?.bri, 1, 3);
    const c = comparisons.find((x) => x.strategy === s);
    if (!c) return [s, hits, '—', '—', '—', '—', '—', bri, s === stats.baseline ? 'baseline' : '—'];
    const d = c.hitsDifference;
    return [
      s,
      hits,
      `${signed(d.estimate * 100, 1)} [${signed(d.interval.lower * 100, 1)}, ${signed(d.interval.upper * 100, 1)}]`,
      `${c.found.strategyOnly} / ${c.found.baselineOnly}`,
      formatP(c.mcnemarP),
      `${c.roundsToSuccess.strategyFaster} / ${c.roundsToSuccess.baselineFaster}`,
      formatP(c.roundsToSuccess.signTestP),
      bri,
      verdict(c, stats.alpha),
    ];
  });
  const title = `Paired comparison with ${stats.baseline} at round ${round} (Hits@${k}; ${stats.targets} targets, the same for every strategy; ${stats.resamples.toLocaleString('en')} bootstrap resamples of targets, seed ${stats.seed}):`;
  return { title, header, rows, sentence: noiseSentence(comparisons, stats, round, k) };
}

function noiseSentence(comparisons: readonly PairedComparison[], stats: PairedStatistics, round: number, k: number): string {
  const rule = `exact McNemar test on found-by-round-${round} and sign test on rounds to success, α = ${stats.alpha}, not corrected for multiple comparisons`;
  if (comparisons.length === 0) return `No paired tests: ${stats.baseline} was not run.`;
  const noisy = comparisons.filter((c) => !c.distinguishable).map((c) => c.strategy);
  const beyond = comparisons.filter((c) => c.distinguishable).map((c) => `${c.strategy} (${verdict(c, stats.alpha)})`);
  if (beyond.length === 0) {
    return `Within noise: no strategy's Hits@${k} or rounds to success differs from ${stats.baseline}'s beyond chance at this number of targets (${rule}).`;
  }
  const within = noisy.length > 0 ? `Within noise: ${noisy.join(', ')}. ` : '';
  return `${within}Beyond noise: ${beyond.join(', ')} (${rule}).`;
}
