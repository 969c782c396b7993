import sharp from 'sharp';
import { THUMBNAIL_SIZE } from '../images/limits.js';
import { isMirageError } from '../errors.js';
import { decodeImage, type DecodeOptions } from '../images/decode.js';
import { encodeImage, transcodeImage } from '../images/encode.js';
import type { ImageLimits } from '../images/limits.js';
import type { EncodedImage, ImageMime, ImageSize, RawImage } from '../images/raw-image.js';
import type { ImageEmbedder } from '../ports/image-embedder.js';
import { SkippedImage } from './image-source.js';

/**
 * For an embedder that takes any size (the Scenes world's), the pixels handed to it fit in this
 * square, so that a 50-megapixel photo never sits decoded in memory.
 */
export const EMBED_SIZE = 448;
/**
 * Most pixels decoded for an embedder that says how large it wants them (CLIP-family models):
 * a 16:9 photo for a 256-pixel model takes 0.47 M. A panorama that would need more is shrunk to
 * this many, and the model enlarges its short side again.
 */
export const EMBED_MAX_PIXELS = 2_000_000;
/** Originals in a web format up to this size are stored as they are (no generation loss). */
export const KEEP_ORIGINAL_MAX_BYTES = 16 * 1024 * 1024;
const REENCODE_QUALITY = 90;

/** Raster formats, as sharp names them (AVIF and HEIC are "heif"); vector input is refused. */
const RASTER_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'jp2k', 'jxl']);
const WEB_MIME: Readonly<Record<string, ImageMime>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface PreparedImage {
  /** Upright RGB pixels for the embedder, at the size it asks for or fitted into EMBED_SIZE. */
  readonly pixels: RawImage;
  readonly full: EncodedImage;
  readonly thumb: EncodedImage;
}

/**
 * Decodes one image (first frame, EXIF orientation applied) and makes what the archive stores:
 * the full image (the original bytes when a browser shows them upright as they are, otherwise
 * re-encoded upright) and a JPEG thumbnail like the Scenes world's. The pixels for the embedder
 * are decoded at the size it asks for (ImageEmbedder.decodeSize), so that its preprocessing
 * never has to enlarge what ingestion shrank. Unusable input raises SkippedImage with the reason.
 */
export async function prepareImage(bytes: Uint8Array, limits: ImageLimits, embedder?: Pick<ImageEmbedder, 'decodeSize'>): Promise<PreparedImage> {
  const meta = await sharp(bytes).metadata().catch((e: unknown) => {
    throw new SkippedImage(describeUnreadable(e));
  });
  if (!RASTER_FORMATS.has(meta.format ?? '')) throw new SkippedImage(`unsupported format (${meta.format ?? 'unknown'})`);
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > limits.maxPixels) {
    throw new SkippedImage(`over the pixel limit (${width}x${height} = ${width * height} pixels; the limit is ${limits.maxPixels})`);
  }
  // EXIF orientations 5-8 turn the image a quarter: upright, width and height swap.
  const upright = (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
  const pixels = await decodeImage(bytes, { limits, ...embedderSize(upright, embedder) }).catch((e: unknown) => {
    if (isMirageError(e) && e.code === 'IMAGE_REJECTED') throw new SkippedImage(`corrupt (${firstLine(e.message)})`);
    throw e;
  });
  const webMime = WEB_MIME[meta.format ?? ''];
  const keepOriginal =
    webMime !== undefined && bytes.byteLength <= KEEP_ORIGINAL_MAX_BYTES && (meta.orientation ?? 1) === 1 && (meta.pages ?? 1) === 1;
  const [full, thumb] = await Promise.all([
    keepOriginal
      ? Promise.resolve<EncodedImage>({ bytes: Buffer.from(bytes), mime: webMime, width, height })
      : transcodeImage(bytes, { mime: meta.hasAlpha ? 'image/png' : 'image/jpeg', quality: REENCODE_QUALITY }),
    encodeImage(pixels, { mime: 'image/jpeg', fit: THUMBNAIL_SIZE }),
  ]);
  return { pixels, full, thumb };
}

function embedderSize(upright: ImageSize, embedder: Pick<ImageEmbedder, 'decodeSize'> | undefined): Pick<DecodeOptions, 'fit' | 'size'> {
  if (!embedder?.decodeSize) return { fit: EMBED_SIZE };
  const wanted = embedder.decodeSize(upright.width, upright.height);
  const excess = Math.sqrt((wanted.width * wanted.height) / EMBED_MAX_PIXELS);
  const size = excess <= 1 ? wanted : { width: Math.max(1, Math.floor(wanted.width / excess)), height: Math.max(1, Math.floor(wanted.height / excess)) };
  return size.width === upright.width && size.height === upright.height ? {} : { size };
}

function describeUnreadable(e: unknown): string {
  const text = firstLine(e instanceof Error ? e.message : String(e));
  return /unsupported image format/i.test(text) ? 'unsupported format' : `corrupt (${text})`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}
