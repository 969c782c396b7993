import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArchiveManifest, ArchiveWriter, CommitOptions, NewArchiveImage } from '../../ports/archive-store.js';
import type { VectorIndexFactory } from '../../ports/vector-index-factory.js';
import { KeyedLock } from '../../concurrency/keyed-lock.js';
import { MirageError, invalidInput, unknownArchive } from '../../errors.js';
import { fsyncDirectory, moveIntoPlace } from '../../fs/atomic-write.js';
import { parseVersionFolderName, type ArchiveLayout, type ArchivesLayout } from './archive-layout.js';
import { loadCommitted, writeVersion, type CommittedVersion, type SidecarLengths } from './archive-version.js';
import { forEachConcurrently } from '../../concurrency/for-each-concurrently.js';
import { appendJsonLinesAt, toJsonLine } from './jsonl.js';
import { unknownImage } from './local-archive.js';
import { readManifest, writeManifest } from './manifest-file.js';
import { assertSafeId, assertSidecarName } from '../../fs/safe-names.js';
import { assertValidNewImage } from './new-image-validation.js';
import { copyImageRecord, type StoredRecord } from './records-file.js';
import { WriterLock } from './writer-lock.js';

/** Image files written at once by add(). */
const WRITE_CONCURRENCY = 8;

/**
 * Writes to one archive. Image files are written by add() at once, but readers only ever see
 * what manifest.json names, and it changes only in commit().
 *
 * The writer keeps the whole archive state in memory (records, hashes, a loaded index) so that
 * has()/hasHash() answer from committed + pending changes, which is what resumable ingestion
 * asks. The archive's lock file is held from the first pending change until commit() or abort():
 * several idle writers may exist, but only one can hold uncommitted changes. A writer whose
 * archive was committed by another writer since it was opened refuses further changes (its
 * view is stale) instead of overwriting the other writer's work.
 */
export class LocalArchiveWriter implements ArchiveWriter {
  private state: CommittedVersion;
  private hashCounts: Map<string, number>;
  private readonly added = new Map<string, StoredRecord>();
  /** Committed records removed since the last commit; their files go once the removal is committed. */
  private readonly removed = new Map<string, StoredRecord>();
  private readonly sidecarLines = new Map<string, string[]>();
  /** Shard folders that received files since the last commit; flushed by commit(). */
  private readonly touchedFolders = new Set<string>();
  private lock: WriterLock | undefined;
  private readonly serial = new KeyedLock();

  /**
   * A staged archive (CreateArchiveRequest.staged): `layout` is its hidden staging folder until
   * the first commit moves it to `target`; the lock is held from creation until then.
   */
  private staged: { readonly target: ArchiveLayout } | undefined;

  constructor(
    private readonly layouts: ArchivesLayout,
    private layout: ArchiveLayout,
    private readonly indexFactory: VectorIndexFactory,
    committed: CommittedVersion,
    private readonly lockTtlMs: number,
    staged?: { readonly lock: WriterLock; readonly target: ArchiveLayout },
  ) {
    this.state = committed;
    this.hashCounts = countHashes(committed.records.values());
    if (staged) {
      this.lock = staged.lock;
      this.staged = { target: staged.target };
    }
  }

  get name(): string {
    return this.state.manifest.name;
  }

  /** The last committed manifest. */
  get manifest(): ArchiveManifest {
    return this.state.manifest;
  }

  has(id: string): boolean {
    return this.state.records.has(id);
  }

  hasHash(hash: string): boolean {
    return this.hashCounts.has(hash);
  }

  add(images: readonly NewArchiveImage[]): Promise<void> {
    return this.serially(async () => {
      this.assertAddable(images);
      if (images.length === 0) return;
      await this.holdLock();
      const stored = images.map(toStoredRecord);
      try {
        await forEachConcurrently(images, WRITE_CONCURRENCY, (image) => this.writeImageFiles(image));
        this.state.index.add(
          images.map((image) => image.record.id),
          images.map((image) => image.vector),
        );
      } catch (e) {
        await this.deleteImageFiles(stored);
        if (!this.hasPending()) await this.releaseLock();
        throw e;
      }
      for (const s of stored) {
        this.state.records.set(s.record.id, s);
        this.added.set(s.record.id, s);
        this.hashCounts.set(s.record.hash, (this.hashCounts.get(s.record.hash) ?? 0) + 1);
      }
    });
  }

  remove(ids: readonly string[]): Promise<void> {
    return this.serially(async () => {
      for (const id of ids) {
        assertSafeId('Image id', id);
        if (!this.state.records.has(id)) throw unknownImage(id, this.name);
      }
      const unique = [...new Set(ids)];
      if (unique.length === 0) return;
      await this.holdLock();
      this.state.index.remove(unique);
      const discarded: StoredRecord[] = [];
      for (const id of unique) {
        const stored = this.state.records.get(id) as StoredRecord;
        this.state.records.delete(id);
        const left = (this.hashCounts.get(stored.record.hash) ?? 1) - 1;
        if (left === 0) this.hashCounts.delete(stored.record.hash);
        else this.hashCounts.set(stored.record.hash, left);
        if (this.added.delete(id)) discarded.push(stored);
        else this.removed.set(id, stored);
      }
      // Never committed, so no reader can refer to these files.
      await this.deleteImageFiles(discarded);
    });
  }

  appendSidecar(name: string, rows: readonly unknown[]): Promise<void> {
    return this.serially(async () => {
      assertSidecarName(name);
      const lines = rows.map((row, i) => {
        try {
          return toJsonLine(row, `Row ${i} of sidecar "${name}"`);
        } catch (e) {
          throw invalidInput(e instanceof Error ? e.message : String(e));
        }
      });
      if (lines.length === 0) return;
      await this.holdLock();
      const pending = this.sidecarLines.get(name);
      if (pending === undefined) this.sidecarLines.set(name, lines);
      else pending.push(...lines);
    });
  }

  /**
   * Makes every pending change visible at once. Order matters for crash safety: sidecar bytes are
   * appended past their committed length, then a complete new version folder is written, and only
   * then does manifest.json (replaced atomically) name it. A failure before that leaves the
   * previous version in force and the changes pending, so commit() can be retried or abort()ed.
   * With nothing pending it returns the current manifest and bumps nothing.
   *
   * Before anything shared is written and again right before manifest.json is replaced, the
   * writer checks that its lock is still its own, runs options.fence and checks that no other
   * writer committed meanwhile: a writer that stalled while another took over commits nothing.
   */
  commit(options: CommitOptions = {}): Promise<ArchiveManifest> {
    return this.serially(async () => {
      if (!this.hasPending() && !this.staged) {
        await this.releaseLock();
        return this.state.manifest;
      }
      const previous = this.state.manifest;
      const version = previous.version + 1;
      // Fenced before anything shared is written (sidecar bytes, the version folder), and again
      // right before the commit point.
      await this.assertStillCurrent(options);
      const sidecarLengths = await this.appendPendingSidecars();
      await Promise.all([...this.touchedFolders].map(fsyncDirectory));
      await writeVersion(this.layout, version, this.state.records.values(), this.state.index, sidecarLengths);
      const manifest: ArchiveManifest = {
        ...previous,
        count: this.state.records.size,
        version,
        updatedAt: new Date().toISOString(),
      };
      await this.assertStillCurrent(options);
      await writeManifest(this.layout.manifest, manifest);
      if (this.staged) {
        // The commit point of a staged archive: its folder takes the archive's place.
        await moveIntoPlace(this.layout.dir, this.staged.target.dir);
        this.layout = this.staged.target;
        this.staged = undefined;
      }

      const removed = [...this.removed.values()];
      this.state = { ...this.state, manifest, sidecarLengths };
      this.clearPending();
      // Committed: what is left is tidying up, and a leftover file only costs disk space.
      // The lock goes last, so that no other writer can re-add a removed id while its old file is deleted.
      await Promise.allSettled([this.deleteImageFiles(removed), this.deleteVersionsBefore(previous.version)]);
      await this.releaseLock();
      return manifest;
    });
  }

  /**
   * Drops every pending change (deleting the files add() wrote), reloads the last commit and
   * releases the lock. Not part of the ArchiveWriter port: for callers that give up on a batch
   * and want to keep the writer, or want another writer to proceed.
   */
  abort(): Promise<void> {
    return this.serially(async () => {
      if (this.lock === undefined) return;
      if (this.staged) {
        // Never shown to anyone: the staging folder goes, and the archive is as it was before create().
        if (await this.lock.held()) await rm(this.layout.dir, { recursive: true, force: true });
        this.clearPending();
        await this.releaseLock();
        return;
      }
      // Once another writer took over, files at these paths may be its (the same image has the same id).
      if (await this.lock.held()) await this.deleteImageFiles([...this.added.values()]);
      const committed = await loadCommitted(this.layout, this.name, this.indexFactory, false);
      this.state = committed;
      this.hashCounts = countHashes(committed.records.values());
      this.clearPending();
      await this.releaseLock();
    });
  }

  /**
   * The fence: this writer's lock is still its own, the caller's fence holds, and manifest.json
   * is still the version this writer built on. Throws (TIMEOUT: retryable) otherwise.
   */
  private async assertStillCurrent(options: CommitOptions): Promise<void> {
    await this.lock?.assertHeld(`Archive "${this.name}"`);
    await options.fence?.();
    const current = await readManifest(this.layout.manifest, this.name);
    if (current?.version !== this.state.manifest.version || current.createdAt !== this.state.manifest.createdAt) {
      throw new MirageError('TIMEOUT', `Archive "${this.name}" was committed by another writer meanwhile; nothing was committed.`);
    }
  }

  private hasPending(): boolean {
    return this.added.size > 0 || this.removed.size > 0 || this.sidecarLines.size > 0;
  }

  private clearPending(): void {
    this.added.clear();
    this.removed.clear();
    this.sidecarLines.clear();
    this.touchedFolders.clear();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    return this.serial.run('writer', work);
  }

  private assertAddable(images: readonly NewArchiveImage[]): void {
    if (!Array.isArray(images)) throw invalidInput('add() takes an array of images.');
    const batch = new Set<string>();
    for (const image of images) {
      assertValidNewImage(image, this.state.manifest.dim);
      const id = image.record.id;
      if (batch.has(id) || this.state.records.has(id)) {
        throw new MirageError('ALREADY_EXISTS', `Archive "${this.name}" already has an image "${id}".`);
      }
      if (this.removed.has(id)) {
        throw invalidInput(`Image "${id}" was removed from archive "${this.name}" but the removal is not committed yet; commit() before adding it again.`);
      }
      batch.add(id);
    }
  }

  /** Takes the archive's lock for the first pending change, refusing if this writer is stale. */
  private async holdLock(): Promise<void> {
    if (this.lock !== undefined) return;
    const lock = await WriterLock.acquire(this.layouts.lock(this.name), (holder) => archiveBusy(this.name, holder), this.lockTtlMs);
    try {
      const current = await readManifest(this.layout.manifest, this.name);
      if (current === undefined) throw unknownArchive(this.name);
      if (current.version !== this.state.manifest.version || current.createdAt !== this.state.manifest.createdAt) {
        throw invalidInput(
          `Archive "${this.name}" changed (version ${current.version}) since this writer opened it at version ` +
            `${this.state.manifest.version}; open a new writer.`,
        );
      }
    } catch (e) {
      await lock.release();
      throw e;
    }
    this.lock = lock;
  }

  private async releaseLock(): Promise<void> {
    const lock = this.lock;
    this.lock = undefined;
    await lock?.release();
  }

  private async writeImageFiles(image: NewArchiveImage): Promise<void> {
    await this.writeImageFile(this.layout.image('full', image.record.id, image.full.mime), image.full.bytes);
    await this.writeImageFile(this.layout.image('thumb', image.record.id, image.thumb.mime), image.thumb.bytes);
  }

  /** Flushed now, because a commit may name the file right after. */
  private async writeImageFile(path: string, bytes: Uint8Array): Promise<void> {
    const folder = dirname(path);
    await mkdir(folder, { recursive: true });
    // The new file's entry, and any folder mkdir just made, must be flushed too.
    for (let f = folder; f.startsWith(this.layout.dir); f = dirname(f)) this.touchedFolders.add(f);
    const file = await open(path, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  private async deleteImageFiles(records: readonly StoredRecord[]): Promise<void> {
    await forEachConcurrently(records, WRITE_CONCURRENCY, async (s) => {
      await rm(this.layout.image('full', s.record.id, s.full.mime), { force: true });
      await rm(this.layout.image('thumb', s.record.id, s.thumb.mime), { force: true });
    });
  }

  private async appendPendingSidecars(): Promise<SidecarLengths> {
    const lengths: Record<string, number> = { ...this.state.sidecarLengths };
    for (const [name, lines] of this.sidecarLines) {
      const path = this.layout.sidecar(name);
      await mkdir(dirname(path), { recursive: true });
      lengths[name] = await appendJsonLinesAt(path, lengths[name] ?? 0, lines);
      await fsyncDirectory(dirname(path));
    }
    return lengths;
  }

  /**
   * The version just replaced stays, so that a reader that read the previous manifest a moment
   * ago can still load it; older ones go.
   */
  private async deleteVersionsBefore(keep: number): Promise<void> {
    const names = await readdir(this.layout.versions);
    const stale = names.filter((n) => (parseVersionFolderName(n) ?? keep) < keep);
    await Promise.all(stale.map((n) => rm(join(this.layout.versions, n), { recursive: true, force: true })));
  }
}

export function archiveBusy(name: string, holder: string): MirageError {
  return invalidInput(`Archive "${name}" is being changed by ${holder}; wait until it commits, or stop it.`);
}

function toStoredRecord(image: NewArchiveImage): StoredRecord {
  return {
    record: copyImageRecord(image.record),
    full: { mime: image.full.mime, width: image.full.width, height: image.full.height },
    thumb: { mime: image.thumb.mime, width: image.thumb.width, height: image.thumb.height },
  };
}

function countHashes(records: Iterable<StoredRecord>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of records) counts.set(s.record.hash, (counts.get(s.record.hash) ?? 0) + 1);
  return counts;
}
