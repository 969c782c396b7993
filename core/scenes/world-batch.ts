import { createHash } from 'node:crypto';
import { encodeImage } from '../images/encode.js';
import { THUMBNAIL_SIZE } from '../images/limits.js';
import type { EncodedImage, RawImage } from '../images/raw-image.js';
import type { ImageRecord } from '../ports/archive-store.js';
import { deriveSeed } from '../random/seed.js';
import { captionOf } from './caption.js';
import { DEFAULT_RENDER_SIZE, renderScene } from './renderer.js';
import { sceneAt } from './sampler.js';
import type { Scene } from './scene.js';

/** Id of scene i in a world: zero-padded so that ids sort in index order. */
export function sceneImageId(index: number): string {
  return `sc-${String(index).padStart(7, '0')}`;
}

/** One world image ready to store, before embedding. */
export interface PreparedImage {
  readonly record: ImageRecord;
  readonly pixels: RawImage;
  readonly full: EncodedImage;
  readonly thumb: EncodedImage;
  readonly scene: Scene;
}

/** One batch of a world: images first..first+count-1 of (seed, nearDuplicateRate), all stamped createdAt. */
export interface WorldBatch {
  readonly seed: number;
  readonly nearDuplicateRate: number;
  readonly first: number;
  readonly count: number;
  readonly createdAt: string;
}

/** Scene i of the world rendered, encoded (PNG and JPEG thumbnail) and described. */
export async function prepareImage(seed: number, index: number, nearDuplicateRate: number, createdAt: string): Promise<PreparedImage> {
  const scene = sceneAt(seed, index, nearDuplicateRate);
  const pixels = await renderScene(scene, { size: DEFAULT_RENDER_SIZE, jitterSeed: deriveSeed(seed, index, 'jitter') });
  const [full, thumb] = await Promise.all([
    encodeImage(pixels, { mime: 'image/png' }),
    encodeImage(pixels, { mime: 'image/jpeg', fit: THUMBNAIL_SIZE }),
  ]);
  const record: ImageRecord = {
    id: sceneImageId(index),
    source: `scenes:${seed}:${index}`,
    hash: createHash('sha256').update(full.bytes).digest('hex'),
    width: full.width,
    height: full.height,
    bytes: full.bytes.byteLength,
    createdAt,
    caption: captionOf(scene),
  };
  return { record, pixels, full, thumb, scene };
}

export function prepareBatch(batch: WorldBatch): Promise<PreparedImage[]> {
  return Promise.all(Array.from({ length: batch.count }, (_, k) => prepareImage(batch.seed, batch.first + k, batch.nearDuplicateRate, batch.createdAt)));
}
