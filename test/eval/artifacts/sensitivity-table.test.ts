import { describe, expect, it } from 'vitest';
import { sensitivityTableMarkdown } from '../../../core/eval/artifacts/sensitivity-table.js';
import { pairedStatistics } from '../../../core/metrics/paired-statistics.js';
import { strategyMetrics } from '../../../core/metrics/strategy-metrics.js';

// Default point: generative [[3, 0], [20, 20]] -> Hits@10 at round 1 = 1/2 = 50.0 %;
//                text       [[30, 30], [0, 0]] -> 50.0 %.
// Caption noise point: generative the same, text [[30, 30], [40, 40]] -> 0.0 %, interval [0, 0].
const ranks = { generative: [[3, 0], [20, 20]], text: [[30, 30], [0, 0]] };
const noisyText = [[30, 30], [40, 40]];
const run = (byStrategy: Record<string, number[][]>) => ({
  metrics: Object.fromEntries(Object.entries(byStrategy).map(([s, r]) => [s, strategyMetrics(r)])),
  statistics: pairedStatistics(
    Object.entries(byStrategy).map(([strategy, r]) => ({ strategy, ranks: r })),
    { ks: [10], seed: 1, baseline: 'generative', resamples: 200 },
  ),
});

describe('sensitivityTableMarkdown', () => {
  it('one row per grid point with its knob values, one column per strategy with Hits@K and its interval', () => {
    const table = sensitivityTableMarkdown(
      [
        { knob: 'default', results: { ...run(ranks), realism: { perceptionNoise: 0, captionNoise: 0, nearDuplicateRate: 0.4 } } },
        { knob: 'captionNoise', results: { ...run({ ...ranks, text: noisyText }), realism: { perceptionNoise: 0, captionNoise: 0.3, nearDuplicateRate: 0.4 } } },
      ],
      10,
    );
    const lines = table.split('\n');
    expect(lines[0]).toContain('Hits@10 at round 1');
    expect(lines[2]).toBe('| Knob moved | Perception noise | Caption noise | Near-duplicate rate | generative | text |');
    expect(lines[4]).toMatch(/^\| defaults \| 0 \| 0 \| 0\.4 \| 50\.0 \[0\.0, 100\.0\] \| 50\.0 \[0\.0, 100\.0\] \|$/);
    expect(lines[5]).toMatch(/^\| caption noise \(verbal\) \| 0 \| 0\.3 \| 0\.4 \| 50\.0 \[0\.0, 100\.0\] \| 0\.0 \[0\.0, 0\.0\] \|$/);
  });
});
