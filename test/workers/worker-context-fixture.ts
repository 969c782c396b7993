import { Redis } from 'ioredis';
import { SharedArchives } from '../../core/adapters/local/shared-archives.js';
import { RedisBlobStore } from '../../core/adapters/redis/redis-blob-store.js';
import { RedisJobLocks } from '../../core/adapters/redis/redis-job-locks.js';
import { RedisKeys } from '../../core/adapters/redis/redis-keys.js';
import { RedisSessionStore } from '../../core/adapters/redis/redis-session-store.js';
import { loadConfig } from '../../core/config/config.js';
import { createIngestHandler } from '../../core/ingest/ingest-service.js';
import { remoteAccess, type IngestAccess } from '../../core/ingest/ingest-access.js';
import { createRemoveHandler } from '../../core/ingest/remove-images.js';
import type { ModelCatalog } from '../../core/ports/model-bundle.js';
import { createModelRegistry } from '../../core/runtime/create-model-registry.js';
import { createArchiveStore } from '../../core/runtime/runtime.js';
import type { WorkerContext } from '../../workers/worker-context.js';
import { workerSettings, type WorkerSettingsInput } from '../../workers/worker-settings.js';
import { TEST_REDIS_URL } from '../queue/redis-harness.js';

/** What a worker process builds at start, built here in the test process over real Redis and files. */
export function workerContext(
  dataDir: string,
  prefix: string,
  options: { models?: (real: ModelCatalog) => ModelCatalog; settings?: WorkerSettingsInput; ingestAccess?: IngestAccess } = {},
): WorkerContext & { readonly redis: Redis; readonly keys: RedisKeys; close: () => void } {
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new RedisKeys(prefix);
  const store = createArchiveStore({ dataDir });
  const real = createModelRegistry(loadConfig({}));
  const models = options.models ? options.models(real) : real;
  return {
    archives: new SharedArchives(store, dataDir),
    models,
    sessions: new RedisSessionStore({ redis, keys, ttlSeconds: 600 }),
    blobs: new RedisBlobStore({ redis, keys, ttlSeconds: 600 }),
    locks: new RedisJobLocks(redis, keys),
    ingest: createIngestHandler({
      archives: store,
      models,
      access: options.ingestAccess ?? remoteAccess({ ingestRoots: [dataDir], ingestPrivateNetwork: false }),
    }),
    remove: createRemoveHandler(store),
    settings: workerSettings(options.settings ?? {}),
    redis,
    keys,
    close: () => redis.disconnect(),
  };
}
