import pLimit from 'p-limit';
import sharp from 'sharp';
import { invalidInput, MirageError } from '../errors.js';
import { DEFAULT_IMAGE_LIMITS } from './limits.js';
import type { EncodedImage, RawImage } from './raw-image.js';

export type CompactMime = 'image/jpeg' | 'image/webp';

export interface ClientImageOptions {
  /** Largest encoded size, in bytes (at least MIN_IMAGE_BUDGET). */
  readonly maxBytes: number;
  /** JPEG (the default: every client shows it) or WebP. */
  readonly mime?: CompactMime;
  /** Longest side served, in pixels (default DEFAULT_CLIENT_MAX_SIDE); images are never enlarged. */
  readonly maxSide?: number;
}

/** Smallest budget accepted: below this even a thumbnail does not fit. */
export const MIN_IMAGE_BUDGET = 4 * 1024;
/** No client shows more than this; it also bounds what one request holds decoded (2048² RGB is 12 MB). */
export const DEFAULT_CLIENT_MAX_SIDE = 2048;
/** Images decoded for clients at once, in this process: each holds up to maxSide² pixels. */
export const CLIENT_IMAGE_CONCURRENCY = 2;
/** Encodings tried for one image before it is refused. */
const MAX_ATTEMPTS = 6;
/** Qualities tried before shrinking further; below ~50 JPEG artefacts hide detail. */
const QUALITIES = [85, 70, 55] as const;
const MIN_SIDE = 32;
/**
 * What a photo costs at quality 85, roughly, in bits per pixel. Only the first size tried
 * depends on it (a guess that is too small serves a smaller image than would fit; one that is
 * too large costs an attempt), so the decode can shrink on load instead of decoding in full.
 */
const BITS_PER_PIXEL = 2;

const slots = pLimit(CLIENT_IMAGE_CONCURRENCY);

/**
 * An image as Mirage shows it to someone else: an MCP client, a chat platform. Stored images
 * keep their originals (with whatever EXIF, GPS, XMP or ICC data the file carried); what leaves
 * the server is this instead:
 *
 * - decoded once, shrunk on load (JPEG and WebP decode at a fraction of their size) to the side
 *   the byte budget suggests, at most `maxSide`, EXIF orientation applied, alpha on white, sRGB;
 * - encoded from those pixels alone, so no metadata of the file can come along;
 * - within `maxBytes`: the quality is lowered first (a smaller picture loses more of what a
 *   searcher compares than mild compression does), or the size when far over; at most
 *   MAX_ATTEMPTS encodings, then IMAGE_REJECTED;
 * - at most CLIENT_IMAGE_CONCURRENCY at a time in the process; the others wait their turn, so a
 *   burst of requests for large images cannot multiply the memory they take. Pass a function
 *   that reads the image (rather than its bytes) for the read to wait its turn too.
 */
export function clientImage(image: Uint8Array | (() => Promise<Uint8Array>), options: ClientImageOptions): Promise<EncodedImage> {
  const { maxBytes, mime = 'image/jpeg', maxSide = DEFAULT_CLIENT_MAX_SIDE } = options;
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_IMAGE_BUDGET) {
    throw invalidInput(`An image budget must be a whole number of bytes, at least ${MIN_IMAGE_BUDGET}; got ${maxBytes}.`);
  }
  if (!Number.isInteger(maxSide) || maxSide < MIN_SIDE) throw invalidInput(`maxSide must be a whole number of pixels, at least ${MIN_SIDE}; got ${maxSide}.`);
  // A source read inside the turn: requests that wait do not hold the stored originals meanwhile.
  return slots(async () => encodeForClient(typeof image === 'function' ? await image() : image, maxBytes, mime, maxSide));
}

/** Client images being made now and waiting for a turn. */
export function clientImageLoad(): { readonly active: number; readonly waiting: number } {
  return { active: slots.activeCount, waiting: slots.pendingCount };
}

async function encodeForClient(bytes: Uint8Array, maxBytes: number, mime: CompactMime, maxSide: number): Promise<EncodedImage> {
  let pixels = await decodeShrunk(bytes, Math.max(MIN_SIDE, Math.min(maxSide, sideForBudget(await uprightSize(bytes), maxBytes))));
  let quality = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const encoded = await encode(pixels, mime, QUALITIES[quality] as number);
    if (encoded.bytes.byteLength <= maxBytes) return encoded;
    const side = Math.max(pixels.width, pixels.height);
    const ratio = maxBytes / encoded.bytes.byteLength;
    if (ratio >= 0.5 && quality < QUALITIES.length - 1) {
      quality++;
      continue;
    }
    if (side <= MIN_SIDE) break;
    // Bytes scale with the pixel count: shrink by the square root of what is too much, with a margin.
    pixels = await shrink(pixels, Math.max(MIN_SIDE, Math.floor(side * Math.min(0.75, Math.sqrt(ratio) * 0.95))));
  }
  throw new MirageError('IMAGE_REJECTED', `Image cannot be encoded within ${maxBytes} bytes in ${MAX_ATTEMPTS} attempts.`);
}

/** Width and height once the EXIF orientation is applied, from the header alone. */
async function uprightSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes).metadata().catch((e: unknown) => {
    throw new MirageError('IMAGE_REJECTED', `Image could not be read: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/** The longest side whose pixels the budget probably holds, never more than the image has. */
function sideForBudget({ width, height }: { width: number; height: number }, maxBytes: number): number {
  const longest = Math.max(width, height, 1);
  const aspect = longest / Math.max(1, Math.min(width, height));
  return Math.min(longest, Math.floor(Math.sqrt(((maxBytes * 8) / BITS_PER_PIXEL) * aspect)));
}

async function decodeShrunk(bytes: Uint8Array, side: number): Promise<RawImage> {
  try {
    const { data, info } = await sharp(bytes, { pages: 1, limitInputPixels: DEFAULT_IMAGE_LIMITS.maxPixels, failOn: 'error' })
      .rotate()
      .resize(side, side, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (e) {
    throw new MirageError('IMAGE_REJECTED', `Image could not be decoded: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

async function shrink(image: RawImage, side: number): Promise<RawImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(side, side, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function encode(image: RawImage, mime: CompactMime, quality: number): Promise<EncodedImage> {
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  const bytes = await (mime === 'image/jpeg' ? pipeline.jpeg({ quality }) : pipeline.webp({ quality })).toBuffer();
  return { bytes, mime, width: image.width, height: image.height };
}
