import { readFile } from 'node:fs/promises';
import type { Archive, ArchiveManifest, ImageRecord, ImageSize } from '../../ports/archive-store.js';
import type { VectorIndex } from '../../ports/vector-index.js';
import type { EncodedImage } from '../../images/raw-image.js';
import { MirageError } from '../../errors.js';
import type { ArchiveLayout } from './archive-layout.js';
import type { CommittedVersion } from './archive-version.js';
import { isCode } from './fs-errors.js';
import { readJsonLines } from './jsonl.js';
import { assertSidecarName } from '../../fs/safe-names.js';
import type { StoredRecord } from './records-file.js';

/** One committed version of an archive; later commits do not change it. */
export class LocalArchive implements Archive {
  readonly manifest: ArchiveManifest;
  private readonly stored: ReadonlyMap<string, StoredRecord>;

  constructor(
    private readonly layout: ArchiveLayout,
    private readonly committed: CommittedVersion,
  ) {
    this.manifest = committed.manifest;
    this.stored = committed.records;
  }

  record(id: string): ImageRecord | undefined {
    return this.stored.get(id)?.record;
  }

  *records(): Iterable<ImageRecord> {
    for (const stored of this.stored.values()) yield stored.record;
  }

  async readImage(id: string, size: ImageSize): Promise<EncodedImage> {
    const stored = this.stored.get(id);
    if (stored === undefined) throw unknownImage(id, this.manifest.name);
    const file = size === 'full' ? stored.full : size === 'thumb' ? stored.thumb : undefined;
    if (file === undefined) throw new MirageError('INVALID_INPUT', `Image size must be "full" or "thumb", got ${JSON.stringify(size)}.`);
    try {
      const bytes = await readFile(this.layout.image(size, id, file.mime));
      return { bytes, mime: file.mime, width: file.width, height: file.height };
    } catch (e) {
      // A later commit removed the image after this version was opened.
      if (isCode(e, 'ENOENT')) throw unknownImage(id, this.manifest.name, e);
      throw e;
    }
  }

  index(): VectorIndex {
    return this.committed.index;
  }

  async readSidecar(name: string): Promise<unknown[]> {
    assertSidecarName(name);
    const length = this.committed.sidecarLengths[name];
    if (length === undefined) return [];
    const rows: unknown[] = [];
    for await (const row of readJsonLines(this.layout.sidecar(name), length)) rows.push(row);
    return rows;
  }
}

export function unknownImage(id: string, archive: string, cause?: unknown): MirageError {
  return new MirageError('UNKNOWN_IMAGE', `Archive "${archive}" has no image "${id}".`, { cause });
}
