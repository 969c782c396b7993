import type { EncodedImage } from '../images/raw-image.js';
import type { Quantization, VectorIndex } from './vector-index.js';

/** Ordinary metadata of one archive image. */
export interface ImageRecord {
  /** Stable string id, unique within the archive. */
  readonly id: string;
  /** Where it came from: a file path, a URL, or a world reference. */
  readonly source: string;
  /** sha256 of the encoded bytes, hex. */
  readonly hash: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly createdAt: string;
  /** One-sentence description, as alt text would be. */
  readonly caption?: string;
  /**
   * Where the image came from, as short strings the ingester chose (a Discord image keeps its
   * guild, channel, message, attachment and author ids). Round allow-filters match on these.
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

export type ArchiveOrigin =
  /** nearDuplicateRate: the sampler's share of near-duplicate scenes; absent in worlds built before it was a knob (0.4). */
  | { readonly kind: 'scenes'; readonly seed: number; readonly size: number; readonly nearDuplicateRate?: number }
  | { readonly kind: 'ingest' };

export interface ArchiveManifest {
  readonly name: string;
  /** Id of the ImageEmbedder the index was built with ("scenes", "clip-vit-b32", ...). */
  readonly embedder: string;
  readonly dim: number;
  readonly quantization: Quantization;
  readonly origin: ArchiveOrigin;
  readonly count: number;
  /** Bumped on every commit, so readers can tell that the index changed. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type ImageSize = 'full' | 'thumb';

export interface Archive {
  readonly manifest: ArchiveManifest;
  record(id: string): ImageRecord | undefined;
  records(): Iterable<ImageRecord>;
  readImage(id: string, size: ImageSize): Promise<EncodedImage>;
  index(): VectorIndex;
  /** Records an adapter stored beside the archive (the Scenes world keeps ground truth here). */
  readSidecar(name: string): Promise<unknown[]>;
}

export interface NewArchiveImage {
  readonly record: ImageRecord;
  readonly full: EncodedImage;
  readonly thumb: EncodedImage;
  readonly vector: Float32Array;
}

export interface CommitOptions {
  /**
   * Called right before the commit point; throwing stops the commit with nothing changed. A
   * writer guarded by a lock elsewhere (the queue's archive-writer lock) passes a check that
   * the lock is still its own, so that a writer whose lock was taken over cannot commit.
   */
  readonly fence?: () => Promise<void>;
}

/** Adds to one archive; nothing is visible to readers until commit(). */
export interface ArchiveWriter {
  readonly name: string;
  has(id: string): boolean;
  hasHash(hash: string): boolean;
  add(images: readonly NewArchiveImage[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  appendSidecar(name: string, rows: readonly unknown[]): Promise<void>;
  /** Saves index and metadata atomically; returns the new manifest. */
  commit(options?: CommitOptions): Promise<ArchiveManifest>;
}

export interface CreateArchiveRequest {
  readonly name: string;
  readonly embedder: string;
  readonly dim: number;
  readonly quantization?: Quantization;
  readonly origin: ArchiveOrigin;
  /** Replace an existing archive of the same name. */
  readonly overwrite?: boolean;
  /**
   * Build it out of sight: the archive (or, with overwrite, its replacement) appears with the
   * writer's first commit, and a writer that fails and aborts first leaves nothing (or the
   * previous archive) behind. The writer holds the archive from creation to that commit.
   */
  readonly staged?: boolean;
}

export interface OpenArchiveOptions {
  /** Memory-map the index instead of loading it (read-only, fast to open). */
  readonly view?: boolean;
}

export interface ArchiveStore {
  list(): Promise<ArchiveManifest[]>;
  exists(name: string): Promise<boolean>;
  /** Throws UNKNOWN_ARCHIVE. */
  open(name: string, options?: OpenArchiveOptions): Promise<Archive>;
  /** Throws ALREADY_EXISTS unless overwrite is set. */
  create(request: CreateArchiveRequest): Promise<ArchiveWriter>;
  /** Appends to an existing archive. Throws UNKNOWN_ARCHIVE. */
  writer(name: string): Promise<ArchiveWriter>;
  delete(name: string): Promise<void>;
}

/** The latest committed version of each archive, as every process sharing a data folder sees it. */
export interface ArchiveVersions {
  list(): Promise<ArchiveManifest[]>;
  /** Throws UNKNOWN_ARCHIVE. */
  current(name: string): Promise<Archive>;
}
