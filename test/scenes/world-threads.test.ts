import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import type { Archive } from '../../core/ports/archive-store.js';
import { ScenesImageEmbedder } from '../../core/scenes/scenes-image-embedder.js';
import { readSceneTruth } from '../../core/scenes/truth.js';
import { buildWorld } from '../../core/scenes/world-builder.js';

const SEED = 77;
const SIZE = 150;
let root: string;
let single: Archive;
let threaded: Archive;
const progress: number[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mirage-world-threads-'));
  const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
  const embedder = new ScenesImageEmbedder();
  // Batches of 16 over 150 images: ten batches, the last one short, several in flight per thread.
  await buildWorld({ store, embedder, name: 'single', size: SIZE, seed: SEED, batchSize: 16 });
  await buildWorld({ store, embedder, name: 'threaded', size: SIZE, seed: SEED, batchSize: 16, threads: 2, onProgress: (done) => progress.push(done) });
  single = await store.open('single');
  threaded = await store.open('threaded');
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytesOf = (v: Float32Array | undefined) => Buffer.from((v as Float32Array).buffer, (v as Float32Array).byteOffset, (v as Float32Array).byteLength).toString('hex');

describe('buildWorld on worker threads', () => {
  it('stores the same ids, records and ground truth as the single-threaded build', async () => {
    const records = (a: Archive) => [...a.records()].map(({ createdAt: _at, ...r }) => r);
    expect(records(threaded)).toHaveLength(SIZE);
    expect(records(threaded)).toEqual(records(single));
    expect([...(await readSceneTruth(threaded))]).toEqual([...(await readSceneTruth(single))]);
  });

  it('stores bit-identical vectors and image bytes', async () => {
    for (const { id } of single.records()) {
      expect(bytesOf(threaded.index().vectorOf(id))).toBe(bytesOf(single.index().vectorOf(id)));
    }
    for (const id of ['sc-0000000', 'sc-0000077', 'sc-0000149']) {
      expect((await threaded.readImage(id, 'full')).bytes.equals((await single.readImage(id, 'full')).bytes)).toBe(true);
      expect((await threaded.readImage(id, 'thumb')).bytes.equals((await single.readImage(id, 'thumb')).bytes)).toBe(true);
    }
  });

  it('stores batches in order and reports progress up to the total', () => {
    expect(progress).toEqual([16, 32, 48, 64, 80, 96, 112, 128, 144, 150]);
  });

  it('refuses a bad thread count before creating anything', async () => {
    const store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
    await expect(buildWorld({ store, embedder: new ScenesImageEmbedder(), name: 'bad', size: 100, seed: 1, threads: 0 })).rejects.toThrow(/Threads must be/);
    expect(await store.exists('bad')).toBe(false);
  });
});
