import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import type { UsearchVectorIndex } from '../../../core/adapters/usearch/usearch-index.js';
import { MirageError } from '../../../core/errors.js';
import type { VectorIndex } from '../../../core/ports/vector-index.js';
import { filled, sample } from './fixtures.js';
import { useTempDirs } from './temp-dir.js';

const dim = 24;
const s = sample(1200, dim, 11);
const graphOnly = new UsearchIndexFactory({ exactBelow: 0 });
const tempDir = useTempDirs();

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

function expectSameAnswers(a: VectorIndex, b: VectorIndex): void {
  expect(b.size).toBe(a.size);
  expect(b.dim).toBe(a.dim);
  expect(b.quantization).toBe(a.quantization);
  for (const q of s.queries) {
    expect(b.search(q, 10)).toEqual(a.search(q, 10));
    expect(b.search(q, 10, { exact: true })).toEqual(a.search(q, 10, { exact: true }));
    const exclude = new Set(a.search(q, 3).map((h) => h.id));
    expect(b.search(q, 10, { exclude })).toEqual(a.search(q, 10, { exclude }));
  }
  for (const id of ['img-0', 'img-599', 'img-1199', 'img-77']) {
    expect(b.has(id)).toBe(a.has(id));
    expect(b.vectorOf(id)).toEqual(a.vectorOf(id));
    expect(b.rankOf(s.queries[0]!, id)).toBe(a.rankOf(s.queries[0]!, id));
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MirageError);
  expect((error as MirageError).code).toBe(code);
  expect((error as MirageError).message).toMatch(text);
}

describe('UsearchVectorIndex save and load', () => {
  for (const quantization of ['f32', 'i8'] as const) {
    it(`${quantization}: a loaded index answers exactly like the saved one`, async () => {
      const dir = tempDir();
      const index = filled(graphOnly.create(dim, quantization), s);
      index.remove(['img-3', 'img-1000']);
      await index.save(dir);
      expectSameAnswers(index, await graphOnly.load(dir));
    });
  }

  it('a memory-mapped view answers like the saved index and refuses changes', async () => {
    // exactBelow 0 keeps the view's raw vectors on disk; the default reads small ones into memory.
    for (const factory of [graphOnly, new UsearchIndexFactory()]) {
      const dir = tempDir();
      const index = filled(factory.create(dim, 'f16'), s);
      await index.save(dir);
      const view = (await factory.load(dir, { view: true })) as UsearchVectorIndex;
      expectSameAnswers(index, view);
      for (const change of [() => view.add(['new'], [s.queries[0]!]), () => view.remove(['img-1']), () => view.rebuild()]) {
        expect(change).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
      }
      expect(view.size).toBe(s.ids.length);
    }
  });

  it('saves a view into another folder', async () => {
    const [first, second] = [tempDir(), tempDir()];
    const index = filled(graphOnly.create(dim, 'f32'), s);
    await index.save(first);
    await (await graphOnly.load(first, { view: true })).save(second);
    expectSameAnswers(index, await graphOnly.load(second));
  });

  it('keeps one generation of files, and an open view survives a later save into its folder', async () => {
    const dir = tempDir();
    const index = filled(graphOnly.create(dim, 'f32'), s);
    await index.save(dir);
    const view = await graphOnly.load(dir, { view: true });
    const before = s.queries.map((q) => view.search(q, 10, { exact: true }));
    index.remove(s.ids.slice(0, 600));
    await index.save(dir);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['manifest.json', ...Object.values(manifestOf(dir).files as Record<string, string>)].sort());
    expect(s.queries.map((q) => view.search(q, 10, { exact: true }))).toEqual(before);
    expect(view.vectorOf('img-1')).toEqual(s.vectors[1]);
    expect((await graphOnly.load(dir)).size).toBe(600);
  });

  it('saves and loads an empty index', async () => {
    const dir = tempDir();
    await graphOnly.create(dim, 'f32').save(dir);
    const loaded = await graphOnly.load(dir);
    expect(loaded.size).toBe(0);
    expect(loaded.search(s.queries[0]!, 5)).toEqual([]);
    loaded.add(['a'], [s.vectors[0]!]);
    expect(loaded.search(s.vectors[0]!, 1)[0]!.id).toBe('a');
  });

  it('never reuses the key of a removed image, across save and load', async () => {
    const dir = tempDir();
    const index = graphOnly.create(dim, 'f32');
    index.add(['a', 'b', 'c'], s.vectors.slice(0, 3));
    index.remove(['c']);
    await index.save(dir);
    const loaded = await graphOnly.load(dir);
    loaded.add(['d'], [s.vectors[3]!]);
    await loaded.save(dir);
    const idMap = JSON.parse(readFileSync(join(dir, manifestOf(dir).files.ids), 'utf8'));
    expect(Object.fromEntries(idMap.ids.map((id: string, row: number) => [id, idMap.keys[row]]))).toEqual({ a: 0, b: 1, d: 3 });
  });

  it('captures the state at the moment save is called', async () => {
    const dir = tempDir();
    const index = graphOnly.create(dim, 'f32');
    index.add(s.ids.slice(0, 100), s.vectors.slice(0, 100));
    const saving = index.save(dir);
    index.remove(s.ids.slice(0, 50));
    index.add(['late'], [s.vectors[500]!]);
    await saving;
    const loaded = await graphOnly.load(dir);
    expect(loaded.size).toBe(100);
    expect(loaded.has('late')).toBe(false);
    expect(loaded.vectorOf('img-0')).toEqual(s.vectors[0]);
  });

  it('runs overlapping saves into one folder one after the other', async () => {
    const dir = tempDir();
    const index = filled(graphOnly.create(dim, 'f32'), s);
    const first = index.save(dir);
    const second = index.save(dir);
    index.remove(['img-9']);
    await Promise.all([first, second]);
    const loaded = await graphOnly.load(dir);
    expect(loaded.has('img-9')).toBe(false);
    expect(loaded.size).toBe(s.ids.length - 1);
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('explains a missing or damaged saved index with INVALID_INPUT', async () => {
    await rejectsWith(graphOnly.load(join(tempDir(), 'nothing-here')), 'INVALID_INPUT', /no saved vector index/);

    const dir = tempDir();
    await filled(graphOnly.create(dim, 'f32'), s).save(dir);
    const files = manifestOf(dir).files as Record<string, string>;
    truncateSync(join(dir, files.vectors!), 1000);
    await rejectsWith(graphOnly.load(dir), 'INVALID_INPUT', /damaged: vectors-.* has 1000 bytes/);

    writeFileSync(join(dir, files.ids!), '{"nextKey": 1, "keys": [0], "ids": ["a", "b"]}');
    await rejectsWith(graphOnly.load(dir), 'INVALID_INPUT', /damaged: .*id map/);

    writeFileSync(join(dir, 'manifest.json'), '{"format": "mirage-usearch-index", "version": 1, "dim": -3}');
    await rejectsWith(graphOnly.load(dir), 'INVALID_INPUT', /damaged: manifest.json is invalid/);

    writeFileSync(join(dir, 'manifest.json'), 'not json');
    await rejectsWith(graphOnly.load(dir), 'INVALID_INPUT', /damaged: manifest.json is not JSON/);
  });
});
