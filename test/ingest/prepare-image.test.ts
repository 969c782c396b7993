import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clipDecodeSize, clipPixelValues, parseImageProcessing } from '../../core/adapters/onnx/clip-preprocess.js';
import { createClipBundle } from '../../core/adapters/onnx/onnx-bundles.js';
import { DEFAULT_IMAGE_LIMITS } from '../../core/images/limits.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { ingestImages } from '../../core/ingest/ingest-images.js';
import { EMBED_MAX_PIXELS, prepareImage } from '../../core/ingest/prepare-image.js';
import type { ImageEmbedder } from '../../core/ports/image-embedder.js';
import { fixture } from '../adapters/onnx/fixture-paths.js';
import { crop, levels, photo, pilResizeReference } from '../adapters/onnx/pil-reference.js';
import { archiveStore, tempDir, writeBytes } from './image-files.js';
import { LOCAL_ACCESS } from '../../core/ingest/ingest-access.js';

/** MobileCLIP-S0's preprocessing (shortest side 256, bilinear, centre crop 256), without normalisation. */
const MOBILECLIP = parseImageProcessing({ size: { shortest_edge: 256 }, resample: 2, crop_size: 256, do_rescale: false, do_normalize: false }, 'preprocessor_config.json');
const mobileclip: Pick<ImageEmbedder, 'decodeSize'> = { decodeSize: (width, height) => clipDecodeSize(MOBILECLIP, width, height) };

const png = (image: RawImage) => sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();

/** Mean and 99th percentile of the absolute level differences. */
function errors(mine: Uint8Array, reference: Uint8Array): { mean: number; p99: number } {
  const d = Array.from(mine, (v, i) => Math.abs(v - (reference[i] as number))).sort((a, b) => a - b);
  return { mean: d.reduce((a, b) => a + b, 0) / d.length, p99: d[Math.floor(d.length * 0.99)] as number };
}

describe('prepareImage for an embedder that resizes to a shortest side', () => {
  it('keeps a 16:9 photo above the embedder\'s short side, so that it sees what it would see in the original', async () => {
    const original = photo(9, 1600, 900);
    const prepared = await prepareImage(await png(original), DEFAULT_IMAGE_LIMITS, mobileclip);
    // transformers resizes 1600x900 to int(256 · 1600/900) x 256 = 455x256; ingestion keeps twice
    // that, so the embedder's own resize only shrinks and lands on 455x256 again.
    expect([prepared.pixels.width, prepared.pixels.height]).toEqual([910, 512]);
    // The reference: Pillow's resize of the original (test/adapters/onnx/pil-reference.ts) and
    // transformers' centre crop, left = (455 − 256) // 2 = 99.
    const reference = crop(pilResizeReference(original, 455, 256, 'bilinear'), 99, 0, 256, 256);
    const seen = levels(clipPixelValues(prepared.pixels, MOBILECLIP), 256, 256);
    const { mean, p99 } = errors(seen, reference);
    // Fitted into 448x448 as before (448x252, enlarged again by the model): mean 0.91, p99 5.
    expect(mean).toBeLessThan(0.6);
    expect(p99).toBeLessThanOrEqual(2);
  });

  it('sizes by the upright image: EXIF orientation applied first', async () => {
    // Stored 900x1600 with orientation 6 (rotate 90° to view): upright it is 1600x900.
    const sideways = photo(3, 900, 1600);
    const jpeg = await sharp(sideways.data, { raw: { width: 900, height: 1600, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const prepared = await prepareImage(jpeg, DEFAULT_IMAGE_LIMITS, mobileclip);
    expect([prepared.pixels.width, prepared.pixels.height]).toEqual([910, 512]);
  });

  it('keeps an image already small enough as it is', async () => {
    const small = photo(4, 400, 300);
    const prepared = await prepareImage(await png(small), DEFAULT_IMAGE_LIMITS, mobileclip);
    expect(Buffer.compare(Buffer.from(prepared.pixels.data), Buffer.from(small.data))).toBe(0);
  });

  it('still bounds the decoded pixels of a very long panorama', async () => {
    const panorama = await sharp({ create: { width: 12_000, height: 400, channels: 3, background: '#446688' } }).png().toBuffer();
    const prepared = await prepareImage(panorama, DEFAULT_IMAGE_LIMITS, mobileclip);
    const { width, height } = prepared.pixels;
    expect(width * height).toBeLessThanOrEqual(EMBED_MAX_PIXELS);
    expect(width / height).toBeCloseTo(30, 1);
  });
});

describe('ingestion with the ONNX CLIP embedder', () => {
  it('hands the embedder pixels decoded to the size its preprocessing asks for', async () => {
    const work = await tempDir('mirage-prepare-');
    try {
      await writeBytes(join(work, 'photos', 'wide.png'), await png(photo(5, 1600, 900)));
      const bundle = await createClipBundle(fixture('clip'), { embedderId: 'clip-fixture' });
      const seen: [number, number][] = [];
      const recording: ImageEmbedder = {
        id: bundle.imageEmbedder.id,
        dim: bundle.imageEmbedder.dim,
        decodeSize: (width, height) => bundle.imageEmbedder.decodeSize!(width, height),
        embedImages: (images) => {
          seen.push(...images.map((image): [number, number] => [image.width, image.height]));
          return bundle.imageEmbedder.embedImages(images);
        },
      };
      await ingestImages({ store: archiveStore(join(work, 'data')), bundle: { ...bundle, imageEmbedder: recording }, archive: 'wide', source: join(work, 'photos'), access: LOCAL_ACCESS });
      // CLIP: shortest side 224, so 1600x900 -> int(224 · 1600/900) = 398 x 224; kept at twice that.
      expect(seen).toEqual([[796, 448]]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
