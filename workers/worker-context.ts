import type { Redis } from 'ioredis';
import type { RedisBlobStore } from '../core/adapters/redis/redis-blob-store.js';
import type { RedisKeys } from '../core/adapters/redis/redis-keys.js';
import type { RedisSessionStore } from '../core/adapters/redis/redis-session-store.js';
import type { JobName, JobTypes } from '../core/adapters/redis/job-contract.js';
import type { IngestHandler } from '../core/ingest/ingest-service.js';
import type { ModelCatalog } from '../core/ports/model-bundle.js';
import type { SharedArchives } from './shared-archives.js';
import type { WorkerSettings } from './worker-settings.js';

/** What a worker process loads once and every job uses. */
export interface WorkerContext {
  readonly archives: SharedArchives;
  readonly models: ModelCatalog;
  readonly sessions: RedisSessionStore;
  readonly blobs: RedisBlobStore;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly ingest: IngestHandler;
  readonly settings: WorkerSettings;
}

/** One attempt at one job, as a handler sees it. */
export interface JobRun<N extends JobName> {
  /**
   * "<queue>-<BullMQ job id>": the same on every attempt, so it identifies the request across
   * retries (lock owner, commit mark, blob names).
   */
  readonly id: string;
  readonly data: JobTypes[N]['data'];
  /** Aborted when the caller cancels or times out. */
  readonly signal: AbortSignal;
  readonly progress: (progress: JobTypes[N]['progress']) => void;
  /** Puts the job back in the queue for `ms` without counting an attempt (a resource is busy). */
  readonly retryLater: (ms: number) => Promise<never>;
}

export type JobHandler<N extends JobName> = (ctx: WorkerContext, run: JobRun<N>) => Promise<JobTypes[N]['result']>;
