import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../core/images/raw-image.js';
import { Prng } from '../../core/random/prng.js';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';

/**
 * Pictures drawn in plain code (no renderer, so no library version can move them): banded sky
 * and ground with flat rows, discs and bars of several colours, a noisy patch, at the sizes the
 * world (256) and the text embedder (64) feed the embedder, and one odd size.
 */
function picture(size: number, seed: number): RawImage {
  const rng = new Prng(seed);
  const data = new Uint8Array(size * size * 3);
  const horizon = Math.floor(size * (0.35 + rng.next() * 0.1));
  const discs = Array.from({ length: 1 + rng.int(0, 3) }, () => ({
    x: rng.next() * size,
    y: rng.next() * size,
    r: size * (0.05 + rng.next() * 0.15),
    rgb: [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)],
  }));
  const noisy = rng.next() < 0.5;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = (y * size + x) * 3;
      let rgb = y < horizon ? [80 + Math.floor((y * 90) / horizon), 150, 230] : [60, 140 + (y % 7), 60];
      for (const d of discs) if ((x + 0.5 - d.x) ** 2 + (y + 0.5 - d.y) ** 2 <= d.r * d.r) rgb = d.rgb;
      if (x > size * 0.7 && x < size * 0.72 && y > horizon) rgb = [40, 30, 20];
      if (noisy && x < size * 0.2 && y > size * 0.8) rgb = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
      data[p] = rgb[0]!;
      data[p + 1] = rgb[1]!;
      data[p + 2] = rgb[2]!;
    }
  }
  return { data, width: size, height: size };
}

describe('Scenes image features, bit for bit', () => {
  it('give exactly the vectors recorded before the extraction was made faster', () => {
    const embedder = new ScenesImageEmbedder();
    const hash = createHash('sha256');
    for (const [i, size] of [256, 64, 256, 64, 173, 256, 64, 96].entries()) {
      const vector = embedder.embedImage(picture(size, 100 + i));
      hash.update(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    }
    expect(hash.digest('hex')).toBe('ad470be2b749b689afa28954684c18a77566f01331be2973e1c1879a2c496b60');
  });
});
