import sharp from 'sharp';
import type { TopLevelSpec } from 'vega-lite';
import { compareHitsAtK, type HitsComparison } from '../../metrics/hits-comparison.js';
import type { StrategyMetrics } from '../../metrics/strategy-metrics.js';

export interface HitsChart {
  readonly svg: string;
  readonly png: Buffer;
}

/** DejaVu is the font installed on the machines that render reports; a named font keeps output stable. */
const FONT = 'DejaVu Sans';
/** The PNG is rasterised at twice the SVG's CSS pixel size, so it stays sharp in papers and slides. */
const PNG_DENSITY = 144;

/**
 * Line chart of cumulative Hits@K against round, one line per strategy: the headline figure of
 * the agent-vs-agent evaluation. Vega-Lite compiles the spec, Vega renders it headless to SVG,
 * and sharp rasterises that SVG to PNG.
 */
export async function renderHitsChart(
  metricsByStrategy: Readonly<Record<string, StrategyMetrics>>,
  k = 10,
): Promise<HitsChart> {
  const spec = hitsChartSpec(compareHitsAtK(metricsByStrategy, k));
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

function hitsChartSpec({ k, rounds, curves }: HitsComparison): TopLevelSpec {
  const values = curves.flatMap(({ strategy, hits }) =>
    hits.map((fraction, round) => ({ strategy, round, hits: fraction * 100 })),
  );
  const strategies = curves.map((c) => c.strategy);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Cumulative Hits@${k} by round`,
    width: 560,
    height: 320,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'round',
        type: 'quantitative',
        // A one-round evaluation would otherwise get an empty [0, 0] axis.
        scale: { domain: [0, Math.max(rounds, 1)], nice: false, padding: 12 },
        axis: { title: 'Round (0 = initial description)', tickMinStep: 1, format: 'd' },
      },
      y: {
        field: 'hits',
        type: 'quantitative',
        scale: { domain: [0, 100] },
        axis: { title: `Cumulative Hits@${k} (%)` },
      },
      // Shape as well as colour, so the lines stay distinguishable in greyscale print.
      color: { field: 'strategy', type: 'nominal', scale: { domain: strategies }, legend: { title: 'Strategy' } },
      shape: { field: 'strategy', type: 'nominal', scale: { domain: strategies }, legend: { title: 'Strategy' } },
    },
    config: { font: FONT },
  };
}
