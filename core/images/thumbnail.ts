import { transcodeImage } from './encode.js';
import { THUMBNAIL_SIZE } from './limits.js';
import type { EncodedImage } from './raw-image.js';

/** The thumbnail of a synthetic image, the same from every engine. */
export function syntheticThumbnail(image: EncodedImage): Promise<EncodedImage> {
  return transcodeImage(image.bytes, { mime: 'image/jpeg', fit: THUMBNAIL_SIZE });
}
