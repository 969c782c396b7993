import { readdir, rm, unlink } from 'node:fs/promises';
import { z } from 'zod';
import type {
  Archive,
  ArchiveManifest,
  ArchiveStore,
  CreateArchiveRequest,
  OpenArchiveOptions,
} from '../../ports/archive-store.js';
import type { VectorIndexFactory } from '../../ports/vector-index-factory.js';
import { validate } from '../../validate.js';
import { MirageError, unknownArchive } from '../../errors.js';
import { fsyncDirectory, replaceDirectory, restoreInterruptedReplace } from '../../fs/atomic-write.js';
import { ArchiveLayout, ArchivesLayout } from './archive-layout.js';
import { DEFAULT_DATA_ROOT } from './data-root.js';
import { loadCommitted, writeVersion } from './archive-version.js';
import { unlessMissing } from './fs-errors.js';
import { LocalArchive } from './local-archive.js';
import { LocalArchiveWriter, archiveBusy } from './local-archive-writer.js';
import { originSchema, quantizationSchema, readManifest, writeManifest } from './manifest-file.js';
import { assertArchiveName, isArchiveName } from '../../fs/safe-names.js';
import { WriterLock } from './writer-lock.js';

/** Largest vector dimension accepted; far above any embedder Mirage uses. */
const MAX_DIM = 16_384;

export interface LocalArchiveStoreOptions {
  /** Folder holding archives/ (and, for the other local stores, sessions/ and blobs/). */
  readonly root?: string;
  readonly indexFactory: VectorIndexFactory;
}

const createRequestSchema = z.object({
  name: z.string(),
  embedder: z.string().min(1),
  dim: z.number().int().positive().max(MAX_DIM),
  quantization: quantizationSchema.optional(),
  origin: originSchema,
  overwrite: z.boolean().optional(),
});

/**
 * Archives as folders on local disk (layout in archive-layout.ts). Readers load one committed
 * version and are never affected by later commits, except that images removed later can no
 * longer be read. See LocalArchiveWriter for the commit protocol and the writer lock.
 */
export class LocalArchiveStore implements ArchiveStore {
  private readonly layouts: ArchivesLayout;
  private readonly indexFactory: VectorIndexFactory;

  constructor(options: LocalArchiveStoreOptions) {
    this.layouts = new ArchivesLayout(options.root ?? DEFAULT_DATA_ROOT);
    this.indexFactory = options.indexFactory;
  }

  async list(): Promise<ArchiveManifest[]> {
    const names = (await unlessMissing(readdir(this.layouts.dir))) ?? [];
    const manifests = await Promise.all(
      names.filter(isArchiveName).map((name) => readManifest(this.layouts.archive(name).manifest, name)),
    );
    return manifests.filter((m) => m !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async exists(name: string): Promise<boolean> {
    assertArchiveName(name);
    return (await readManifest(this.layouts.archive(name).manifest, name)) !== undefined;
  }

  async open(name: string, options: OpenArchiveOptions = {}): Promise<Archive> {
    assertArchiveName(name);
    const layout = this.layouts.archive(name);
    return new LocalArchive(layout, await loadCommitted(layout, name, this.indexFactory, options.view ?? false));
  }

  /**
   * The new archive (version 0, or the replaced archive's version + 1, so that a reader can tell
   * the content changed) is built in a staging folder and swapped in whole, so an overwrite never
   * exposes a half-made archive. It exists, empty, as soon as create() returns.
   */
  async create(request: CreateArchiveRequest): Promise<LocalArchiveWriter> {
    assertArchiveName(request?.name);
    const r = validate(createRequestSchema, request, `request to create archive "${request.name}"`);
    const layout = this.layouts.archive(r.name);
    const index = this.indexFactory.create(r.dim, r.quantization ?? 'f32');
    const manifest = await this.whileLocked(r.name, async () => {
      await restoreInterruptedReplace(layout.dir);
      const existing = await readManifest(layout.manifest, r.name);
      if (existing !== undefined && r.overwrite !== true) {
        throw new MirageError('ALREADY_EXISTS', `Archive "${r.name}" already exists; delete it first or ask to overwrite it.`);
      }
      const now = new Date().toISOString();
      const created: ArchiveManifest = {
        name: r.name,
        embedder: r.embedder,
        dim: r.dim,
        quantization: index.quantization,
        origin: r.origin,
        count: 0,
        version: existing === undefined ? 0 : existing.version + 1,
        createdAt: now,
        updatedAt: now,
      };
      await replaceDirectory(layout.dir, async (staging) => {
        const fresh = new ArchiveLayout(staging);
        await writeVersion(fresh, created.version, [], index, {});
        await writeManifest(fresh.manifest, created);
      });
      return created;
    });
    return new LocalArchiveWriter(this.layouts, layout, this.indexFactory, { manifest, records: new Map(), index, sidecarLengths: {} });
  }

  async writer(name: string): Promise<LocalArchiveWriter> {
    assertArchiveName(name);
    const layout = this.layouts.archive(name);
    return new LocalArchiveWriter(this.layouts, layout, this.indexFactory, await loadCommitted(layout, name, this.indexFactory, false));
  }

  /** Removing manifest.json is the point of deletion; the rest of the folder is then cleared. */
  async delete(name: string): Promise<void> {
    assertArchiveName(name);
    const layout = this.layouts.archive(name);
    await this.whileLocked(name, async () => {
      await restoreInterruptedReplace(layout.dir);
      if ((await readManifest(layout.manifest, name)) === undefined) throw unknownArchive(name);
      await unlink(layout.manifest);
      await fsyncDirectory(layout.dir);
      await rm(layout.dir, { recursive: true, force: true });
    });
  }

  private async whileLocked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const lock = await WriterLock.acquire(this.layouts.lock(name), (holder) => archiveBusy(name, holder));
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }
}
