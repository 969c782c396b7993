import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { isMirageError } from '../../../core/errors.js';
import { filesUnder, makeImage, makeImages, request, tempRoot } from './archive-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let store: LocalArchiveStore;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
});
afterEach(() => cleanup());

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (e) {
    if (isMirageError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a MirageError, but it succeeded');
}

describe('LocalArchiveStore round trip', () => {
  it('stores images so that an opened archive finds and returns them', async () => {
    const images = await makeImages(['a', 'b', 'c', 'd']);
    const jpeg = await makeImage('e', { mime: 'image/jpeg' });
    const writer = await store.create(request('photos'));
    await writer.add([...images, jpeg]);
    const manifest = await writer.commit();
    expect(manifest).toMatchObject({ name: 'photos', count: 5, version: 1, dim: 16, embedder: 'test-embedder', quantization: 'f32' });

    const archive = await store.open('photos');
    expect(archive.manifest).toEqual(manifest);
    expect([...archive.records()].map((r) => r.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const image of [...images, jpeg]) {
      expect(archive.record(image.record.id)).toEqual(image.record);
      const [top] = archive.index().search(image.vector, 1);
      expect(top?.id).toBe(image.record.id);
      expect(top?.score).toBeCloseTo(1, 5);
      const full = await archive.readImage(image.record.id, 'full');
      expect(full).toEqual({ bytes: image.full.bytes, mime: image.full.mime, width: image.full.width, height: image.full.height });
      const thumb = await archive.readImage(image.record.id, 'thumb');
      expect(thumb).toEqual({ bytes: image.thumb.bytes, mime: 'image/jpeg', width: image.thumb.width, height: image.thumb.height });
    }
    expect(archive.index().vectorOf('c')).toEqual(images[2]?.vector);
  });

  it('opens memory-mapped with view', async () => {
    const images = await makeImages(['a', 'b']);
    const writer = await store.create(request('photos'));
    await writer.add(images);
    await writer.commit();
    const archive = await store.open('photos', { view: true });
    expect(archive.index().search(images[1]!.vector, 1)[0]?.id).toBe('b');
  });

  it('keeps adds invisible to readers until commit', async () => {
    const writer = await store.create(request('photos'));
    await writer.add(await makeImages(['a']));
    expect(writer.has('a')).toBe(true);

    const before = await store.open('photos');
    expect(before.manifest.count).toBe(0);
    expect(before.record('a')).toBeUndefined();
    expect(before.index().size).toBe(0);
    expect(await codeOf(before.readImage('a', 'full'))).toBe('UNKNOWN_IMAGE');
    expect((await store.list())[0]?.count).toBe(0);

    await writer.commit();
    expect(before.record('a')).toBeUndefined();
    expect((await store.open('photos')).record('a')?.id).toBe('a');
  });

  it('continues from the last commit in a reopened writer', async () => {
    const first = await makeImages(['a', 'b']);
    const writer = await store.create(request('photos'));
    await writer.add(first);
    await writer.commit();

    const again = await store.writer('photos');
    expect(again.has('a')).toBe(true);
    expect(again.has('z')).toBe(false);
    expect(again.hasHash(first[1]!.record.hash)).toBe(true);
    const added = await makeImage('z');
    expect(again.hasHash(added.record.hash)).toBe(false);
    await again.add([added]);
    expect(again.hasHash(added.record.hash)).toBe(true);
    const manifest = await again.commit();
    expect(manifest).toMatchObject({ count: 3, version: 2 });

    const archive = await store.open('photos');
    expect(archive.index().search(added.vector, 1)[0]?.id).toBe('z');
    expect(archive.record('a')).toEqual(first[0]?.record);
  });

  it('removes images from index, records and disk at commit', async () => {
    const images = await makeImages(['a', 'b', 'c']);
    const writer = await store.create(request('photos'));
    await writer.add(images);
    await writer.commit();
    const old = await store.open('photos');

    await writer.remove(['b']);
    expect(writer.has('b')).toBe(false);
    expect(writer.hasHash(images[1]!.record.hash)).toBe(false);
    expect((await old.readImage('b', 'full')).bytes).toEqual(images[1]?.full.bytes);
    await writer.commit();

    const archive = await store.open('photos');
    expect(archive.manifest.count).toBe(2);
    expect(archive.record('b')).toBeUndefined();
    expect(archive.index().has('b')).toBe(false);
    expect(archive.index().search(images[1]!.vector, 3).map((h) => h.id)).not.toContain('b');
    expect(await codeOf(archive.readImage('b', 'thumb'))).toBe('UNKNOWN_IMAGE');
    // A reader of the earlier version still lists it, but its files are gone.
    expect(old.record('b')).toBeDefined();
    expect(await codeOf(old.readImage('b', 'full'))).toBe('UNKNOWN_IMAGE');
    expect(await filesUnder(join(root, 'archives', 'photos', 'images'))).toHaveLength(4);
  });

  it('deletes the files of an image added and removed before any commit', async () => {
    const writer = await store.create(request('photos'));
    await writer.add(await makeImages(['a', 'b']));
    await writer.remove(['a']);
    expect(await filesUnder(join(root, 'archives', 'photos', 'images'))).toHaveLength(2);
    await writer.commit();
    expect([...(await store.open('photos')).records()].map((r) => r.id)).toEqual(['b']);
  });

  it('returns committed sidecar rows only', async () => {
    const writer = await store.create(request('world', { origin: { kind: 'scenes', seed: 7, size: 2 } }));
    await writer.appendSidecar('truth', [{ id: 'a', colour: 'red' }]);
    await writer.commit();
    await writer.appendSidecar('truth', [{ id: 'b', colour: 'blue' }, 3, 'text']);
    const archive = await store.open('world');
    expect(await archive.readSidecar('truth')).toEqual([{ id: 'a', colour: 'red' }]);
    expect(await archive.readSidecar('other')).toEqual([]);
    await writer.commit();
    expect(await (await store.open('world')).readSidecar('truth')).toEqual([{ id: 'a', colour: 'red' }, { id: 'b', colour: 'blue' }, 3, 'text']);
    expect(await archive.readSidecar('truth')).toEqual([{ id: 'a', colour: 'red' }]);
  });

  it('does not bump the version for a commit with nothing pending', async () => {
    const writer = await store.create(request('photos'));
    const created = (await store.list())[0];
    expect(await writer.commit()).toEqual(created);
  });
});

describe('LocalArchiveStore archives', () => {
  it('lists manifests sorted by name, answers exists, and deletes', async () => {
    await store.create(request('zebra'));
    await store.create(request('apple', { quantization: 'f16' }));
    await store.create(request('mango'));
    expect((await store.list()).map((m) => [m.name, m.quantization])).toEqual([
      ['apple', 'f16'],
      ['mango', 'f32'],
      ['zebra', 'f32'],
    ]);
    expect(await store.exists('mango')).toBe(true);
    await store.delete('mango');
    expect(await store.exists('mango')).toBe(false);
    expect((await store.list()).map((m) => m.name)).toEqual(['apple', 'zebra']);
    expect(await readdir(join(root, 'archives'))).not.toContain('mango');
  });

  it('refuses to create an existing archive unless asked to overwrite, then starts it empty', async () => {
    const writer = await store.create(request('photos'));
    await writer.add(await makeImages(['a']));
    const committed = await writer.commit();
    expect(await codeOf(store.create(request('photos')))).toBe('ALREADY_EXISTS');

    const replacement = await store.create(request('photos', { dim: 8, overwrite: true }));
    await replacement.add([await makeImage('x', { dim: 8 })]);
    await replacement.commit();
    const archive = await store.open('photos');
    expect(archive.manifest.dim).toBe(8);
    expect(archive.manifest.version).toBeGreaterThan(committed.version);
    expect([...archive.records()].map((r) => r.id)).toEqual(['x']);
    // The old writer's view is stale now: it must not write into the new archive.
    expect(await codeOf(writer.add(await makeImages(['b'])))).toBe('INVALID_INPUT');
  });

  it('exists is false and open fails for an archive that was never made', async () => {
    expect(await store.exists('nothing')).toBe(false);
    expect(await store.list()).toEqual([]);
    expect(await codeOf(store.open('nothing'))).toBe('UNKNOWN_ARCHIVE');
    expect(await codeOf(store.writer('nothing'))).toBe('UNKNOWN_ARCHIVE');
    expect(await codeOf(store.delete('nothing'))).toBe('UNKNOWN_ARCHIVE');
  });
});
