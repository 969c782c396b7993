import type { RawImage } from '../images/raw-image.js';
import type { ImageEmbedder } from '../ports/image-embedder.js';
import { DEFAULT_FEATURE_CONFIG, SceneFeatureExtractor, type SceneFeatureConfig } from './image-features.js';

/**
 * Hand-built image embedder of the Scenes world: colour layout, spatial colour-name histograms
 * and edge-orientation histograms of the pixels (see docs/scenes-embedder.md). It reads pixels
 * only, is deterministic, and needs no model download.
 */
export class ScenesImageEmbedder implements ImageEmbedder {
  readonly id = 'scenes';
  readonly dim: number;
  private readonly extractor: SceneFeatureExtractor;

  /** Plain data: a worker thread rebuilds the same embedder from it. */
  constructor(readonly config: SceneFeatureConfig = DEFAULT_FEATURE_CONFIG) {
    this.extractor = new SceneFeatureExtractor(config);
    this.dim = this.extractor.dim;
  }

  /** Synchronous form, for callers that embed many small images in a tight loop. */
  embedImage(image: RawImage): Float32Array {
    return this.extractor.extract(image);
  }

  async embedImages(images: readonly RawImage[]): Promise<Float32Array[]> {
    return images.map((image) => this.extractor.extract(image));
  }
}
