import { transcodeImage } from '../../images/encode.js';
import type { EncodedImage } from '../../images/raw-image.js';

/**
 * The image as a data URL a vision model accepts. PNG and JPEG go as they are when small enough;
 * WebP (not read by every server) becomes PNG, and large images are shrunk to maxSide because
 * servers tile big images into many more prompt tokens without seeing more of what matters.
 */
export async function imageDataUrl(image: EncodedImage, maxSide: number): Promise<string> {
  const fits = image.width <= maxSide && image.height <= maxSide;
  const sendable = image.mime === 'image/png' || image.mime === 'image/jpeg';
  const ready =
    fits && sendable
      ? image
      : await transcodeImage(image.bytes, { mime: image.mime === 'image/jpeg' ? 'image/jpeg' : 'image/png', fit: maxSide });
  return `data:${ready.mime};base64,${ready.bytes.toString('base64')}`;
}
