import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { LocalArchiveStore } from '../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import { Prng } from '../../core/random/prng.js';

/** A seeded picture: blocks of colour, so that images differ in what an embedder sees. */
export function picture(seed: number, width: number, height: number, channels: 3 | 4 = 3): Sharp {
  const prng = new Prng(seed);
  const data = Buffer.alloc(width * height * channels);
  const block = 8;
  const colours = Array.from({ length: 16 }, () => [prng.int(0, 255), prng.int(0, 255), prng.int(0, 255)]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colours[(Math.floor(x / block) * 3 + Math.floor(y / block) * 5 + seed) % colours.length] as number[];
      const o = (y * width + x) * channels;
      data[o] = c[0] as number;
      data[o + 1] = c[1] as number;
      data[o + 2] = c[2] as number;
      if (channels === 4) data[o + 3] = x < width / 2 ? 255 : 128;
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

export async function writeBytes(path: string, bytes: Uint8Array): Promise<Uint8Array> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return bytes;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function archiveStore(root: string): LocalArchiveStore {
  return new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
}

/** Whether this sharp build can write AVIF (the AV1 encoder is optional in libheif builds). */
export async function canEncodeAvif(): Promise<boolean> {
  return picture(1, 16, 16)
    .avif()
    .toBuffer()
    .then(
      () => true,
      () => false,
    );
}

export async function link(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path);
}
