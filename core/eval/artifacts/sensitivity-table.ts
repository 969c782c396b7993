import { metricsAtK } from '../../metrics/strategy-metrics.js';
import type { RealismKnobs } from '../realism.js';
import { escapeCell, markdownTable, withInterval } from './hits-table-markdown.js';
import type { EvalResults } from './results.js';

/** One point of a realism sensitivity grid: the knob moved away from its default, and the run's results. */
export interface SensitivityPoint {
  /** Which knob this point moves ('default' for the unmoved world and searcher). */
  readonly knob: keyof RealismKnobs | 'default';
  readonly results: Pick<EvalResults, 'metrics' | 'statistics' | 'realism'>;
}

const KNOB_LABELS: Readonly<Record<SensitivityPoint['knob'], string>> = {
  default: 'defaults',
  perceptionNoise: 'perception noise',
  captionNoise: 'caption noise (verbal)',
  nearDuplicateRate: 'near-duplicate rate',
};

/**
 * The realism sensitivity table: one row per grid point (the knob moved and the three knob values
 * of that run), one column per strategy with its cumulative Hits@K at the last round and its 95%
 * paired bootstrap interval. A diagnostic of how far the headline numbers depend on the
 * simulation being perfect; nothing is tuned from it.
 */
export function sensitivityTableMarkdown(points: readonly SensitivityPoint[], k: number): string {
  const strategies = [...new Set(points.flatMap((p) => Object.keys(p.results.metrics)))];
  const header = ['Knob moved', 'Perception noise', 'Caption noise', 'Near-duplicate rate', ...strategies.map(escapeCell)];
  const rows = points.map(({ knob, results }) => {
    const { realism } = results;
    const show = (value: number | null) => (value === null ? 'n/a' : String(value));
    return [
      KNOB_LABELS[knob],
      show(realism.perceptionNoise),
      show(realism.captionNoise),
      show(realism.nearDuplicateRate),
      ...strategies.map((s) => {
        const metrics = results.metrics[s];
        if (!metrics) return '';
        const last = metrics.rounds;
        const interval = results.statistics?.intervals[s]?.atK.find((a) => a.k === k)?.cumulativeHits[last];
        return withInterval(metricsAtK(metrics, k).cumulativeHits[last] ?? 0, interval);
      }),
    ];
  });
  const rounds = Math.max(0, ...points.flatMap((p) => Object.values(p.results.metrics).map((m) => m.rounds)));
  return [
    `Realism sensitivity: cumulative Hits@${k} at round ${rounds} (%, 95% paired bootstrap interval), one knob moved at a time from the defaults.`,
    '',
    markdownTable([header, ['---', '---:', '---:', '---:', ...strategies.map(() => '---:')], ...rows]),
  ].join('\n');
}
