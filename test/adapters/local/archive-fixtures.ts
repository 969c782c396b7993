import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeImage } from '../../../core/images/encode.js';
import type { ImageMime } from '../../../core/images/raw-image.js';
import type { CreateArchiveRequest, NewArchiveImage } from '../../../core/ports/archive-store.js';
import type { VectorIndex } from '../../../core/ports/vector-index.js';
import type { VectorIndexFactory } from '../../../core/ports/vector-index-factory.js';
import { Prng } from '../../../core/random/prng.js';
import { deriveSeed } from '../../../core/random/seed.js';

export const DIM = 16;

export function request(name: string, overrides: Partial<CreateArchiveRequest> = {}): CreateArchiveRequest {
  return { name, embedder: 'test-embedder', dim: DIM, origin: { kind: 'ingest' }, ...overrides };
}

/**
 * A real image: seeded random pixels, encoded by sharp (PNG or JPEG), a JPEG thumbnail, the
 * sha256 of the full bytes, and a unit vector drawn from the same seed.
 */
export async function makeImage(id: string, options: { mime?: ImageMime; dim?: number } = {}): Promise<NewArchiveImage> {
  const prng = new Prng(deriveSeed('archive-fixture', id));
  const width = prng.int(12, 24);
  const height = prng.int(8, 16);
  const data = new Uint8Array(width * height * 3).map(() => prng.int(0, 255));
  const full = await encodeImage({ data, width, height }, { mime: options.mime ?? 'image/png' });
  const thumb = await encodeImage({ data, width, height }, { mime: 'image/jpeg', fit: 8 });
  return {
    record: {
      id,
      source: `test://${id}`,
      hash: createHash('sha256').update(full.bytes).digest('hex'),
      width,
      height,
      bytes: full.bytes.length,
      createdAt: '2024-01-02T03:04:05.000Z',
      caption: `caption of ${id}`,
    },
    full,
    thumb,
    vector: unitVector(prng, options.dim ?? DIM),
  };
}

export async function makeImages(ids: readonly string[]): Promise<NewArchiveImage[]> {
  return Promise.all(ids.map((id) => makeImage(id)));
}

function unitVector(prng: Prng, dim: number): Float32Array {
  const v = Float32Array.from({ length: dim }, () => prng.gaussian());
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** A fresh temporary folder and a function that removes it. */
export async function tempRoot(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mirage-local-'));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Every file (not folder) below a folder, sorted, for checking what is on disk. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/**
 * Wraps a real factory so that the indexes it makes fail in save() while `failing.mode` says so:
 * "before" throws without writing, "after" throws once the real save has written everything (a
 * crash between writing the new version and switching the manifest to it).
 */
export function faultyFactory(real: VectorIndexFactory): { factory: VectorIndexFactory; failing: { mode: 'none' | 'before' | 'after' } } {
  const failing: { mode: 'none' | 'before' | 'after' } = { mode: 'none' };
  const wrap = (index: VectorIndex): VectorIndex =>
    new Proxy(index, {
      get(target, property) {
        if (property !== 'save') {
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (dir: string) => {
          if (failing.mode === 'before') throw new Error('injected failure before saving the index');
          await target.save(dir);
          if (failing.mode === 'after') throw new Error('injected failure after saving the index');
        };
      },
    });
  return {
    failing,
    factory: {
      create: (dim, quantization) => wrap(real.create(dim, quantization)),
      load: async (dir, options) => wrap(await real.load(dir, options)),
    },
  };
}
