import type { ArchiveManifest } from './archive-store.js';

/**
 * One image file handed over by a front end that fetched it itself (a chat bot's attachment),
 * with the id it gets in the archive and the attributes it is filtered and shown by.
 */
export interface IngestItem {
  /** A file the ingesting process can read (on the shared data folder when workers ingest). */
  readonly path: string;
  readonly id: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface IngestRequest {
  readonly archive: string;
  /** Folder, or file listing paths / URLs, one per line. Give this or items. */
  readonly source?: string;
  /**
   * Files with their ids: an item whose id is already in the archive counts as a duplicate,
   * whatever its bytes; equal bytes under two ids are kept as two images.
   */
  readonly items?: readonly IngestItem[];
  readonly embedder?: string;
  readonly batchSize?: number;
}

export interface IngestSkip {
  readonly source: string;
  readonly reason: string;
}

export interface IngestReport {
  readonly archive: string;
  readonly added: number;
  readonly duplicates: number;
  readonly skipped: readonly IngestSkip[];
  readonly total: number;
}

export interface IngestProgress {
  readonly done: number;
  readonly total: number;
}

export interface IngestOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Checked right before each commit (see CommitOptions.fence): a queue job's archive-writer lock. */
  readonly fence?: () => Promise<void>;
}

/** Runs one ingestion: what an engine delegates `ingest` to, in process or on a worker. */
export type IngestHandler = (request: IngestRequest, options: IngestOptions) => Promise<IngestReport>;

/** Removes images from an archive in one commit, ignoring ids it does not hold; `fence` as for ingestion. */
export type RemoveHandler = (archive: string, ids: readonly string[], options?: { readonly fence?: () => Promise<void> }) => Promise<ArchiveManifest>;
