import { compareHitsAtK } from '../../metrics/hits-comparison.js';
import type { Interval } from '../../metrics/bootstrap.js';
import type { StrategyIntervals } from '../../metrics/paired-statistics.js';
import type { StrategyMetrics } from '../../metrics/strategy-metrics.js';

/**
 * Markdown table of cumulative Hits@K: one row per round 0..T, one column per strategy (in the
 * record's key order), cells in percent with one decimal, followed by the 95% bootstrap interval
 * when intervals are given ("90.0 [85.5, 94.0]"). Numbers are right-aligned so columns of
 * percentages compare at a glance in rendered Markdown.
 */
export function hitsTableMarkdown(
  metricsByStrategy: Readonly<Record<string, StrategyMetrics>>,
  k = 10,
  intervals?: Readonly<Record<string, StrategyIntervals>>,
): string {
  const { curves, rounds } = compareHitsAtK(metricsByStrategy, k);
  const header = [`Round (cumulative Hits@${k}, %${intervals ? ', 95% CI' : ''})`, ...curves.map((c) => escapeCell(c.strategy))];
  const align = ['---', ...curves.map(() => '---:')];
  const rows = Array.from({ length: rounds + 1 }, (_, t) => [
    String(t),
    ...curves.map((c) => {
      const interval = intervals?.[c.strategy]?.atK.find((a) => a.k === k)?.cumulativeHits[t];
      return withInterval(c.hits[t] ?? 0, interval);
    }),
  ]);
  return markdownTable([header, align, ...rows]);
}

/** A fraction as a percentage with one decimal, and its interval when there is one. */
export function withInterval(fraction: number, interval?: Interval, scale = 100, digits = 1): string {
  const f = (x: number) => (x * scale).toFixed(digits);
  return interval ? `${f(fraction)} [${f(interval.lower)}, ${f(interval.upper)}]` : f(fraction);
}

export function markdownTable(rows: readonly (readonly string[])[]): string {
  return rows.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A strategy name containing `|` or a line break would otherwise split or end the row. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
