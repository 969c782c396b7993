import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { encodeImage } from '../../../core/images/encode.js';
import { SharedArchives } from '../../../core/adapters/local/shared-archives.js';

let root: string;
let store: LocalArchiveStore;
const DIM = 4;

const vector = (i: number) => Float32Array.from({ length: DIM }, (_, d) => (d === i % DIM ? 1 : 0.1));

async function addImages(ids: readonly string[]): Promise<void> {
  const png = await encodeImage({ data: new Uint8Array(8 * 8 * 3).fill(90), width: 8, height: 8 });
  const writer = await store.writer('live');
  await writer.add(
    ids.map((id, i) => ({
      record: { id, source: id, hash: id.padEnd(64, '0'), width: 8, height: 8, bytes: png.bytes.length, createdAt: new Date(0).toISOString() },
      full: png,
      thumb: png,
      vector: vector(i),
    })),
  );
  await writer.commit();
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-shared-'));
  store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
  await (await store.create({ name: 'live', embedder: 'test', dim: DIM, origin: { kind: 'ingest' } })).commit();
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('SharedArchives', () => {
  it('serves one loaded version until a writer (here, another store) commits, then the new one', async () => {
    const archives = new SharedArchives(new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() }), root);
    const empty = await archives.current('live');
    expect(await archives.current('live')).toBe(empty);
    expect(empty.index().size).toBe(0);

    await addImages(['a1', 'a2', 'a3']);
    const grown = await archives.current('live');
    expect(grown).not.toBe(empty);
    expect(grown.manifest.version).toBeGreaterThan(empty.manifest.version);
    expect([grown.index().size, [...grown.records()].length]).toEqual([3, 3]);
    // The old version stays whole for whoever still holds it.
    expect(empty.index().size).toBe(0);
    expect(await archives.current('live')).toBe(grown);
  });

  it('forgets an archive that was deleted and rejects unknown and invalid names', async () => {
    const archives = new SharedArchives(store, root);
    await (await store.create({ name: 'doomed', embedder: 'test', dim: DIM, origin: { kind: 'ingest' } })).commit();
    await archives.current('doomed');
    await store.delete('doomed');
    await expect(archives.current('doomed')).rejects.toMatchObject({ code: 'UNKNOWN_ARCHIVE' });
    await expect(archives.current('Bad Name')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
