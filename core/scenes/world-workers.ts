import Tinypool from 'tinypool';
import { workerModule } from '../concurrency/worker-module.js';
import type { EncodedImage } from '../images/raw-image.js';
import type { SceneFeatureConfig } from './image-features.js';
import type { WorldBatch } from './world-batch.js';
import type { EmbeddedImage, WorldWorkerTask } from './world-worker.js';

/** Copying between threads turns a Buffer into a plain Uint8Array; the archive writer expects Buffers. */
function revive(image: EncodedImage): EncodedImage {
  const bytes: Uint8Array = image.bytes;
  return Buffer.isBuffer(bytes) ? image : { ...image, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * Worker threads that render, encode and embed world batches with the Scenes embedder, so the
 * feature extraction (most of a build's JavaScript time) runs on every core. Each image is
 * computed by the same code from the same seed as in the main thread, so vectors are identical.
 */
export class WorldWorkers {
  private readonly pool: Tinypool;

  constructor(
    readonly threads: number,
    private readonly features: SceneFeatureConfig,
  ) {
    this.pool = new Tinypool({
      filename: workerModule(import.meta.url, 'world-worker'),
      minThreads: threads,
      maxThreads: threads,
      // Two batches per thread: one embeds while sharp rasterises the other.
      concurrentTasksPerWorker: 2,
    });
  }

  async embed(batch: WorldBatch): Promise<EmbeddedImage[]> {
    const task: WorldWorkerTask = { batch, features: this.features };
    const images = (await this.pool.run(task)) as EmbeddedImage[];
    return images.map((image) => ({ ...image, full: revive(image.full), thumb: revive(image.thumb) }));
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
