import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';
import { createScenesBundle } from '../../core/scenes/scenes-bundle.js';
import { MirageError } from '../../core/errors.js';
import { decodeImage } from '../../core/images/decode.js';
import { imageIdFor, ingestImages, type IngestImagesOptions, type IngestResult } from '../../core/ingest/ingest-images.js';
import { EMBED_SIZE } from '../../core/ingest/prepare-image.js';
import { LOCAL_ACCESS } from '../../core/ingest/ingest-access.js';
import { removeImages } from '../../core/ingest/remove-images.js';
import type { ModelBundle } from '../../core/ports/model-bundle.js';
import { archiveStore, canEncodeAvif, link, picture, tempDir, writeBytes } from './image-files.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const LIMITS = { maxPixels: 200 * 200, maxBytes: 8 * 1024 * 1024 };

let work: string;
let folder: string;
let outside: string;
let avif: boolean;
/** Files expected to be added, by name relative to the folder. */
const good = new Map<string, Uint8Array>();

beforeAll(async () => {
  work = await tempDir('mirage-ingest-');
  folder = join(work, 'photos');
  outside = join(work, 'elsewhere');
  avif = await canEncodeAvif();
  const add = async (name: string, bytes: Promise<Buffer>) => good.set(name, await writeBytes(join(folder, name), await bytes));
  await add('a.png', picture(1, 64, 48).png().toBuffer());
  // Stored sideways: EXIF orientation 6 says "rotate 90° clockwise to view".
  await add('trip/b-rotated.jpg', picture(2, 64, 48).jpeg().withMetadata({ orientation: 6 }).toBuffer());
  await add('trip/c.webp', picture(3, 40, 40).webp().toBuffer());
  await add('trip/deeper/d.gif', picture(4, 32, 24).gif().toBuffer());
  await add('e.tiff', picture(5, 30, 30).tiff().toBuffer());
  await add('f-alpha.png', picture(6, 20, 20, 4).png().toBuffer());
  if (avif) await add('g.avif', picture(7, 32, 32).avif().toBuffer());

  const png = (good.get('a.png') as Uint8Array).slice();
  await writeBytes(join(folder, 'copy-of-a.png'), png);
  await writeBytes(join(folder, 'broken.png'), png.subarray(0, png.length - 40));
  await writeBytes(join(folder, 'not-an-image.jpg'), Buffer.from('this is text, not a JPEG'));
  await writeBytes(join(folder, 'empty.png'), new Uint8Array(0));
  await writeBytes(join(folder, 'huge.png'), await picture(8, 300, 300).png().toBuffer());
  await writeBytes(join(folder, 'drawing.svg'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'));
  await writeBytes(join(folder, '.hidden.png'), await picture(9, 16, 16).png().toBuffer());
  await writeBytes(join(outside, 'secret.png'), await picture(10, 16, 16).png().toBuffer());
  await link(join(outside, 'secret.png'), join(folder, 'escape.png'));
  await link(join(folder, 'a.png'), join(folder, 'trip', 'alias-of-a.png'));
  await link(join(folder, 'trip'), join(folder, 'trip-again'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function ingest(dataDir: string, extra: Partial<IngestImagesOptions> = {}) {
  return ingestImages({
    store: archiveStore(dataDir),
    bundle: createScenesBundle(),
    archive: 'photos',
    source: folder,
    access: LOCAL_ACCESS,
    batchSize: 3,
    limits: LIMITS,
    ...extra,
  });
}

describe('ingestImages over a folder', () => {
  /** One run that the read-only tests below inspect. */
  let sharedDir: string;
  let report: IngestResult;
  beforeAll(async () => {
    sharedDir = await tempDir('mirage-ingest-data-');
    report = await ingest(sharedDir);
  });

  it('adds every readable image, dedupes by content, and lists each skipped file with its reason', async () => {

    expect(report.added).toBe(good.size);
    expect(report.duplicates).toBe(2); // copy-of-a.png and the symlink alias inside the folder
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.source.slice(folder.length + 1), s.reason]));
    expect(reasons['broken.png']).toMatch(/^corrupt \(/);
    expect(reasons['not-an-image.jpg']).toBe('unsupported format');
    expect(reasons['empty.png']).toBe('zero bytes');
    expect(reasons['huge.png']).toBe('over the pixel limit (300x300 = 90000 pixels; the limit is 40000)');
    expect(reasons['drawing.svg']).toBe('unsupported format (svg)');
    expect(reasons['escape.png']).toBe('symlink leads outside the folder');
    // In the order of the walk (sorted names), whichever check caught each file.
    expect(Object.keys(reasons)).toEqual(['broken.png', 'drawing.svg', 'empty.png', 'escape.png', 'huge.png', 'not-an-image.jpg']);
    expect(report.total).toBe(report.added + report.duplicates + report.skipped.length);

    const archive = await archiveStore(sharedDir).open('photos');
    expect(archive.manifest).toMatchObject({ embedder: 'scenes', count: good.size, origin: { kind: 'ingest' } });
    for (const [name, bytes] of good) {
      const hash = sha256(bytes);
      const record = archive.record(imageIdFor(hash));
      expect(record, name).toMatchObject({ hash, source: join(folder, name) });
      expect(record?.id).toMatch(/^im-[0-9a-f]{16}$/);
      const thumb = await archive.readImage(imageIdFor(hash), 'thumb');
      expect(thumb.mime).toBe('image/jpeg');
      expect(Math.max(thumb.width, thumb.height)).toBe(96);
    }
  });

  it('applies EXIF orientation, keeps web originals as they are and re-encodes the rest', async () => {
    const archive = await archiveStore(sharedDir).open('photos');
    const idOf = (name: string) => imageIdFor(sha256(good.get(name) as Uint8Array));

    const rotated = archive.record(idOf('trip/b-rotated.jpg'));
    expect([rotated?.width, rotated?.height]).toEqual([48, 64]);
    const full = await archive.readImage(idOf('trip/b-rotated.jpg'), 'full');
    const meta = await sharp(full.bytes).metadata();
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([48, 64, 1]);

    const png = await archive.readImage(idOf('a.png'), 'full');
    expect(Buffer.compare(png.bytes, Buffer.from(good.get('a.png') as Uint8Array))).toBe(0);
    // GIF is a palette format that may carry transparency: PNG keeps both.
    expect((await archive.readImage(idOf('trip/deeper/d.gif'), 'full')).mime).toBe('image/png');
    expect((await archive.readImage(idOf('e.tiff'), 'full')).mime).toBe('image/jpeg');
    expect((await archive.readImage(idOf('f-alpha.png'), 'full')).mime).toBe('image/png');
  });

  it('indexes the embedding of the upright pixels', async () => {
    const archive = await archiveStore(sharedDir).open('photos');
    const embedder = new ScenesImageEmbedder();
    for (const name of ['trip/b-rotated.jpg', 'trip/c.webp', 'e.tiff']) {
      const bytes = good.get(name) as Uint8Array;
      const pixels = await decodeImage(bytes, { fit: EMBED_SIZE });
      const [hit] = archive.index().search(embedder.embedImage(pixels), 1);
      expect(hit?.id, name).toBe(imageIdFor(sha256(bytes)));
      expect(hit?.score).toBeCloseTo(1, 5);
    }
  });

  it('adds only what is new on a re-run', async () => {
    const dataDir = await tempDir('mirage-ingest-data-');
    const first = await ingest(dataDir);
    const again = await ingest(dataDir);
    expect(again.added).toBe(0);
    expect(again.duplicates).toBe(first.added + first.duplicates);
    expect(again.manifest.version).toBe(first.manifest.version);

    const extra = join(folder, 'trip', 'new-one.png');
    const bytes = await writeBytes(extra, await picture(11, 24, 24).png().toBuffer());
    try {
      const third = await ingest(dataDir);
      expect(third.added).toBe(1);
      const archive = await archiveStore(dataDir).open('photos');
      expect(archive.record(imageIdFor(sha256(bytes)))?.source).toBe(extra);
      expect(archive.manifest.count).toBe(first.added + 1);
    } finally {
      await rm(extra);
    }
  });

  it('commits what was embedded when a run fails midway, and a re-run completes it', async () => {
    const dataDir = await tempDir('mirage-ingest-data-');
    const scenes = createScenesBundle();
    let calls = 0;
    const failing: ModelBundle = {
      ...scenes,
      imageEmbedder: {
        id: scenes.imageEmbedder.id,
        dim: scenes.imageEmbedder.dim,
        embedImages: async (images) => {
          if (++calls === 3) throw new MirageError('MODEL_ERROR', 'the model crashed');
          return scenes.imageEmbedder.embedImages(images);
        },
      },
    };
    await expect(ingest(dataDir, { bundle: failing, batchSize: 2, checkpointEvery: 100 })).rejects.toThrow('the model crashed');
    const partial = await archiveStore(dataDir).open('photos');
    expect(partial.manifest.count).toBe(4);

    const rest = await ingest(dataDir, { batchSize: 2 });
    expect(rest.added).toBe(good.size - 4);
    expect(rest.manifest.count).toBe(good.size);
  });

  it('stops at a cancellation with every embedded batch committed', async () => {
    const dataDir = await tempDir('mirage-ingest-data-');
    const controller = new AbortController();
    const run = ingest(dataDir, {
      batchSize: 1,
      checkpointEvery: 1,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done >= 1) controller.abort(new DOMException('Interrupted.', 'AbortError'));
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const archive = await archiveStore(dataDir).open('photos');
    expect(archive.manifest.count).toBeGreaterThan(0);
    expect(archive.manifest.count).toBeLessThan(good.size);
    const rest = await ingest(dataDir);
    expect(archive.manifest.count + rest.added).toBe(good.size);
  });

  it('refuses to mix embedders in one archive', async () => {
    const dataDir = await tempDir('mirage-ingest-data-');
    await ingest(dataDir);
    const other: ModelBundle = { ...createScenesBundle(), embedderId: 'other-embedder' };
    const error = await ingest(dataDir, { bundle: other }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect((error as Error).message).toContain('was indexed with embedder "scenes"');
  });

  it('removes images from index and store; they can be ingested again', async () => {
    const dataDir = await tempDir('mirage-ingest-data-');
    const store = archiveStore(dataDir);
    await ingest(dataDir);
    const id = imageIdFor(sha256(good.get('trip/c.webp') as Uint8Array));
    const manifest = await removeImages(store, 'photos', [id]);
    expect(manifest.count).toBe(good.size - 1);
    const archive = await store.open('photos');
    expect(archive.record(id)).toBeUndefined();
    expect(archive.index().has(id)).toBe(false);
    await expect(archive.readImage(id, 'full')).rejects.toMatchObject({ code: 'UNKNOWN_IMAGE' });

    const unknown = await removeImages(store, 'photos', [imageIdFor(sha256(good.get('a.png') as Uint8Array)), 'im-0000000000000000']).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'UNKNOWN_IMAGE' });
    expect((await store.open('photos')).manifest.count).toBe(good.size - 1);

    const again = await ingest(dataDir);
    expect(again.added).toBe(1);
  });

  it('rejects a source that does not exist or is not a listing', async () => {
    const dataDir = await tempDir('mirage-ingest-data-');
    await expect(ingest(dataDir, { source: join(work, 'nope') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(ingest(dataDir, { source: join(folder, 'a.png') })).rejects.toThrow(/is a binary file; pass a folder of images, or a text file listing/);
  });
});

describe('ingestImages over a listing of paths and URLs', () => {
  let server: Server;
  let base: string;
  let served: Buffer;
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    served = await picture(20, 50, 30).jpeg().toBuffer();
    server = createServer((req, res) => {
      if (req.url === '/cat.jpg') {
        res.writeHead(200, { 'Content-Type': 'image/jpeg' });
        res.end(served);
      } else if (req.url === '/slow.jpg') {
        // Never answers: the fetch can only end by its own timeout.
        hanging.push(res);
      } else {
        res.writeHead(404);
        res.end('missing');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('reads local paths and URLs, skipping the unreachable ones with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));

    const listing = join(work, 'list.txt');
    await writeFile(
      listing,
      [
        '# holiday pictures',
        'photos/a.png',
        '',
        `${base}/cat.jpg`,
        `${base}/gone.jpg`,
        `http://127.0.0.1:${deadPort}/x.jpg`,
        `${base}/slow.jpg`,
        'ftp://example.invalid/y.jpg',
        'photos/missing.png',
      ].join('\n'),
    );
    const dataDir = await tempDir('mirage-ingest-data-');
    // Long enough for every answering URL on a loaded machine; the one that never answers times out.
    const report = await ingest(dataDir, { source: listing, urlTimeoutMs: 3_000 });
    expect(report.added).toBe(2);
    expect(report.total).toBe(7);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.source, s.reason]));
    expect(reasons[`${base}/gone.jpg`]).toBe('unreachable URL (HTTP 404)');
    expect(reasons[`http://127.0.0.1:${deadPort}/x.jpg`]).toMatch(/^unreachable URL \(.*ECONNREFUSED/);
    expect(reasons[`${base}/slow.jpg`]).toBe('unreachable URL (no answer within 3 s)');
    expect(reasons['ftp://example.invalid/y.jpg']).toBe('unsupported URL scheme "ftp" (http and https only)');
    expect(reasons[join(work, 'photos/missing.png')]).toBe('not found');

    const archive = await archiveStore(dataDir).open('photos');
    const record = archive.record(imageIdFor(sha256(served)));
    expect(record?.source).toBe(`${base}/cat.jpg`);
    expect(Buffer.compare((await archive.readImage(record?.id as string, 'full')).bytes, served)).toBe(0);
    expect(archive.record(imageIdFor(sha256(await readFile(join(folder, 'a.png')))))?.source).toBe(join(folder, 'a.png'));
  });
});
