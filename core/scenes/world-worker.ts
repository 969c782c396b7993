import type { SceneFeatureConfig } from './image-features.js';
import { ScenesImageEmbedder } from './scenes-image-embedder.js';
import { prepareBatch, type PreparedImage, type WorldBatch } from './world-batch.js';

export interface WorldWorkerTask {
  readonly batch: WorldBatch;
  /** The Scenes embedder's settings in the main thread; the worker embeds with the same. */
  readonly features: SceneFeatureConfig;
}

/** A prepared image without its pixels (only the embedder needs them), and its vector. */
export type EmbeddedImage = Omit<PreparedImage, 'pixels'> & { readonly vector: Float32Array };

/** This thread's embedder, kept across batches; every batch of a build carries the same settings. */
let cached: { readonly key: string; readonly embedder: ScenesImageEmbedder } | undefined;

/** Worker-thread entry (tinypool): renders, encodes and embeds one batch of a world. */
export default async function embedWorldBatch(task: WorldWorkerTask): Promise<EmbeddedImage[]> {
  const key = JSON.stringify(task.features);
  if (cached?.key !== key) cached = { key, embedder: new ScenesImageEmbedder(task.features) };
  const prepared = await prepareBatch(task.batch);
  const vectors = await cached.embedder.embedImages(prepared.map((p) => p.pixels));
  return prepared.map(({ pixels: _pixels, ...image }, k) => ({ ...image, vector: vectors[k] as Float32Array }));
}
