import { invalidInput } from '../errors.js';
import type { ImageMime } from './raw-image.js';

const EXTENSIONS: Readonly<Record<ImageMime, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

export const IMAGE_MIMES = Object.keys(EXTENSIONS) as ImageMime[];

export function isImageMime(value: unknown): value is ImageMime {
  return typeof value === 'string' && Object.hasOwn(EXTENSIONS, value);
}

export function extensionOf(mime: ImageMime): string {
  return EXTENSIONS[mime];
}

/**
 * Checks the leading magic bytes, so that bytes labelled with the wrong mime are refused when
 * stored instead of being served later with a content type that browsers and chat clients reject.
 */
export function assertBytesMatchMime(what: string, bytes: Uint8Array, mime: unknown): asserts mime is ImageMime {
  if (!isImageMime(mime)) throw invalidInput(`${what}: unsupported mime ${JSON.stringify(mime)} (use ${IMAGE_MIMES.join(', ')}).`);
  if (!hasSignature(bytes, mime)) throw invalidInput(`${what}: the bytes are not ${mime}.`);
}

function hasSignature(b: Uint8Array, mime: ImageMime): boolean {
  switch (mime) {
    case 'image/png':
      return startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return startsWith(b, 0, [0xff, 0xd8, 0xff]);
    case 'image/webp':
      return startsWith(b, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, 8, [0x57, 0x45, 0x42, 0x50]);
  }
}

function startsWith(bytes: Uint8Array, offset: number, signature: readonly number[]): boolean {
  return bytes.length >= offset + signature.length && signature.every((v, i) => bytes[offset + i] === v);
}
