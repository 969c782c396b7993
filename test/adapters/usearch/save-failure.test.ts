import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { UsearchIndexFactory } from '../../../core/adapters/usearch/usearch-index-factory.js';
import type { VectorIndex } from '../../../core/ports/vector-index.js';
import { filled, sample } from './fixtures.js';
import { useTempDirs } from './temp-dir.js';

// Fault injection: writeFileAtomic throws for paths matching `failing.path`, the way a full
// disk or an I/O error would, at a chosen point in the middle of a save.
const failing = vi.hoisted(() => ({ path: undefined as RegExp | undefined }));
vi.mock('../../../core/fs/atomic-write.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../core/fs/atomic-write.js')>();
  return {
    ...actual,
    writeFileAtomic: async (path: string, data: string | Uint8Array) => {
      if (failing.path?.test(path)) throw new Error(`injected failure writing ${path}`);
      await actual.writeFileAtomic(path, data);
    },
  };
});

const dim = 16;
const s = sample(600, dim, 5);
const factory = new UsearchIndexFactory({ exactBelow: 0 });
const tempDir = useTempDirs();

const answers = (index: VectorIndex) => ({
  size: index.size,
  hits: s.queries.map((q) => index.search(q, 10)),
  vector: index.vectorOf('img-1'),
});

describe('UsearchVectorIndex save that fails midway', () => {
  for (const [stage, path] of [
    ['writing the id map', /ids-[^/]*\.json$/],
    ['committing the manifest', /manifest\.json$/],
  ] as const) {
    it(`leaves the previous index loadable when it fails ${stage}`, async () => {
      const dir = tempDir();
      const index = filled(factory.create(dim, 'f32'), s);
      await index.save(dir);
      const before = answers(await factory.load(dir));

      index.remove(s.ids.slice(0, 300));
      index.add(['extra'], [s.queries[0]!]);
      failing.path = path;
      try {
        await expect(index.save(dir)).rejects.toThrow(/injected failure/);
      } finally {
        failing.path = undefined;
      }
      // The failed save did write some of its new files: it really failed midway.
      expect(readdirSync(dir).length).toBeGreaterThan(4);
      expect(answers(await factory.load(dir))).toEqual(before);
      expect(answers(await factory.load(dir, { view: true }))).toEqual(before);

      await index.save(dir);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(readdirSync(dir).sort()).toEqual(['manifest.json', ...Object.values(manifest.files as Record<string, string>)].sort());
      expect(answers(await factory.load(dir))).toEqual(answers(index));
    });
  }
});
