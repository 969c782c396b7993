import { join } from 'node:path';
import type { ImageSize } from '../../ports/archive-store.js';
import type { ImageMime } from '../../images/raw-image.js';
import { extensionOf } from '../../images/image-mime.js';
import { shardedPath } from './sharded-path.js';

/**
 * Where everything of the local archive store lives:
 *
 *   <root>/archives/<name>/manifest.json               the committed ArchiveManifest; its version
 *                                                       names the live version folder
 *   <root>/archives/<name>/versions/v<N>/records.jsonl one StoredRecord per line
 *   <root>/archives/<name>/versions/v<N>/index/        whatever VectorIndex.save wrote
 *   <root>/archives/<name>/versions/v<N>/sidecars.json committed byte length of each sidecar
 *   <root>/archives/<name>/sidecars/<sidecar>.jsonl     append-only; bytes past the committed
 *                                                       length are an interrupted commit
 *   <root>/archives/<name>/images/{full,thumb}/<xx>/<sha256(id)>.<png|jpg|webp>
 *   <root>/archives/.locks/<name>.lock                  token, pid and host of the writer with pending changes
 *   <root>/archives/.tmp/<name>/                        staging and trash of create/delete
 *
 * Names starting with "." can never be archive names, so the store's own folders never show up
 * as archives.
 */
export class ArchivesLayout {
  readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'archives');
  }

  archive(name: string): ArchiveLayout {
    return new ArchiveLayout(join(this.dir, name));
  }

  lock(name: string): string {
    return join(this.dir, '.locks', `${name}.lock`);
  }

  /** Scratch space of one archive name; only touched while holding that name's lock. */
  scratch(name: string): string {
    return join(this.dir, '.tmp', name);
  }
}

export class ArchiveLayout {
  constructor(readonly dir: string) {}

  get manifest(): string {
    return join(this.dir, 'manifest.json');
  }

  get versions(): string {
    return join(this.dir, 'versions');
  }

  version(version: number): VersionLayout {
    return new VersionLayout(join(this.versions, versionFolderName(version)));
  }

  sidecar(name: string): string {
    return join(this.dir, 'sidecars', `${name}.jsonl`);
  }

  image(size: ImageSize, id: string, mime: ImageMime): string {
    return shardedPath(join(this.dir, 'images', size), id, extensionOf(mime));
  }
}

export class VersionLayout {
  constructor(readonly dir: string) {}

  get records(): string {
    return join(this.dir, 'records.jsonl');
  }

  get index(): string {
    return join(this.dir, 'index');
  }

  get sidecarLengths(): string {
    return join(this.dir, 'sidecars.json');
  }
}

export function versionFolderName(version: number): string {
  return `v${version}`;
}

export function parseVersionFolderName(name: string): number | undefined {
  const match = /^v(\d+)$/.exec(name);
  return match === null ? undefined : Number(match[1]);
}
