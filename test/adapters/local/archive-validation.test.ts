import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArchiveStore } from '../../../core/adapters/local/local-archive-store.js';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import { isMirageError } from '../../../core/errors.js';
import type { ArchiveWriter, NewArchiveImage } from '../../../core/ports/archive-store.js';
import { makeImage, request, tempRoot } from './archive-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let store: LocalArchiveStore;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = new LocalArchiveStore({ root, indexFactory: new UsearchIndexFactory() });
});
afterEach(() => cleanup());

async function failure(work: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work();
  } catch (e) {
    if (isMirageError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a MirageError, but it succeeded');
}

const BAD_NAMES = ['', '..', '../outside', 'a/b', 'a\\b', '.hidden', 'Photos', 'x'.repeat(65), 'tab\there', 'nul\0'];

describe('archive names', () => {
  it.each(BAD_NAMES)('rejects %j everywhere before touching the disk', async (name) => {
    for (const work of [
      () => store.open(name),
      () => store.exists(name),
      () => store.writer(name),
      () => store.delete(name),
      () => store.create(request(name)),
    ]) {
      expect((await failure(work)).code).toBe('INVALID_INPUT');
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('accepts lowercase names with digits, dots, dashes and underscores', async () => {
    await store.create(request('my-photos_2024.v2'));
    expect(await store.exists('my-photos_2024.v2')).toBe(true);
  });

  it('explains a bad create request', async () => {
    expect(await failure(() => store.create(request('photos', { dim: 0 })))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('dim') });
    expect(await failure(() => store.create(request('photos', { embedder: '' })))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await failure(() => store.create(request('photos', { quantization: 'f8' as never })))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store.exists('photos')).toBe(false);
  });
});

describe('images handed to a writer', () => {
  let writer: ArchiveWriter;
  let good: NewArchiveImage;

  beforeEach(async () => {
    writer = await store.create(request('photos'));
    good = await makeImage('good');
  });

  const withRecord = (changes: object): NewArchiveImage => ({ ...good, record: { ...good.record, ...changes } });

  it.each([
    ['a path-traversing id', () => withRecord({ id: '../../etc/passwd' }), /Image id "..\/..\/etc\/passwd" is not allowed/],
    ['an id with a slash', () => withRecord({ id: 'a/b' }), /Image id/],
    ['an empty id', () => withRecord({ id: '' }), /Image id/],
    ['a hash that is not sha256 hex', () => withRecord({ hash: 'abc' }), /hash must be the sha256/],
    ['a zero width', () => withRecord({ width: 0 }), /width must be a whole number > 0/],
    ['a bad date', () => withRecord({ createdAt: 'yesterday' }), /createdAt/],
    ['a vector of the wrong length', () => ({ ...good, vector: new Float32Array(3) }), /length 16/],
    ['a vector with NaN', () => ({ ...good, vector: good.vector.map((v, i) => (i === 2 ? Number.NaN : v)) }), /NaN/],
    ['PNG bytes labelled JPEG', () => ({ ...good, full: { ...good.full, mime: 'image/jpeg' as const } }), /full image: the bytes are not image\/jpeg/],
    ['an unsupported mime', () => ({ ...good, thumb: { ...good.thumb, mime: 'image/gif' as never } }), /thumbnail: unsupported mime/],
    ['empty bytes', () => ({ ...good, full: { ...good.full, bytes: Buffer.alloc(0) } }), /bytes are missing/],
  ])('rejects %s with INVALID_INPUT and writes nothing', async (_what, make, message) => {
    const result = await failure(() => writer.add([good, make()]));
    expect(result.code).toBe('INVALID_INPUT');
    expect(result.message).toMatch(message);
    expect(writer.has('good')).toBe(false);
    expect(await readdir(`${root}/archives/photos`)).not.toContain('images');
  });

  it('rejects a duplicate id within a batch and against the archive', async () => {
    expect((await failure(() => writer.add([good, good]))).code).toBe('ALREADY_EXISTS');
    await writer.add([good]);
    expect((await failure(() => writer.add([good]))).code).toBe('ALREADY_EXISTS');
    await writer.commit();
    expect((await failure(async () => (await store.writer('photos')).add([good]))).code).toBe('ALREADY_EXISTS');
  });

  it('refuses to re-add a removed id before the removal is committed, then allows it', async () => {
    await writer.add([good]);
    await writer.commit();
    await writer.remove(['good']);
    expect(await failure(() => writer.add([good]))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('commit()') });
    await writer.commit();
    await writer.add([good]);
    await writer.commit();
    const archive = await store.open('photos');
    expect((await archive.readImage('good', 'full')).bytes).toEqual(good.full.bytes);
  });

  it('reports unknown and malformed ids on remove and read', async () => {
    await writer.add([good]);
    await writer.commit();
    expect((await failure(() => writer.remove(['good', 'missing']))).code).toBe('UNKNOWN_IMAGE');
    expect(writer.has('good')).toBe(true);
    expect((await failure(() => writer.remove(['../x']))).code).toBe('INVALID_INPUT');
    const archive = await store.open('photos');
    expect((await failure(() => archive.readImage('missing', 'full'))).code).toBe('UNKNOWN_IMAGE');
    expect((await failure(() => archive.readImage('../../manifest', 'full'))).code).toBe('UNKNOWN_IMAGE');
    expect((await failure(() => archive.readImage('good', 'huge' as never))).code).toBe('INVALID_INPUT');
  });

  it('rejects bad sidecar names and rows JSON cannot hold', async () => {
    expect((await failure(() => writer.appendSidecar('../escape', [1]))).code).toBe('INVALID_INPUT');
    expect((await failure(() => writer.appendSidecar('truth', [undefined]))).code).toBe('INVALID_INPUT');
    expect((await failure(() => writer.appendSidecar('truth', [{ n: 1n }]))).code).toBe('INVALID_INPUT');
    const archive = await store.open('photos');
    expect((await failure(() => archive.readSidecar('../../manifest'))).code).toBe('INVALID_INPUT');
  });
});
