import { beforeAll, describe, expect, it } from 'vitest';
import { describePartialScene } from '../../core/scenes/describe.js';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';
import { renderScene } from '../../core/scenes/renderer.js';
import { mutateOne, sceneAt } from '../../core/scenes/sampler.js';
import type { Scene } from '../../core/scenes/scene.js';
import { ScenesOracleTextEmbedder } from '../../core/scenes/scenes-oracle-text-embedder.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import type { RawImage } from '../../core/images/raw-image.js';
import type { VectorIndex } from '../../core/ports/vector-index.js';
import { Prng } from '../../core/random/prng.js';
import { deriveSeed } from '../../core/random/seed.js';

/**
 * Retrieval quality of the Scenes embedders on real renders, searched with a real USearch
 * index: the figures docs/scenes-embedder.md reports. The archive is sceneAt(WORLD, 0..N-1),
 * about 40% of it near-duplicates that differ from another archive scene in one attribute.
 */
const WORLD = 7;
const N = 1000;
/** Renders in flight at once: sharp rasterises on its own threads. */
const BATCH = 16;

const embedder = new ScenesImageEmbedder();
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const sameScene = (a: Scene, b: Scene) => JSON.stringify(a) === JSON.stringify(b);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;

async function embedRenders(scenes: readonly Scene[], jitterSeed: (i: number) => number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < scenes.length; start += BATCH) {
    const renders: RawImage[] = await Promise.all(
      scenes.slice(start, start + BATCH).map((scene, k) => renderScene(scene, { jitterSeed: jitterSeed(start + k) })),
    );
    out.push(...(await embedder.embedImages(renders)));
  }
  return out;
}

/** What a person remembers of a scene: setting and each thing's kind and colour, no layout or details. */
function salientDescription(scene: Scene): string {
  return describePartialScene({
    time: scene.time,
    ground: scene.ground,
    weather: scene.weather === 'clear' ? undefined : scene.weather,
    objects: scene.objects.map((o) => ({ kind: o.kind, colour: o.colour, attributes: {} })),
    absent: [],
  });
}

describe('Scenes embedder quality', () => {
  const scenes = Array.from({ length: N }, (_, i) => sceneAt(WORLD, i));
  const ids = scenes.map((_, i) => String(i));
  let index: VectorIndex;

  beforeAll(async () => {
    // Exact search: this measures the embedder, deterministically; the graph's recall is the
    // index benchmark's business (a multi-threaded build differs from run to run).
    index = new UsearchIndexFactory().create(embedder.dim, 'f32');
    index.add(ids, await embedRenders(scenes, (i) => deriveSeed('archive-jitter', i)));
  });

  it('finds a re-render of an archive scene (other jitter) as the top hit for >= 99% of scenes', async () => {
    const probes = await embedRenders(scenes, (i) => deriveSeed('probe-jitter', i));
    let first = 0;
    const misses: string[] = [];
    probes.forEach((probe, i) => {
      const top = index.search(probe, 1)[0];
      const topScene = scenes[Number(top?.id)];
      // An archive may hold the very same scene twice; pixels cannot prefer one copy.
      if (topScene !== undefined && (top?.id === ids[i] || sameScene(topScene, scenes[i]!))) first++;
      else misses.push(`${i}->${top?.id}`);
    });
    console.info(`own re-render ranked first for ${first}/${N} probes; misses: ${misses.join(' ')}`);
    expect(first / N).toBeGreaterThanOrEqual(0.99);
  });

  it('puts a one-attribute change closer than unrelated scenes', async () => {
    const trials = 200;
    const originals = Array.from({ length: trials }, (_, i) => sceneAt(101, i));
    const mutated = originals.map((scene, i) => mutateOne(scene, new Prng(deriveSeed('mutation', i))));
    const unrelated = Array.from({ length: trials }, (_, i) => sceneAt(202, i));
    const [a, b, c] = await Promise.all(
      [originals, mutated, unrelated].map((set, k) => embedRenders(set, (i) => deriveSeed('trial-jitter', k, i))),
    );
    let closerThanItsUnrelated = 0;
    let closerThanAllUnrelated = 0;
    for (let i = 0; i < trials; i++) {
      const toMutated = cosine(a![i]!, b![i]!);
      if (toMutated > cosine(a![i]!, c![i]!)) closerThanItsUnrelated++;
      if (c!.every((u) => cosine(a![i]!, u) < toMutated)) closerThanAllUnrelated++;
    }
    console.info(
      `one-attribute change closer than an unrelated scene: ${closerThanItsUnrelated}/${trials}; than all ${trials}: ${closerThanAllUnrelated}/${trials}`,
    );
    expect(closerThanItsUnrelated / trials).toBeGreaterThanOrEqual(0.95);
    expect(closerThanAllUnrelated / trials).toBeGreaterThanOrEqual(0.7);
  });

  it('ranks the target of a salient description far above chance without rendering the archive', async () => {
    const textEmbedder = new ScenesOracleTextEmbedder(embedder);
    const targets = Array.from({ length: 60 }, (_, k) => k * 16 + 3);
    const ranks: number[] = [];
    for (const target of targets) {
      const [query] = await textEmbedder.embedTexts([salientDescription(scenes[target]!)]);
      const hits = index.search(query!, N, { exact: true });
      ranks.push(hits.findIndex((hit) => hit.id === ids[target]) + 1);
    }
    const top10 = ranks.filter((r) => r <= 10).length;
    console.info(`salient description: median rank ${median(ranks)} of ${N}, target in top 10 for ${top10}/${ranks.length}`);
    expect(ranks.every((r) => r >= 1)).toBe(true);
    // Chance would put the median near N / 2.
    expect(median(ranks)).toBeLessThan(20);
    expect(top10 / ranks.length).toBeGreaterThanOrEqual(0.6);
  });
});
