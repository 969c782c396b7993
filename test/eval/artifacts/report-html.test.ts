import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../core/eval/artifacts/report-html.js';
import type { CapturedRound, ReportIndex } from '../../../core/eval/artifacts/report-index.js';
import type { WrittenResults } from '../../../core/eval/artifacts/results.js';
import { evalConfigSchema } from '../../../core/eval/eval-config.js';
import { RunFolder } from '../../../core/eval/run-folder.js';
import { pairedStatistics } from '../../../core/metrics/paired-statistics.js';
import { strategyMetrics } from '../../../core/metrics/strategy-metrics.js';

const HOSTILE_QUERY = 'a red car</p><script>alert("pwned")</script> & <img src=x onerror=alert(1)>';
const HOSTILE_ID = 'img" onerror="alert(2)';
const folder = new RunFolder('/runs/r1');
const config = evalConfigSchema.parse({ archive: 'world', strategies: ['generative', 'verbal'], targets: 1, rounds: 1 });

const round = (strategy: string, t: number, extra: Partial<CapturedRound>): CapturedRound => ({
  target: HOSTILE_ID,
  strategy,
  round: t,
  query: `query ${strategy} ${t}`,
  rank: 40,
  hits: [{ id: 'h1', score: 0.9 }],
  hitsSheet: `report/t/${strategy}/round-0${t}-hits.png`,
  feedback: { kind: 'none' },
  ...extra,
});

const captured: ReportIndex = {
  targets: [
    {
      id: HOSTILE_ID,
      order: 0,
      image: 'report/img_onerror_alert_2-abc/target.png',
      strategies: {
        generative: [
          round('generative', 0, { query: HOSTILE_QUERY, rank: 3, feedback: { kind: 'synthetic', images: ['report/t/generative/round-00-synthetic-0.png'] } }),
          round('generative', 1, {}),
        ],
        verbal: [
          round('verbal', 0, { feedback: { kind: 'question', attribute: 'time<b>', text: 'Is it <i>night</i>?' } }),
          round('verbal', 1, { hitsSheet: undefined, hits: [] }),
        ],
      },
    },
  ],
};

// Cumulative Hits@10 by hand: generative ranks [[3, 0]] -> 100, 100; verbal [[40, 12]] -> 0, 0.
// Shown: generative's target was not among the hits shown at round 0 (the approximate index
// missed it), only at round 1 -> 0, 100.
const results: WrittenResults = {
  results: '/runs/r1/results.json',
  table: '/runs/r1/table.md',
  chartSvg: '/runs/r1/hits-at-10.svg',
  chartPng: '/runs/r1/hits-at-10.png',
  k: 10,
  metricsByStrategy: { generative: strategyMetrics([[3, 0]]), verbal: strategyMetrics([[40, 12]]) },
  shownHits: { generative: [{ k: 10, cumulativeHits: [0, 1] }], verbal: [{ k: 10, cumulativeHits: [0, 0] }] },
  statistics: pairedStatistics(
    [
      { strategy: 'generative', ranks: [[3, 0]] },
      { strategy: 'verbal', ranks: [[40, 12]] },
    ],
    { ks: [1, 5, 10], seed: 1, baseline: 'generative', resamples: 100 },
  ),
  realism: { perceptionNoise: 0, captionNoise: 0.1, nearDuplicateRate: 0.4 },
};

const html = renderReportHtml(folder, { config, searcherId: 'scripted<x>', results, captured });

describe('renderReportHtml', () => {
  it('escapes queries, ids, questions and searcher names instead of emitting their markup', () => {
    expect(html).not.toMatch(/<script/i);
    // Every attribute of every tag is one the writer emits: nothing injected an event handler.
    const tags = [...html.matchAll(/<[a-z][a-z0-9]*((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/gi)].map((m) => m[1] ?? '');
    const attributes = new Set(tags.flatMap((t) => [...t.matchAll(/\s+([a-z-]+)(?:="[^"]*")?/giy)].map((m) => m[1])));
    expect([...attributes].sort()).toEqual(['alt', 'charset', 'class', 'content', 'href', 'lang', 'name', 'src']);
    // And every tag parsed whole, so no quote in an attribute value broke out of it.
    expect(html.match(/<[a-z]/gi)?.length).toBe(tags.length);
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('a red car&lt;/p&gt;&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Is it &lt;i&gt;night&lt;/i&gt;?');
    expect(html).toContain('scripted&lt;x&gt;');
    expect(html).toContain('<code>img&quot; onerror=&quot;alert(2)</code>');
  });

  it('links files relative to the run folder', () => {
    const links = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual([
      'results.json',
      'table.md',
      'hits-at-10.svg',
      'hits-at-10.png',
      'report/img_onerror_alert_2-abc/target.png',
      'report/t/generative/round-00-synthetic-0.png',
      'report/t/generative/round-00-hits.png',
      'report/t/verbal/round-00-hits.png',
      'report/t/generative/round-01-hits.png',
    ]);
  });

  it('shows rounds as rows and strategies as columns, with each round\'s query and feedback', () => {
    const section = html.slice(html.indexOf('<section class="target">'));
    const rows = [...section.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => m[1] ?? '');
    expect(rows[0]).toBe('<th>Round</th><th>generative</th><th>verbal</th>');
    expect(rows[1]?.startsWith('<th>0</th>')).toBe(true);
    expect(rows[1]?.indexOf('round-00-synthetic-0.png')).toBeLessThan(rows[1]?.indexOf('Question (time&lt;b&gt;)') ?? -1);
    expect(rows[2]?.startsWith('<th>1</th>')).toBe(true);
    expect(rows[2]).toContain('query verbal 1');
    expect(rows[2]).toContain('No hits.');
    // Rank 3 (shown 1-based) is inside the top 10; rank 40 is not.
    expect(rows[1]).toContain('<p class="rank found">Target at #4</p>');
    expect(rows[1]).toContain('<p class="rank">Target at #41</p>');
  });

  it('tabulates cumulative Hits@10 per round, exact with its interval and shown, and the last-round summary', () => {
    // One target: every bootstrap resample is that target, so the intervals are points.
    expect(html).toContain(
      '<tr><td class="num">0</td><td class="num">100.0 [100.0, 100.0]</td><td class="num">0.0</td><td class="num">0.0 [0.0, 0.0]</td><td class="num">0.0</td></tr>',
    );
    expect(html).toContain(
      '<tr><td class="num">1</td><td class="num">100.0 [100.0, 100.0]</td><td class="num">100.0</td><td class="num">0.0 [0.0, 0.0]</td><td class="num">0.0</td></tr>',
    );
    // Summary row: 1 target, Hits@1/5/10 at round 1, BRI, mean and median rank at round 1.
    const bri = strategyMetrics([[40, 12]]).bri.toFixed(3);
    expect(html).toContain(`<tr><th>verbal</th><td class="num">1</td><td class="num">0.0</td><td class="num">0.0</td><td class="num">0.0</td><td class="num">${bri}</td><td class="num">12.0</td><td class="num">12.0</td></tr>`);
  });

  it('shows the paired comparison with generative and says plainly when it is within noise', () => {
    // One discordant pair (found by generative only): McNemar p = 1.
    expect(html).toContain('<h2>Paired comparison</h2>');
    expect(html).toMatch(/<tr><th>verbal<\/th><td class="num">0\.0 \[0\.0, 0\.0\]<\/td><td class="num">-100\.0 \[-100\.0, -100\.0\]<\/td><td class="num">0 \/ 1<\/td><td class="num">1\.000<\/td>/);
    expect(html).toContain('<td class="verdict">within noise</td>');
    expect(html).toContain('Within noise: no strategy');
    expect(html).toContain('<tr><th>Caption noise (verbal)</th><td>0.1</td></tr>');
  });

  it('says so when intervals are missing because the run is incomplete', () => {
    const { statistics: _dropped, ...incomplete } = results;
    expect(renderReportHtml(folder, { config, searcherId: 's', results: incomplete, captured: { targets: [] } })).toContain('The run is incomplete');
  });

  it('includes a sensitivity table when given, escaped', () => {
    const page = renderReportHtml(folder, { config, searcherId: 's', results, captured: { targets: [] }, sensitivity: '| knob | <b> |' });
    expect(page).toContain('<pre class="sensitivity">| knob | &lt;b&gt; |</pre>');
  });

  it('says so when no target was captured', () => {
    const empty = renderReportHtml(folder, { config, searcherId: 's', results, captured: { targets: [] } });
    expect(empty).toContain('No targets were captured for this report.');
  });

  it('lists a searcher\'s settings and, for one that reproduces a published protocol, its known deviations', () => {
    const searcherProfile = { settings: { prompts: 'genir-ref', repetitionPenalty: 1.1 }, deviations: ['CLIP reads <77> tokens & BLIP 200.', 'Seeds are sent.'] };
    const page = renderReportHtml(folder, { config, searcherId: 'vlm:genir-ref:m', searcherProfile, results, captured: { targets: [] } });
    expect(page).toContain('<tr><th>Searcher prompts</th><td>genir-ref</td></tr><tr><th>Searcher repetitionPenalty</th><td>1.1</td></tr>');
    expect(page).toContain(
      '<h2>Searcher: known deviations from the reference</h2>\n<ul class="deviations"><li>CLIP reads &lt;77&gt; tokens &amp; BLIP 200.</li><li>Seeds are sent.</li></ul>',
    );
    const none = renderReportHtml(folder, { config, searcherId: 'vlm:v1:m', searcherProfile: { settings: { prompts: 'v1' }, deviations: [] }, results, captured: { targets: [] } });
    expect(none).toContain('<th>Searcher prompts</th><td>v1</td>');
    expect(none).not.toContain('known deviations');
    expect(html).not.toContain('known deviations');
  });
});
