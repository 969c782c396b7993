import sharp from 'sharp';
import type { TopLevelSpec } from 'vega-lite';
import { compareHitsAtK, type HitsComparison } from '../../metrics/hits-comparison.js';
import type { StrategyIntervals } from '../../metrics/paired-statistics.js';
import type { StrategyMetrics } from '../../metrics/strategy-metrics.js';

export interface HitsChart {
  readonly svg: string;
  readonly png: Buffer;
}

/** DejaVu is the font installed on the machines that render reports; a named font keeps output stable. */
const FONT = 'DejaVu Sans';
/** The PNG is rasterised at twice the SVG's CSS pixel size, so it stays sharp in papers and slides. */
const PNG_DENSITY = 144;

/** One layer of the chart: a unit spec with an encoding. */
type LayerItem = { mark: unknown; encoding: Record<string, unknown> } & Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** How strongly a strategy's interval band is painted: faint, so overlapping bands stay readable. */
const BAND_OPACITY = 0.12;

/**
 * Line chart of cumulative Hits@K against round, one line per strategy, over a faint band of its
 * 95% bootstrap interval when intervals are given: the headline figure of the agent-vs-agent
 * evaluation. Vega-Lite compiles the spec, Vega renders it headless to SVG, and sharp rasterises
 * that SVG to PNG.
 */
export async function renderHitsChart(
  metricsByStrategy: Readonly<Record<string, StrategyMetrics>>,
  k = 10,
  intervals?: Readonly<Record<string, StrategyIntervals>>,
): Promise<HitsChart> {
  const spec = hitsChartSpec(compareHitsAtK(metricsByStrategy, k), intervals);
  // Loaded on use: vega-lite adds Set.prototype.toJSON when it loads, which breaks discord.js's
  // inspector in the same process (mirage bot), and only chart rendering needs it.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = await sharp(Buffer.from(svg), { density: PNG_DENSITY }).png().toBuffer();
    return { svg, png };
  } finally {
    view.finalize();
  }
}

function hitsChartSpec({ k, rounds, curves }: HitsComparison, intervals?: Readonly<Record<string, StrategyIntervals>>): TopLevelSpec {
  const values = curves.flatMap(({ strategy, hits }) =>
    hits.map((fraction, round) => {
      const interval = intervals?.[strategy]?.atK.find((a) => a.k === k)?.cumulativeHits[round];
      return { strategy, round, hits: fraction * 100, ...(interval ? { lower: interval.lower * 100, upper: interval.upper * 100 } : {}) };
    }),
  );
  const strategies = curves.map((c) => c.strategy);
  const x: LayerItem['encoding']['x'] = {
    field: 'round',
    type: 'quantitative',
    // A one-round evaluation would otherwise get an empty [0, 0] axis.
    scale: { domain: [0, Math.max(rounds, 1)], nice: false, padding: 12 },
    axis: { title: 'Round (0 = initial description)', tickMinStep: 1, format: 'd' },
  };
  const yScale = { scale: { domain: [0, 100] }, axis: { title: `Cumulative Hits@${k} (%)` } };
  const line: LayerItem = {
    mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
    encoding: {
      x,
      y: { field: 'hits', type: 'quantitative', ...yScale },
      color: { field: 'strategy', type: 'nominal', scale: { domain: strategies }, legend: { title: 'Strategy' } },
      // Shape as well as colour, so the lines stay distinguishable in greyscale print.
      shape: { field: 'strategy', type: 'nominal', scale: { domain: strategies }, legend: { title: 'Strategy' } },
    },
  };
  const band: LayerItem = {
    mark: { type: 'area', opacity: BAND_OPACITY },
    encoding: {
      x,
      y: { field: 'lower', type: 'quantitative', ...yScale },
      y2: { field: 'upper' },
      color: { field: 'strategy', type: 'nominal', scale: { domain: strategies }, legend: { title: 'Strategy' } },
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: intervals ? `Cumulative Hits@${k} by round (bands: 95% paired bootstrap intervals)` : `Cumulative Hits@${k} by round`,
    width: 560,
    height: 320,
    background: 'white',
    data: { values },
    layer: intervals ? [band, line] : [line],
    // One legend for bands and lines; opaque symbols, or the faint band would make them faint too.
    config: { font: FONT, legend: { symbolOpacity: 1 } },
  };
}
