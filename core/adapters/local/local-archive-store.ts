import { mkdir, readdir, rm, unlink } from 'node:fs/promises';
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
import { fsyncDirectory, removeLeftovers, replaceDirectory, restoreInterruptedReplace, temporarySibling } from '../../fs/atomic-write.js';
import { ArchiveLayout, ArchivesLayout } from './archive-layout.js';
import { DEFAULT_DATA_ROOT } from './data-root.js';
import { loadCommitted, writeVersion } from './archive-version.js';
import { unlessMissing } from './fs-errors.js';
import { LocalArchive } from './local-archive.js';
import { LocalArchiveWriter, archiveBusy } from './local-archive-writer.js';
import { originSchema, quantizationSchema, readManifest, writeManifest } from './manifest-file.js';
import { assertArchiveName, isArchiveName } from '../../fs/safe-names.js';
import { DEFAULT_LOCK_TTL_MS, WriterLock } from './writer-lock.js';

/** Largest vector dimension accepted; far above any embedder Mirage uses. */
const MAX_DIM = 16_384;

export interface LocalArchiveStoreOptions {
  /** Folder holding archives/ (and, for the other local stores, sessions/ and blobs/). */
  readonly root?: string;
  readonly indexFactory: VectorIndexFactory;
  /** How long a writer's lock stands once its holder stops renewing it (default 30 s). */
  readonly writerLockTtlMs?: number;
}

const createRequestSchema = z.object({
  name: z.string(),
  embedder: z.string().min(1),
  dim: z.number().int().positive().max(MAX_DIM),
  quantization: quantizationSchema.optional(),
  origin: originSchema,
  overwrite: z.boolean().optional(),
  staged: z.boolean().optional(),
});

/** Tag of the hidden folders staged archives are built in (see CreateArchiveRequest.staged). */
const STAGED_TAG = 'new';

/**
 * Archives as folders on local disk (layout in archive-layout.ts). Readers load one committed
 * version and are never affected by later commits, except that images removed later can no
 * longer be read. See LocalArchiveWriter for the commit protocol and the writer lock.
 */
export class LocalArchiveStore implements ArchiveStore {
  private readonly layouts: ArchivesLayout;
  private readonly indexFactory: VectorIndexFactory;
  private readonly lockTtlMs: number;

  constructor(options: LocalArchiveStoreOptions) {
    this.layouts = new ArchivesLayout(options.root ?? DEFAULT_DATA_ROOT);
    this.indexFactory = options.indexFactory;
    this.lockTtlMs = options.writerLockTtlMs ?? DEFAULT_LOCK_TTL_MS;
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
   * exposes a half-made archive. It exists, empty, as soon as create() returns, unless the
   * request is staged: then the staging folder stays hidden until the writer's first commit
   * moves it into place, and the writer keeps the archive's lock until then.
   */
  async create(request: CreateArchiveRequest): Promise<LocalArchiveWriter> {
    assertArchiveName(request?.name);
    const r = validate(createRequestSchema, request, `request to create archive "${request.name}"`);
    const layout = this.layouts.archive(r.name);
    const index = this.indexFactory.create(r.dim, r.quantization ?? 'f32');
    const lock = await WriterLock.acquire(this.layouts.lock(r.name), (holder) => archiveBusy(r.name, holder), this.lockTtlMs);
    let keepLock = false;
    try {
      await restoreInterruptedReplace(layout.dir);
      const existing = await readManifest(layout.manifest, r.name);
      if (existing !== undefined && r.overwrite !== true) {
        throw new MirageError('ALREADY_EXISTS', `Archive "${r.name}" already exists; delete it first or ask to overwrite it.`);
      }
      const now = new Date().toISOString();
      const manifest: ArchiveManifest = {
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
      const fill = async (fresh: ArchiveLayout) => {
        await writeVersion(fresh, manifest.version, [], index, {});
        await writeManifest(fresh.manifest, manifest);
      };
      const committed = { manifest, records: new Map(), index, sidecarLengths: {} };
      if (r.staged !== true) {
        await replaceDirectory(layout.dir, (staging) => fill(new ArchiveLayout(staging)));
        return new LocalArchiveWriter(this.layouts, layout, this.indexFactory, committed, this.lockTtlMs);
      }
      // Holding the lock, anything still tagged is debris of a staged creation that died.
      await removeLeftovers(layout.dir, STAGED_TAG);
      const staging = new ArchiveLayout(temporarySibling(layout.dir, STAGED_TAG));
      await mkdir(staging.dir, { recursive: true });
      await fill(staging);
      keepLock = true;
      return new LocalArchiveWriter(this.layouts, staging, this.indexFactory, committed, this.lockTtlMs, { lock, target: layout });
    } finally {
      if (!keepLock) await lock.release();
    }
  }

  async writer(name: string): Promise<LocalArchiveWriter> {
    assertArchiveName(name);
    const layout = this.layouts.archive(name);
    return new LocalArchiveWriter(this.layouts, layout, this.indexFactory, await loadCommitted(layout, name, this.indexFactory, false), this.lockTtlMs);
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
    const lock = await WriterLock.acquire(this.layouts.lock(name), (holder) => archiveBusy(name, holder), this.lockTtlMs);
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }
}
