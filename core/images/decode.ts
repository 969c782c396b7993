import sharp from 'sharp';
import { MirageError } from '../errors.js';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.js';
import type { ImageSize, RawImage } from './raw-image.js';

export interface DecodeOptions {
  readonly limits?: ImageLimits;
  /** Resize so that the image fits inside size x size (keeps aspect ratio). */
  readonly fit?: number;
  /**
   * Resize the upright image to exactly this size (the caller keeps the aspect ratio), from
   * fully decoded pixels: JPEG's shrink-on-load scales in the DCT domain and changes what an
   * embedder would see. Takes precedence over `fit`.
   */
  readonly size?: ImageSize;
}

/**
 * Decodes any format sharp reads (first frame only), applies EXIF orientation, flattens alpha
 * onto white, and returns RGB pixels. Hostile or broken input raises IMAGE_REJECTED with the
 * reason, never a crash.
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<RawImage> {
  const limits = options.limits ?? DEFAULT_IMAGE_LIMITS;
  if (bytes.byteLength === 0) throw new MirageError('IMAGE_REJECTED', 'Image is empty (zero bytes).');
  if (bytes.byteLength > limits.maxBytes) {
    throw new MirageError('IMAGE_REJECTED', `Image is ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}.`);
  }
  try {
    let pipeline = sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error', pages: 1 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .toColourspace('srgb');
    if (options.size) pipeline = pipeline.resize(options.size.width, options.size.height, { fit: 'fill', fastShrinkOnLoad: false });
    else if (options.fit) pipeline = pipeline.resize(options.fit, options.fit, { fit: 'inside' });
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (e) {
    throw new MirageError('IMAGE_REJECTED', describeSharpFailure(e, limits), { cause: e });
  }
}

function describeSharpFailure(e: unknown, limits: ImageLimits): string {
  const text = e instanceof Error ? e.message : String(e);
  if (/pixel limit/i.test(text)) return `Image is larger than the pixel limit (${limits.maxPixels} pixels).`;
  if (/unsupported image format/i.test(text)) return 'Unsupported or unrecognised image format.';
  return `Image could not be decoded: ${text}`;
}
