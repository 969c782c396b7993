import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { strategyMetrics } from '../../../core/metrics/strategy-metrics.js';
import { renderHitsChart } from '../../../core/eval/artifacts/hits-chart.js';

// Cumulative Hits@10 (worked as in hits-table.test.ts):
//   generative [[0,0],[7,2],[12,9]]            -> 66.67 %, 100 %
//   'text <&>' [[20,9],[30,30],[40,40],[50,50]] -> 0 %, 25 %
const METRICS = {
  generative: strategyMetrics([[0, 0], [7, 2], [12, 9]]),
  'text <&>': strategyMetrics([[20, 9], [30, 30], [40, 40], [50, 50]]),
};

/** Vega labels each point mark "round: r; hits: h; strategy: s" and places it with translate(x,y). */
function plottedPoints(svg: string) {
  const re = /aria-label="round: (\d+); hits: ([\d.]+); strategy: ([^"]+)" role="graphics-symbol" aria-roledescription="point" transform="translate\(([\d.]+),([\d.]+)\)"/g;
  return [...svg.matchAll(re)].map((m) => ({
    round: Number(m[1]),
    hits: Number(m[2]),
    strategy: m[3],
    x: Number(m[4]),
    y: Number(m[5]),
  }));
}

describe('renderHitsChart', () => {
  it('draws one point per strategy and round at its Hits@K percentage', async () => {
    const { svg } = await renderHitsChart(METRICS, 10);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('generative');
    expect(svg).toContain('text &lt;&amp;&gt;');
    expect(svg).toContain('Cumulative Hits@10 by round');
    expect(svg).toContain('Cumulative Hits@10 (%)');
    expect(svg).toContain('Round (0 = initial description)');
    expect(svg).toContain('Strategy');

    const points = plottedPoints(svg);
    const expected = [
      { strategy: 'generative', round: 0, hits: 200 / 3 },
      { strategy: 'generative', round: 1, hits: 100 },
      { strategy: 'text &lt;&amp;&gt;', round: 0, hits: 0 },
      { strategy: 'text &lt;&amp;&gt;', round: 1, hits: 25 },
    ];
    expect(points).toHaveLength(expected.length);
    for (const e of expected) {
      const p = points.find((q) => q.strategy === e.strategy && q.round === e.round);
      expect(p, `${e.strategy} round ${e.round}`).toBeDefined();
      expect(p?.hits).toBeCloseTo(e.hits, 6);
    }
    // The y axis runs 0..100 %, so the 0 % point lies below the 25 % point, which lies below 100 %;
    // and y is linear in the percentage: (y0 - y25) * 4 = y0 - y100.
    const y = (strategy: string, round: number) => points.find((p) => p.strategy === strategy && p.round === round)?.y ?? NaN;
    const y0 = y('text &lt;&amp;&gt;', 0);
    const y25 = y('text &lt;&amp;&gt;', 1);
    const y100 = y('generative', 1);
    expect(y0).toBeGreaterThan(y25);
    expect(y25).toBeGreaterThan(y100);
    expect((y0 - y25) * 4).toBeCloseTo(y0 - y100, 6);
  });

  it('returns a PNG that decodes, at twice the SVG size, and an SVG that parses', async () => {
    const { svg, png } = await renderHitsChart(METRICS, 10);
    const svgMeta = await sharp(Buffer.from(svg)).metadata();
    expect(svgMeta.format).toBe('svg');
    const pngMeta = await sharp(png).metadata();
    expect(pngMeta.format).toBe('png');
    expect(pngMeta.width).toBe((svgMeta.width ?? 0) * 2);
    expect(pngMeta.height).toBe((svgMeta.height ?? 0) * 2);
    expect(pngMeta.width).toBeGreaterThan(1000);
    expect(pngMeta.height).toBeGreaterThan(600);
    // Not a blank canvas: the lines and text put plenty of dark pixels on the white background.
    const { channels } = await sharp(png).removeAlpha().stats();
    expect(channels[0]?.min).toBeLessThan(50);
    expect(channels[0]?.max).toBe(255);
  });

  it('is deterministic: the same metrics give the same SVG', async () => {
    const a = await renderHitsChart(METRICS, 10);
    const b = await renderHitsChart(METRICS, 10);
    expect(a.svg).toBe(b.svg);
  });

  it('draws a faint interval band under each strategy\'s line when intervals are given', async () => {
    const band = (lower: number, upper: number) => ({ lower, upper });
    const intervals = {
      generative: { bri: band(0, 1), atK: [{ k: 10, cumulativeHits: [band(0.2, 1), band(1, 1)] }] },
      'text <&>': { bri: band(0, 1), atK: [{ k: 10, cumulativeHits: [band(0, 0), band(0, 0.75)] }] },
    };
    const plain = await renderHitsChart(METRICS, 10);
    const { svg } = await renderHitsChart(METRICS, 10, intervals);
    expect(plain.svg).not.toContain('aria-roledescription="area mark"');
    expect(svg).toContain('95% paired bootstrap intervals');
    // One area path per strategy, and the lines and points as before.
    expect(svg.match(/aria-roledescription="area mark"/g)).toHaveLength(2);
    expect(plottedPoints(svg)).toHaveLength(4);
    // The legend survives the layering (a conflicting one would be dropped), with opaque symbols.
    expect(svg).toMatch(/Strategy<\/text>/);
    expect(svg).not.toMatch(/role="graphics-symbol" aria-roledescription="symbol"[^>]*opacity="0\.12"/);
  });

  it('rejects a K that was not computed', async () => {
    await expect(renderHitsChart(METRICS, 7)).rejects.toThrow(/Hits@7 was not computed/);
  });
});
