import { invalidInput, MirageError } from '../errors.js';
import { transcodeImage } from './encode.js';
import type { EncodedImage } from './raw-image.js';

export type CompactMime = 'image/jpeg' | 'image/webp';

export interface WithinBytesOptions {
  readonly maxBytes: number;
  readonly mime?: CompactMime;
}

/** Smallest budget accepted: below this even a thumbnail does not fit. */
export const MIN_IMAGE_BUDGET = 4 * 1024;

/** Qualities tried at full size before the image is shrunk; below ~50 JPEG artefacts hide detail. */
const QUALITIES = [85, 70, 55] as const;
/** Each shrink keeps 3/4 of the longest side. */
const SHRINK = 0.75;
const MIN_SIDE = 32;

/**
 * Re-encodes an image as JPEG or WebP that fits in maxBytes, for channels with a size limit
 * (MCP tool results, chat attachments). Lowers the quality first, because a smaller picture
 * loses more of what a searcher needs to compare than mild compression does; then shrinks.
 */
export async function encodeWithinBytes(image: EncodedImage, options: WithinBytesOptions): Promise<EncodedImage> {
  const { maxBytes, mime = 'image/jpeg' } = options;
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_IMAGE_BUDGET) {
    throw invalidInput(`An image budget must be a whole number of bytes, at least ${MIN_IMAGE_BUDGET}; got ${maxBytes}.`);
  }
  let side = Math.max(image.width, image.height);
  for (;;) {
    for (const quality of QUALITIES) {
      const encoded = await transcodeImage(image.bytes, { mime, quality, fit: side });
      if (encoded.bytes.length <= maxBytes) return encoded;
    }
    if (side <= MIN_SIDE) break;
    side = Math.max(MIN_SIDE, Math.floor(side * SHRINK));
  }
  throw new MirageError('IMAGE_REJECTED', `Image cannot be encoded within ${maxBytes} bytes, even at ${MIN_SIDE} pixels.`);
}
