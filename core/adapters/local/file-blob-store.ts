import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { BlobStore } from '../../ports/blob-store.js';
import type { EncodedImage } from '../../images/raw-image.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { unlessMissing } from './fs-errors.js';
import { assertValidBlob } from '../../images/blob-validation.js';
import { IMAGE_MIMES, extensionOf } from '../../images/image-mime.js';
import { DEFAULT_DATA_ROOT } from './data-root.js';
import { shardedPath } from './sharded-path.js';

/**
 * Synthetic images as <root>/blobs/<xx>/<sha256(id)>.<png|jpg|webp>: the extension keeps the
 * mime, the hashed name spreads files over 256 folders and cannot collide on a case-insensitive
 * file system. Width and height are read back from the image header.
 */
export class FileBlobStore implements BlobStore {
  private readonly dir: string;

  constructor(options: { readonly root?: string } = {}) {
    this.dir = join(options.root ?? DEFAULT_DATA_ROOT, 'blobs');
  }

  async put(id: string, image: EncodedImage): Promise<void> {
    assertValidBlob(id, image);
    const path = shardedPath(this.dir, id, extensionOf(image.mime));
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, image.bytes);
    // A blob put again in another format must not leave its old file to shadow the new one.
    const others = IMAGE_MIMES.filter((m) => m !== image.mime);
    await Promise.all(others.map((m) => rm(shardedPath(this.dir, id, extensionOf(m)), { force: true })));
  }

  async get(id: string): Promise<EncodedImage | undefined> {
    assertValidBlob(id);
    for (const mime of IMAGE_MIMES) {
      const path = shardedPath(this.dir, id, extensionOf(mime));
      const bytes = await unlessMissing(readFile(path));
      if (bytes === undefined) continue;
      const { width, height } = await sharp(bytes).metadata();
      if (width === undefined || height === undefined) throw new Error(`${path} has no readable image size.`);
      return { bytes, mime, width, height };
    }
    return undefined;
  }

  async delete(id: string): Promise<void> {
    assertValidBlob(id);
    await Promise.all(IMAGE_MIMES.map((m) => rm(shardedPath(this.dir, id, extensionOf(m)), { force: true })));
  }
}
