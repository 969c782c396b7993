import { invalidInput } from '../../errors.js';
import type { NewArchiveImage } from '../../ports/archive-store.js';
import { assertEncodedImage, assertPositiveInteger } from '../../images/encoded-image-check.js';
import { assertSafeId } from '../../fs/safe-names.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks one image handed to ArchiveWriter.add before anything is written, so that a bad item
 * fails the whole batch with a message naming the image and the field.
 */
export function assertValidNewImage(image: NewArchiveImage, dim: number): void {
  if (typeof image?.record !== 'object' || image.record === null) throw invalidInput('Every new image needs a record.');
  const record = image.record;
  assertSafeId('Image id', record.id);
  const what = `Image "${record.id}"`;
  if (typeof record.source !== 'string') throw invalidInput(`${what}: source must be a string.`);
  if (typeof record.hash !== 'string' || !SHA256_HEX.test(record.hash)) {
    throw invalidInput(`${what}: hash must be the sha256 of the image bytes as 64 lowercase hex digits.`);
  }
  assertPositiveInteger(`${what}: width`, record.width);
  assertPositiveInteger(`${what}: height`, record.height);
  if (!Number.isSafeInteger(record.bytes) || record.bytes < 0) throw invalidInput(`${what}: bytes must be a whole number >= 0.`);
  if (typeof record.createdAt !== 'string' || Number.isNaN(Date.parse(record.createdAt))) {
    throw invalidInput(`${what}: createdAt must be an ISO date.`);
  }
  if (record.caption !== undefined && typeof record.caption !== 'string') throw invalidInput(`${what}: caption must be a string.`);
  assertEncodedImage(`${what}, full image`, image.full);
  assertEncodedImage(`${what}, thumbnail`, image.thumb);
  if (!(image.vector instanceof Float32Array) || image.vector.length !== dim) {
    throw invalidInput(`${what}: the vector must be a Float32Array of length ${dim} (the archive's dimension).`);
  }
  if (!image.vector.every(Number.isFinite)) throw invalidInput(`${what}: the vector holds NaN or infinite values.`);
}
