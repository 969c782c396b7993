import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { EncodedImage } from '../../core/images/raw-image.js';
import { encodeWithinBytes, MIN_IMAGE_BUDGET } from '../../core/images/within-bytes.js';

/** Noise compresses badly, so a budget can force the encoder to shrink. */
async function noisePng(side: number): Promise<EncodedImage> {
  const data = Buffer.alloc(side * side * 3);
  let x = 12345;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  const bytes = await sharp(data, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
  return { bytes, mime: 'image/png', width: side, height: side };
}

describe('encodeWithinBytes', () => {
  it('keeps the full size when lowering the quality is enough', async () => {
    const image = await noisePng(64);
    const out = await encodeWithinBytes(image, { maxBytes: 64 * 1024 });
    expect(out.mime).toBe('image/jpeg');
    expect([out.width, out.height]).toEqual([64, 64]);
    expect(out.bytes.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('shrinks a picture that no quality fits, and honours WebP', async () => {
    const image = await noisePng(512);
    const out = await encodeWithinBytes(image, { maxBytes: 16 * 1024, mime: 'image/webp' });
    expect(out.bytes.length).toBeLessThanOrEqual(16 * 1024);
    expect(out.width).toBeLessThan(512);
    expect((await sharp(out.bytes).metadata()).format).toBe('webp');
  });

  it('rejects a budget below the minimum', async () => {
    await expect(encodeWithinBytes(await noisePng(8), { maxBytes: MIN_IMAGE_BUDGET - 1 })).rejects.toThrow(/at least 4096/);
  });
});
