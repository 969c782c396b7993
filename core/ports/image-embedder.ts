import type { ImageSize, RawImage } from '../images/raw-image.js';

/** Maps pixels to L2-normalised vectors. It sees pixels only: no captions, ids or metadata. */
export interface ImageEmbedder {
  readonly id: string;
  readonly dim: number;
  embedImages(images: readonly RawImage[]): Promise<Float32Array[]>;
  /**
   * How large to decode an upright width x height image for this embedder: from that size its
   * own preprocessing only shrinks, and lands on the size it would reach from the original, so
   * a caller that shrinks images first (ingestion, to bound memory) changes what the model sees
   * no more than resampling must. The image's own size when it is small enough. Absent when the
   * embedder takes pixels of any size alike.
   */
  decodeSize?(width: number, height: number): ImageSize;
}
