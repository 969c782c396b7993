import sharp from 'sharp';
import { THUMBNAIL_SIZE } from '../images/limits.js';
import { isMirageError } from '../errors.js';
import { decodeImage } from '../images/decode.js';
import { encodeImage, transcodeImage } from '../images/encode.js';
import type { ImageLimits } from '../images/limits.js';
import type { EncodedImage, ImageMime, RawImage } from '../images/raw-image.js';
import { SkippedImage } from './image-source.js';

/**
 * Pixels handed to the embedder fit in this square: enough for CLIP's 224 px centre crop and
 * the Scenes features, while a 50-megapixel photo never sits decoded in memory.
 */
export const EMBED_SIZE = 448;
/** Originals in a web format up to this size are stored as they are (no generation loss). */
export const KEEP_ORIGINAL_MAX_BYTES = 16 * 1024 * 1024;
const REENCODE_QUALITY = 90;

/** Raster formats, as sharp names them (AVIF and HEIC are "heif"); vector input is refused. */
const RASTER_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'jp2k', 'jxl']);
const WEB_MIME: Readonly<Record<string, ImageMime>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface PreparedImage {
  /** Upright RGB pixels, fitted into EMBED_SIZE, for the embedder. */
  readonly pixels: RawImage;
  readonly full: EncodedImage;
  readonly thumb: EncodedImage;
}

/**
 * Decodes one image (first frame, EXIF orientation applied) and makes what the archive stores:
 * the full image (the original bytes when a browser shows them upright as they are, otherwise
 * re-encoded upright) and a JPEG thumbnail like the Scenes world's. Unusable input raises
 * SkippedImage with the reason.
 */
export async function prepareImage(bytes: Uint8Array, limits: ImageLimits): Promise<PreparedImage> {
  const meta = await sharp(bytes).metadata().catch((e: unknown) => {
    throw new SkippedImage(describeUnreadable(e));
  });
  if (!RASTER_FORMATS.has(meta.format ?? '')) throw new SkippedImage(`unsupported format (${meta.format ?? 'unknown'})`);
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > limits.maxPixels) {
    throw new SkippedImage(`over the pixel limit (${width}x${height} = ${width * height} pixels; the limit is ${limits.maxPixels})`);
  }
  const pixels = await decodeImage(bytes, { limits, fit: EMBED_SIZE }).catch((e: unknown) => {
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

function describeUnreadable(e: unknown): string {
  const text = firstLine(e instanceof Error ? e.message : String(e));
  return /unsupported image format/i.test(text) ? 'unsupported format' : `corrupt (${text})`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}
