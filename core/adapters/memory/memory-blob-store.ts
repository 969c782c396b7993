import type { BlobStore } from '../../ports/blob-store.js';
import type { EncodedImage } from '../../images/raw-image.js';
import { invalidInput } from '../../errors.js';
import { assertValidBlob } from '../../images/blob-validation.js';

export interface MemoryBlobStoreOptions {
  /**
   * Most images kept; putting one more evicts the least recently put (a put of an existing id
   * counts as new). Unbounded when absent. An evicted id reads as undefined, as an expired blob.
   */
  readonly maxEntries?: number;
}

/** Synthetic images in memory, for tests and the evaluation runner. Bytes are copied in and out. */
export class MemoryBlobStore implements BlobStore {
  private readonly images = new Map<string, EncodedImage>();
  private readonly maxEntries: number;

  constructor(options: MemoryBlobStoreOptions = {}) {
    const max = options.maxEntries ?? Number.POSITIVE_INFINITY;
    if (!(max >= 1) || (Number.isFinite(max) && !Number.isSafeInteger(max))) {
      throw invalidInput(`maxEntries must be a whole number >= 1, got ${String(options.maxEntries)}.`);
    }
    this.maxEntries = max;
  }

  async put(id: string, image: EncodedImage): Promise<void> {
    assertValidBlob(id, image);
    this.images.delete(id);
    this.images.set(id, copyImage(image));
    // Maps iterate in insertion order, so the first key is the least recently put.
    for (const oldest of this.images.keys()) {
      if (this.images.size <= this.maxEntries) break;
      this.images.delete(oldest);
    }
  }

  async get(id: string): Promise<EncodedImage | undefined> {
    assertValidBlob(id);
    const image = this.images.get(id);
    return image === undefined ? undefined : copyImage(image);
  }

  async delete(id: string): Promise<void> {
    assertValidBlob(id);
    this.images.delete(id);
  }

  get size(): number {
    return this.images.size;
  }
}

function copyImage(image: EncodedImage): EncodedImage {
  return { bytes: Buffer.from(image.bytes), mime: image.mime, width: image.width, height: image.height };
}
