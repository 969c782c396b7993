import { compareHitsAtK } from '../../metrics/hits-comparison.js';
import type { StrategyMetrics } from '../../metrics/strategy-metrics.js';

/**
 * Markdown table of cumulative Hits@K: one row per round 0..T, one column per strategy (in the
 * record's key order), cells in percent with one decimal. Numbers are right-aligned so columns
 * of percentages compare at a glance in rendered Markdown.
 */
export function hitsTableMarkdown(metricsByStrategy: Readonly<Record<string, StrategyMetrics>>, k = 10): string {
  const { curves, rounds } = compareHitsAtK(metricsByStrategy, k);
  const header = [`Round (cumulative Hits@${k}, %)`, ...curves.map((c) => escapeCell(c.strategy))];
  const align = ['---', ...curves.map(() => '---:')];
  const rows = Array.from({ length: rounds + 1 }, (_, t) => [
    String(t),
    ...curves.map((c) => ((c.hits[t] ?? 0) * 100).toFixed(1)),
  ]);
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A strategy name containing `|` or a line break would otherwise split or end the row. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
