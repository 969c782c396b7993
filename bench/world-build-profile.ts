import { createHash } from 'node:crypto';
import { encodeImage } from '../core/images/encode.js';
import { THUMBNAIL_SIZE } from '../core/images/limits.js';
import type { ImageEmbedder } from '../core/ports/image-embedder.js';
import { deriveSeed } from '../core/random/seed.js';
import { createIndexFactory } from '../core/runtime/runtime.js';
import { DEFAULT_RENDER_SIZE, sceneToSvg } from '../core/scenes/renderer.js';
import { sceneAt } from '../core/scenes/sampler.js';
import sharp from 'sharp';

export interface BuildProfile {
  readonly images: number;
  /** Mean milliseconds per image of each stage of a world build. */
  readonly msPerImage: Readonly<Record<string, number>>;
}

/**
 * Times the stages of building world images one at a time, in this thread, in the order the
 * builder runs them: scene sampling and SVG text, SVG rasterisation (sharp), PNG and JPEG
 * encoding (sharp), hashing, feature extraction (the Scenes embedder) and the index add.
 */
export async function profileBuildStages(images: number, embedder: ImageEmbedder): Promise<BuildProfile> {
  const totals = { 'scene + SVG text': 0, 'SVG rasterisation (sharp)': 0, 'PNG + JPEG encoding (sharp)': 0, 'hash': 0, 'feature extraction': 0, 'index add': 0 };
  const index = createIndexFactory().create(embedder.dim, 'f32');
  for (let i = 0; i < images; i++) {
    let t = performance.now();
    const lap = (stage: keyof typeof totals) => {
      const now = performance.now();
      totals[stage] += now - t;
      t = now;
    };
    const svg = sceneToSvg(sceneAt(1, i), DEFAULT_RENDER_SIZE, deriveSeed(1, i, 'jitter'));
    lap('scene + SVG text');
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixels = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    lap('SVG rasterisation (sharp)');
    const [full] = await Promise.all([encodeImage(pixels, { mime: 'image/png' }), encodeImage(pixels, { mime: 'image/jpeg', fit: THUMBNAIL_SIZE })]);
    lap('PNG + JPEG encoding (sharp)');
    createHash('sha256').update(full.bytes).digest('hex');
    lap('hash');
    const [vector] = await embedder.embedImages([pixels]);
    lap('feature extraction');
    index.add([`p-${i}`], [vector as Float32Array]);
    lap('index add');
  }
  return { images, msPerImage: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v / images])) };
}
