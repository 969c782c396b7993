import { setImmediate as nextTurn } from 'node:timers/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasGpsBlock, noisePicture, phonePhoto, PHOTO_OWNER } from '../ingest/image-files.js';
import { CLIENT_IMAGE_CONCURRENCY, clientImage, clientImageLoad, DEFAULT_CLIENT_MAX_SIDE, MIN_IMAGE_BUDGET } from '../../core/images/client-image.js';

const raw = (width: number, height: number) => noisePicture(width, height);

let large: Buffer;
beforeAll(async () => {
  // 4000 x 3000 of noise at quality 92: a large camera JPEG (several MB).
  large = await phonePhoto(4000, 3000, { orientation: 6 });
});

describe('clientImage', () => {
  it('serves a large photo within the byte cap, smaller, upright, with none of its metadata', async () => {
    const before = await sharp(large).metadata();
    expect(hasGpsBlock(before.exif)).toBe(true);
    expect(before.xmp).toBeDefined();
    expect(before.orientation).toBe(6);
    expect(large.byteLength).toBeGreaterThan(2 * 1024 * 1024);

    const out = await clientImage(large, { maxBytes: 256 * 1024 });
    expect(out.mime).toBe('image/jpeg');
    expect(out.bytes.byteLength).toBeLessThanOrEqual(256 * 1024);
    // Orientation 6: the 4000 x 3000 file shows as 3000 wide, 4000 high.
    expect(out.height).toBeGreaterThan(out.width);
    expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(DEFAULT_CLIENT_MAX_SIDE);
    const after = await sharp(out.bytes).metadata();
    expect([after.width, after.height]).toEqual([out.width, out.height]);
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.bytes.includes(PHOTO_OWNER)).toBe(false);
  });

  it('keeps a small image at full size when a lower quality is enough, and honours WebP and maxSide', async () => {
    const small = await raw(64, 64).png().toBuffer();
    const out = await clientImage(small, { maxBytes: 64 * 1024 });
    expect([out.width, out.height]).toEqual([64, 64]);
    expect(out.bytes.byteLength).toBeLessThanOrEqual(64 * 1024);

    const webp = await clientImage(await raw(512, 512).png().toBuffer(), { maxBytes: 16 * 1024, mime: 'image/webp' });
    expect(webp.bytes.byteLength).toBeLessThanOrEqual(16 * 1024);
    expect(webp.width).toBeLessThan(512);
    expect((await sharp(webp.bytes).metadata()).format).toBe('webp');

    const capped = await clientImage(await raw(300, 200).png().toBuffer(), { maxBytes: 1024 * 1024, maxSide: 150 });
    expect([capped.width, capped.height]).toEqual([150, 100]);
  });

  it('makes at most a fixed number of images at once; the others wait their turn', async () => {
    const requests = 6;
    const pending = Array.from({ length: requests }, () => clientImage(large, { maxBytes: 64 * 1024 }));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    const first = clientImageLoad();
    expect(first.active + first.waiting).toBe(requests);
    expect(first.active).toBeLessThanOrEqual(CLIENT_IMAGE_CONCURRENCY);
    let peak = first.active;
    let settled = false;
    const all = Promise.all(pending).finally(() => void (settled = true));
    while (!settled) {
      peak = Math.max(peak, clientImageLoad().active);
      await nextTurn();
    }
    for (const out of await all) expect(out.bytes.byteLength).toBeLessThanOrEqual(64 * 1024);
    expect(peak).toBeLessThanOrEqual(CLIENT_IMAGE_CONCURRENCY);
    expect(clientImageLoad()).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses a budget below the minimum and bytes that are not an image', async () => {
    expect(() => clientImage(large, { maxBytes: MIN_IMAGE_BUDGET - 1 })).toThrow(/at least 4096/);
    await expect(clientImage(Buffer.from('not an image'), { maxBytes: 64 * 1024 })).rejects.toMatchObject({ code: 'IMAGE_REJECTED' });
  });
});
