import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../core/adapters/local/local-archive-store.js';
import { captionOf } from '../../core/scenes/caption.js';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';
import { renderScene } from '../../core/scenes/renderer.js';
import { sceneAt } from '../../core/scenes/sampler.js';
import { readSceneTruth } from '../../core/scenes/truth.js';
import { buildWorld, sceneImageId } from '../../core/scenes/world-builder.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import { decodeImage } from '../../core/images/decode.js';
import type { Archive, ArchiveManifest } from '../../core/ports/archive-store.js';
import type { Quantization, VectorIndex } from '../../core/ports/vector-index.js';

const SEED = 4242;
const SIZE = 200;
const embedder = new ScenesImageEmbedder();
let root: string;
let store: LocalArchiveStore;
let manifest: ArchiveManifest;
let archive: Archive;
const progress: [number, number][] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mirage-world-'));
  store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
  manifest = await buildWorld({ store, embedder, name: 'world', size: SIZE, seed: SEED, batchSize: 32, onProgress: (d, t) => progress.push([d, t]) });
  archive = await store.open('world');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const indices = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('buildWorld', () => {
  it('creates a committed Scenes archive of the asked size', () => {
    expect(manifest).toMatchObject({ name: 'world', embedder: embedder.id, dim: embedder.dim, count: SIZE, origin: { kind: 'scenes', seed: SEED, size: SIZE } });
    expect(archive.manifest).toEqual(manifest);
  });

  it('stores scene i as sc-000000i with its source and caption', () => {
    expect([...archive.records()].map((r) => r.id).sort()).toEqual(indices(SIZE).map(sceneImageId));
    expect(sceneImageId(42)).toBe('sc-0000042');
    for (const i of [0, 1, 57, SIZE - 1]) {
      const record = archive.record(sceneImageId(i));
      expect(record).toMatchObject({ source: `scenes:${SEED}:${i}`, caption: captionOf(sceneAt(SEED, i)), width: 256, height: 256 });
    }
  });

  it('stores a 256-pixel PNG (hashed), a 96-pixel JPEG thumbnail and the vector of the stored pixels', async () => {
    for (const i of [3, 101, 188]) {
      const id = sceneImageId(i);
      const full = await archive.readImage(id, 'full');
      const thumb = await archive.readImage(id, 'thumb');
      const record = archive.record(id);
      expect([full.mime, full.width, full.height]).toEqual(['image/png', 256, 256]);
      expect([thumb.mime, Math.max(thumb.width, thumb.height)]).toEqual(['image/jpeg', 96]);
      expect(record?.hash).toBe(createHash('sha256').update(full.bytes).digest('hex'));
      expect(record?.bytes).toBe(full.bytes.byteLength);
      const stored = archive.index().vectorOf(id) as Float32Array;
      const fromPixels = embedder.embedImage(await decodeImage(full.bytes));
      expect(Array.from(stored)).toEqual(Array.from(fromPixels));
    }
  });

  it('keeps the ground truth: the scene behind every image', async () => {
    const truth = await readSceneTruth(archive);
    expect(truth.size).toBe(SIZE);
    for (const i of indices(SIZE)) expect(truth.get(sceneImageId(i))).toEqual(sceneAt(SEED, i));
  });

  it('finds a scene from another rendering of it', async () => {
    const targets = [5, 17, 33, 48, 64, 71, 90, 112, 130, 149, 166, 181, 199];
    let found = 0;
    for (const i of targets) {
      const query = embedder.embedImage(await renderScene(sceneAt(SEED, i), { jitterSeed: 987 }));
      if (archive.index().search(query, 1, { exact: true })[0]?.id === sceneImageId(i)) found++;
    }
    expect(found).toBeGreaterThanOrEqual(targets.length - 1);
  });

  it('reports progress in order up to the total', () => {
    expect(progress.at(-1)).toEqual([SIZE, SIZE]);
    for (let k = 1; k < progress.length; k++) expect(progress[k]![0]).toBeGreaterThan(progress[k - 1]![0]);
    expect(progress.every(([, total]) => total === SIZE)).toBe(true);
  });

  it('commits along the way, so an aborted build keeps what it committed, identical to a full build', async () => {
    const controller = new AbortController();
    const build = buildWorld({
      store,
      embedder,
      name: 'aborted',
      size: 100,
      seed: SEED,
      batchSize: 20,
      commitEvery: 40,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 60) controller.abort();
      },
    });
    await expect(build).rejects.toMatchObject({ name: 'AbortError' });
    const partial = await store.open('aborted');
    expect(partial.manifest.count).toBe(40);
    expect((await readSceneTruth(partial)).size).toBe(40);
    for (const record of partial.records()) expect(record.hash).toBe(archive.record(record.id)?.hash);

    // The writer dropped its uncommitted batch and let go of the archive (deleting takes its lock).
    await store.delete('aborted');
    expect(await store.exists('aborted')).toBe(false);
  });

  it('refuses an existing name unless asked to overwrite', async () => {
    await expect(buildWorld({ store, embedder, name: 'world', size: 100, seed: 1 })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('refuses bad sizes, seeds and batch sizes before creating anything', async () => {
    const bad = [{ size: 99 }, { size: 1_000_001 }, { size: 150.5 }, { seed: -1 }, { seed: 2 ** 32 }, { batchSize: 0 }, { commitEvery: 0 }];
    for (const override of bad) {
      await expect(buildWorld({ store, embedder, name: 'bad', size: 100, seed: 1, ...override })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(await store.exists('bad')).toBe(false);
  });

  it('has no ground truth to give for an archive that is not a Scenes world', async () => {
    const writer = await store.create({ name: 'photos', embedder: 'x', dim: 4, origin: { kind: 'ingest' } });
    await writer.commit();
    await expect(readSceneTruth(await store.open('photos'))).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});

describe('buildWorld on a full disk', () => {
  /** A real index factory whose saves fail with ENOSPC from the `after`-th save on, as a full disk does. */
  function fullDiskAfter(after: number): UsearchIndexFactory {
    const real = new UsearchIndexFactory();
    let saves = 0;
    const wrap = (index: VectorIndex): VectorIndex =>
      new Proxy(index, {
        get(target, property) {
          if (property === 'save') {
            return async (dir: string) => {
              if (++saves > after) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${dir}'`), { code: 'ENOSPC' });
              await target.save(dir);
            };
          }
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    return Object.assign(Object.create(real) as UsearchIndexFactory, {
      create: (dim: number, quantization: Quantization) => wrap(real.create(dim, quantization)),
    });
  }

  it('leaves no archive when the disk fills before the world is committed, and the name stays free', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mirage-full-'));
    try {
      // The empty version that create() writes still fits; the world's commit does not.
      const full = new LocalArchiveStore({ root: dir, indexFactory: fullDiskAfter(1) });
      await expect(buildWorld({ store: full, embedder, name: 'full', size: 100, seed: 3, batchSize: 50 })).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(await full.list()).toEqual([]);
      expect(await full.exists('full')).toBe(false);
      expect((await readdir(join(dir, 'archives'))).filter((n) => !n.startsWith('.'))).toEqual([]);
      // Nothing holds the name: with room again, the same build succeeds.
      const roomy = new LocalArchiveStore({ root: dir, indexFactory: new UsearchIndexFactory() });
      expect(await buildWorld({ store: roomy, embedder, name: 'full', size: 100, seed: 3, batchSize: 50 })).toMatchObject({ count: 100 });
      expect((await readdir(join(dir, 'archives'))).filter((n) => n.includes('full'))).toEqual(['full']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves the previous world in place when an overwrite fails on a full disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mirage-full-'));
    try {
      const roomy = new LocalArchiveStore({ root: dir, indexFactory: new UsearchIndexFactory() });
      const before = await buildWorld({ store: roomy, embedder, name: 'kept', size: 100, seed: 5, batchSize: 50 });
      const full = new LocalArchiveStore({ root: dir, indexFactory: fullDiskAfter(1) });
      await expect(buildWorld({ store: full, embedder, name: 'kept', size: 120, seed: 6, overwrite: true })).rejects.toMatchObject({ code: 'ENOSPC' });
      const kept = await roomy.open('kept');
      expect(kept.manifest).toEqual(before);
      expect(kept.index().size).toBe(100);
      expect((await readSceneTruth(kept)).size).toBe(100);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
