export interface IngestRequest {
  readonly archive: string;
  /** Folder, or file listing paths / URLs, one per line. */
  readonly source: string;
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
