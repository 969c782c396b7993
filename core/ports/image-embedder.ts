import type { RawImage } from '../images/raw-image.js';

/** Maps pixels to L2-normalised vectors. It sees pixels only: no captions, ids or metadata. */
export interface ImageEmbedder {
  readonly id: string;
  readonly dim: number;
  embedImages(images: readonly RawImage[]): Promise<Float32Array[]>;
}
