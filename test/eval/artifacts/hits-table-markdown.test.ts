import { describe, expect, it } from 'vitest';
import { strategyMetrics } from '../../../core/metrics/strategy-metrics.js';
import { hitsTableMarkdown } from '../../../core/eval/artifacts/hits-table-markdown.js';

// generative [[0,0],[7,2],[12,9]]: Hits@10 round 0 -> ranks 0,7 < 10 -> 2/3 = 66.7 %;
//   round 1 -> best 0,2,9 all < 10 -> 3/3 = 100.0 %. Hits@1: A only -> 33.3 %, 33.3 %.
// text [[20,9],[30,30],[40,40],[50,50]]: Hits@10 round 0 -> none = 0.0 %; round 1 -> 9 < 10 -> 1/4 = 25.0 %.
//   Hits@1: none -> 0.0 %, 0.0 %.
const METRICS = {
  generative: strategyMetrics([[0, 0], [7, 2], [12, 9]]),
  text: strategyMetrics([[20, 9], [30, 30], [40, 40], [50, 50]]),
};

describe('hitsTableMarkdown', () => {
  it('has one row per round, one column per strategy, percentages with one decimal', () => {
    expect(hitsTableMarkdown(METRICS)).toBe(
      [
        '| Round (cumulative Hits@10, %) | generative | text |',
        '| --- | ---: | ---: |',
        '| 0 | 66.7 | 0.0 |',
        '| 1 | 100.0 | 25.0 |',
      ].join('\n'),
    );
  });

  it('names the K it shows and uses that K\'s values', () => {
    expect(hitsTableMarkdown(METRICS, 1)).toBe(
      [
        '| Round (cumulative Hits@1, %) | generative | text |',
        '| --- | ---: | ---: |',
        '| 0 | 33.3 | 0.0 |',
        '| 1 | 33.3 | 0.0 |',
      ].join('\n'),
    );
  });

  it('escapes a | in a strategy name so the row keeps its columns', () => {
    const table = hitsTableMarkdown({ 'a|b': strategyMetrics([[0]]) });
    expect(table.split('\n')[0]).toBe('| Round (cumulative Hits@10, %) | a\\|b |');
    expect(table.split('\n')[2]).toBe('| 0 | 100.0 |');
  });

  it('rejects a K that was not computed and strategies with different round counts', () => {
    expect(() => hitsTableMarkdown(METRICS, 3)).toThrow(/Hits@3 was not computed/);
    expect(() => hitsTableMarkdown({ a: strategyMetrics([[0, 1]]), b: strategyMetrics([[0]]) })).toThrow(
      /share the number of rounds/,
    );
  });
});
