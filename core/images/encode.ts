import sharp from 'sharp';
import type { EncodedImage, ImageMime, RawImage } from './raw-image.js';

export interface EncodeOptions {
  readonly mime?: ImageMime;
  /** Resize so that the image fits inside size x size. */
  readonly fit?: number;
  readonly quality?: number;
}

export async function encodeImage(image: RawImage, options: EncodeOptions = {}): Promise<EncodedImage> {
  const mime = options.mime ?? 'image/png';
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (options.fit) pipeline = pipeline.resize(options.fit, options.fit, { fit: 'inside' });
  pipeline =
    mime === 'image/png'
      ? pipeline.png({ compressionLevel: 6 })
      : mime === 'image/jpeg'
        ? pipeline.jpeg({ quality: options.quality ?? 85 })
        : pipeline.webp({ quality: options.quality ?? 80 });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { bytes: data, mime, width: info.width, height: info.height };
}

/** Re-encodes already encoded bytes (thumbnails, format changes for chat clients). */
export async function transcodeImage(bytes: Uint8Array, options: EncodeOptions = {}): Promise<EncodedImage> {
  const mime = options.mime ?? 'image/png';
  let pipeline = sharp(bytes, { pages: 1 }).rotate();
  if (options.fit) pipeline = pipeline.resize(options.fit, options.fit, { fit: 'inside', withoutEnlargement: true });
  pipeline =
    mime === 'image/png'
      ? pipeline.png({ compressionLevel: 6 })
      : mime === 'image/jpeg'
        ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: options.quality ?? 85 })
        : pipeline.webp({ quality: options.quality ?? 80 });
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { bytes: data, mime, width: info.width, height: info.height };
}
