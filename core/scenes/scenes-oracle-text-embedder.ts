import { invalidInput } from '../errors.js';
import type { TextEmbedder } from '../ports/text-embedder.js';
import { Prng } from '../random/prng.js';
import { deriveSeed } from '../random/seed.js';
import { completeScene } from './complete-scene.js';
import { ScenesImageEmbedder } from './scenes-image-embedder.js';
import { normaliseInPlace } from './image-features.js';
import { LruMap } from './lru-map.js';
import { parseDescription } from './parser.js';
import { renderScene } from './renderer.js';

export interface ScenesOracleTextEmbedderOptions {
  /** Monte Carlo completions averaged per description. */
  readonly samples?: number;
  /** Side of the small renders that are embedded (the embedder works on a 64x64 grid anyway). */
  readonly renderSize?: number;
  /** Descriptions whose vectors are kept. */
  readonly cacheSize?: number;
}

export const DEFAULT_TEXT_SAMPLES = 16;
const DEFAULT_RENDER_SIZE = 64;
const DEFAULT_CACHE_SIZE = 512;

/**
 * The oracle text tower of the Scenes world (`text-oracle` in evaluations): an upper bound, not
 * a text encoder. A description's vector is the expected image embedding over all scenes it
 * allows: parse it, complete the open attributes from the world's priors M times (seeds derived
 * from the text only), render each small, embed, average, normalise. It uses the very parser,
 * priors, renderer and embedder that made the archive, so it has no modality gap and binds
 * colour, position and count perfectly, which no CLIP-like text encoder does; it is in effect
 * generative retrieval with M samples and no feedback. The default text tower is the learned
 * one (text-tower/), trained apart from the archive.
 */
export class ScenesOracleTextEmbedder implements TextEmbedder {
  readonly id = 'scenes-oracle';
  readonly dim: number;
  private readonly samples: number;
  private readonly renderSize: number;
  private readonly cache: LruMap<string, Float32Array>;

  constructor(
    private readonly imageEmbedder: ScenesImageEmbedder = new ScenesImageEmbedder(),
    options: ScenesOracleTextEmbedderOptions = {},
  ) {
    this.dim = imageEmbedder.dim;
    this.samples = positiveInteger(options.samples ?? DEFAULT_TEXT_SAMPLES, 'samples');
    this.renderSize = positiveInteger(options.renderSize ?? DEFAULT_RENDER_SIZE, 'renderSize');
    this.cache = new LruMap(positiveInteger(options.cacheSize ?? DEFAULT_CACHE_SIZE, 'cacheSize'));
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const text of texts) out.push(await this.embedText(text));
    return out;
  }

  private async embedText(text: string): Promise<Float32Array> {
    const key = normaliseText(text);
    if (key === '') throw invalidInput('Cannot embed an empty description.');
    let vector = this.cache.get(key);
    if (vector === undefined) {
      vector = await this.centroid(key);
      this.cache.set(key, vector);
    }
    // A copy, so a caller that blends query vectors in place cannot corrupt the cache.
    return Float32Array.from(vector);
  }

  private async centroid(normalisedText: string): Promise<Float32Array> {
    const partial = parseDescription(normalisedText);
    const renders = await Promise.all(
      Array.from({ length: this.samples }, (_, m) => {
        const seed = deriveSeed('text-embed', normalisedText, m);
        const scene = completeScene(partial, new Prng(seed));
        return renderScene(scene, { size: this.renderSize, jitterSeed: seed });
      }),
    );
    const sum = new Float32Array(this.dim);
    for (const render of renders) {
      const v = this.imageEmbedder.embedImage(render);
      for (let i = 0; i < sum.length; i++) sum[i]! += v[i]!;
    }
    return normaliseInPlace(sum, 1);
  }
}

/** Case and spacing do not change what a description says, so they must not change its vector. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw invalidInput(`${name} must be a whole number >= 1, got ${value}.`);
  return value;
}
