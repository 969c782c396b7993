import { transcodeImage } from '../images/encode.js';
import type { EncodedImage } from '../images/raw-image.js';

const THUMB_SIZE = 128;

/** The thumbnail of a synthetic image, the same from every engine. */
export function syntheticThumbnail(image: EncodedImage): Promise<EncodedImage> {
  return transcodeImage(image.bytes, { mime: 'image/jpeg', fit: THUMB_SIZE });
}
