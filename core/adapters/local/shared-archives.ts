import { ArchivesLayout } from './archive-layout.js';
import { readManifest } from './manifest-file.js';
import { archiveNameSchema } from '../../session/requests.js';
import { validate } from '../../validate.js';
import { unknownArchive } from '../../errors.js';
import type { Archive, ArchiveManifest, ArchiveStore, ArchiveVersions } from '../../ports/archive-store.js';

interface Loaded {
  version: number;
  readonly archive: Promise<Archive>;
}

/**
 * The archives a worker serves, shared with every other worker through the data folder.
 *
 * An archive changes only by a commit, which atomically replaces manifest.json with one naming
 * a complete new version (LocalArchiveWriter). So before each job a worker reads the manifest
 * (a few hundred bytes) and, when its version moved, loads the new version; jobs already
 * running keep the version they started with. Every search therefore sees exactly one
 * committed version: never half an ingest batch, never an entry twice, and a round that starts
 * after an ingest committed sees all of it, whichever worker ran the ingest.
 */
export class SharedArchives implements ArchiveVersions {
  private readonly layouts: ArchivesLayout;
  private readonly loaded = new Map<string, Loaded>();

  constructor(
    private readonly store: ArchiveStore,
    dataDir: string,
  ) {
    this.layouts = new ArchivesLayout(dataDir);
  }

  list(): Promise<ArchiveManifest[]> {
    return this.store.list();
  }

  /** The latest committed version of an archive; throws UNKNOWN_ARCHIVE. */
  async current(name: string): Promise<Archive> {
    const valid = validate(archiveNameSchema, name, 'archive name');
    const manifest = await readManifest(this.layouts.archive(valid).manifest, valid);
    if (manifest === undefined) {
      this.loaded.delete(valid);
      throw unknownArchive(valid);
    }
    const cached = this.loaded.get(valid);
    if (cached !== undefined && cached.version === manifest.version) return cached.archive;

    const entry: Loaded = { version: manifest.version, archive: this.store.open(valid) };
    this.loaded.set(valid, entry);
    entry.archive.then(
      // A commit between the manifest read and the load: remember what was really loaded.
      (archive) => void (entry.version = archive.manifest.version),
      () => {
        if (this.loaded.get(valid) === entry) this.loaded.delete(valid);
      },
    );
    return entry.archive;
  }
}
