import { describe, expect, it } from 'vitest';
import { pairedTestsMarkdown, shownHitsTableMarkdown } from '../../../core/eval/artifacts/statistics-markdown.js';
import { pairedStatistics } from '../../../core/metrics/paired-statistics.js';
import { strategyMetrics } from '../../../core/metrics/strategy-metrics.js';

const table = (byStrategy: Record<string, number[][]>) => {
  const runs = Object.entries(byStrategy).map(([strategy, ranks]) => ({ strategy, ranks }));
  const stats = pairedStatistics(runs, { ks: [10], seed: 1, baseline: 'generative', resamples: 200 });
  const metrics = Object.fromEntries(runs.map((r) => [r.strategy, strategyMetrics(r.ranks, [10])]));
  return pairedTestsMarkdown(stats, metrics, 10);
};

describe('paired tests in table.md', () => {
  it('six targets found by the strategy only: McNemar p = 2/64 = 0.031, "more found"', () => {
    const text = table({
      generative: Array.from({ length: 8 }, () => [50, 50]),
      prediction: [...Array.from({ length: 6 }, () => [50, 4]), [50, 50], [50, 50]],
    });
    expect(text).toContain('| prediction | 75.0 [');
    expect(text).toContain('| 6 / 0 | 0.031 | 6 / 0 | 0.031 |');
    expect(text).toContain('| more found than generative |');
    expect(text).toContain('Beyond noise: prediction (more found than generative)');
    expect(text).toContain('8 targets, the same for every strategy; 200 bootstrap resamples');
  });

  it('all found by round 1 but six a round sooner: only the sign test rejects, and the verdict says which', () => {
    const text = table({
      generative: Array.from({ length: 6 }, () => [50, 3]),
      text: Array.from({ length: 6 }, () => [3, 3]),
    });
    expect(text).toContain('| 0 / 0 | 1.000 | 6 / 0 | 0.031 |');
    expect(text).toContain('| faster than generative (found-by-round-1 within noise) |');
  });

  it('says plainly when every difference is within noise', () => {
    const text = table({ generative: [[0, 0], [50, 50]], verbal: [[50, 50], [0, 0]] });
    expect(text).toContain('| within noise |');
    expect(text).toMatch(/Within noise: no strategy's Hits@10 or rounds to success differs from generative's beyond chance/);
  });
});

describe('exact-rank / shown table', () => {
  it('puts both per round and strategy', () => {
    const metrics = { generative: strategyMetrics([[3, 0], [20, 20]], [10]) };
    const shown = { generative: [{ k: 10, cumulativeHits: [0, 0.5] }] };
    expect(shownHitsTableMarkdown(metrics, shown, 10).split('\n')).toEqual([
      '| Round (cumulative Hits@10, %: exact rank / shown) | generative |',
      '| --- | ---: |',
      '| 0 | 50.0 / 0.0 |',
      '| 1 | 50.0 / 50.0 |',
    ]);
  });
});
