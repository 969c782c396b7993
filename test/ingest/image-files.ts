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

/** Seeded noise: it compresses badly, so a byte budget really has to be worked for. */
export function noisePicture(width: number, height: number, seed = 12345): Sharp {
  const data = Buffer.alloc(width * height * 3);
  let x = seed;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** Who took a photo and where, as XMP carries it; served images must not. */
export const PHOTO_OWNER = 'Jane Doe, 12 Home Street';

/** A camera JPEG of noise with GPS position, owner (EXIF and XMP) and, if given, an EXIF orientation. */
export async function phonePhoto(width: number, height: number, options: { orientation?: number; quality?: number } = {}): Promise<Buffer> {
  const xmp =
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${PHOTO_OWNER}</dc:creator>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta>';
  let pipeline = noisePicture(width, height).jpeg({ quality: options.quality ?? 92 });
  if (options.orientation !== undefined) pipeline = pipeline.withMetadata({ orientation: options.orientation });
  return pipeline
    .withExif({ IFD0: { Artist: PHOTO_OWNER }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 1234/100' } })
    .withXmp(xmp)
    .toBuffer();
}

/** Whether EXIF data holds a GPS block (the GPSInfo tag, 0x8825, little-endian as sharp writes it). */
export const hasGpsBlock = (exif: Buffer | undefined): boolean => exif?.includes(Buffer.from([0x25, 0x88])) === true;
