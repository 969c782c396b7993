import type { EncodedImage } from './raw-image.js';
import { assertEncodedImage } from './encoded-image-check.js';
import { assertSafeId } from '../fs/safe-names.js';

/** Checks a blob id, and the image when one is being stored; shared by the file and memory stores. */
export function assertValidBlob(id: string, image?: EncodedImage): void {
  assertSafeId('Blob id', id);
  if (image !== undefined) assertEncodedImage(`Blob "${id}"`, image);
}
