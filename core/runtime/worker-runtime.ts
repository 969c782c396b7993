import type { Logger } from 'pino';
import { SharedArchives } from '../adapters/local/shared-archives.js';
import { startJobServer, type JobServer, type JobServerSettings } from '../adapters/redis/job-server.js';
import { SYNTHETIC_TTL_SECONDS } from '../adapters/redis/queue-settings.js';
import { RedisBlobStore } from '../adapters/redis/redis-blob-store.js';
import { closeRedis, openRedis } from '../adapters/redis/redis-connection.js';
import { RedisJobLocks } from '../adapters/redis/redis-job-locks.js';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisSessionStore } from '../adapters/redis/redis-session-store.js';
import type { MirageConfig } from '../config/config.js';
import { invalidInput } from '../errors.js';
import { createIngestHandler } from '../ingest/ingest-service.js';
import { remoteAccess } from '../ingest/ingest-access.js';
import { createRemoveHandler } from '../ingest/remove-images.js';
import type { ArchiveVersions } from '../ports/archive-store.js';
import type { IngestHandler, RemoveHandler } from '../ports/ingestion.js';
import type { JobDispatch } from '../ports/job-contract.js';
import type { ModelCatalog } from '../ports/model-bundle.js';
import type { ExpiringBlobStore, JobLocks, JobSessionStore } from '../ports/worker-stores.js';
import { createModelRegistry } from './create-model-registry.js';
import { createArchiveStore } from './runtime.js';

export type { JobServer, JobServerSettings };

/** What every job of a worker process uses: loaded once, shared with every other worker. */
export interface WorkerServices {
  /** Archives from the shared data folder, reloaded when another process commits. */
  readonly archives: ArchiveVersions;
  readonly models: ModelCatalog;
  readonly sessions: JobSessionStore;
  readonly blobs: ExpiringBlobStore;
  readonly locks: JobLocks;
  readonly ingest: IngestHandler;
  readonly remove: RemoveHandler;
}

export interface WorkerRuntime {
  readonly services: WorkerServices;
  /** Takes jobs from the queues and runs them with `dispatch` until the server is closed. */
  serve(dispatch: JobDispatch, options: { readonly name: string; readonly settings: JobServerSettings; readonly log: Logger }): Promise<JobServer>;
  /** Disconnects from Redis; close the server first. */
  close(): Promise<void>;
}

/** A worker process's services over Redis (config.redisUrl) and the shared data folder. */
export function createWorkerRuntime(config: MirageConfig, onConnectionError: (error: Error) => void): WorkerRuntime {
  const url = config.redisUrl;
  if (url === undefined) throw invalidInput('A worker needs Redis: set REDIS_URL (for example redis://127.0.0.1:6379).');
  const keys = new RedisKeys(config.redisPrefix);
  const redis = openRedis(url, onConnectionError);
  const store = createArchiveStore(config);
  const models = createModelRegistry(config);
  return {
    services: {
      archives: new SharedArchives(store, config.dataDir),
      models,
      sessions: new RedisSessionStore({ redis, keys, ttlSeconds: config.sessionTtlSeconds }),
      blobs: new RedisBlobStore({ redis, keys, ttlSeconds: Math.min(SYNTHETIC_TTL_SECONDS, config.sessionTtlSeconds) }),
      locks: new RedisJobLocks(redis, keys),
      // A job may come from anyone who can reach the queue (a bot, an MCP server): confined.
      ingest: createIngestHandler({ archives: store, models, access: remoteAccess(config) }),
      remove: createRemoveHandler(store),
    },
    serve: (dispatch, options) => startJobServer(dispatch, { redisUrl: url, keys, ...options }),
    close: () => closeRedis(redis),
  };
}
