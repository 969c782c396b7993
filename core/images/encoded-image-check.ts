import type { EncodedImage } from './raw-image.js';
import { invalidInput } from '../errors.js';
import { assertBytesMatchMime } from './image-mime.js';

/** Checks an encoded image before it is stored; `what` names it in the message. */
export function assertEncodedImage(what: string, image: EncodedImage): void {
  if (typeof image !== 'object' || image === null) throw invalidInput(`${what}: no image given.`);
  if (!(image.bytes instanceof Uint8Array) || image.bytes.length === 0) throw invalidInput(`${what}: bytes are missing.`);
  assertBytesMatchMime(what, image.bytes, image.mime);
  assertPositiveInteger(`${what}: width`, image.width);
  assertPositiveInteger(`${what}: height`, image.height);
}

export function assertPositiveInteger(what: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw invalidInput(`${what} must be a whole number > 0.`);
}
