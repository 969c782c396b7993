import { Redis } from 'ioredis';
import { LocalArchiveStore } from '../../core/adapters/local/local-archive-store.js';
import { RedisBlobStore } from '../../core/adapters/redis/redis-blob-store.js';
import { RedisKeys } from '../../core/adapters/redis/redis-keys.js';
import { RedisSessionStore } from '../../core/adapters/redis/redis-session-store.js';
import { UsearchIndexFactory } from '../../core/adapters/usearch/usearch-index-factory.js';
import { loadConfig } from '../../core/config/config.js';
import { createModelRegistry } from '../../core/engine/create-runtime.js';
import { createIngestHandler } from '../../core/ingest/ingest-service.js';
import type { ModelCatalog } from '../../core/ports/model-bundle.js';
import { SharedArchives } from '../../workers/shared-archives.js';
import type { WorkerContext } from '../../workers/worker-context.js';
import { workerSettings, type WorkerSettingsInput } from '../../workers/worker-settings.js';
import { TEST_REDIS_URL } from '../queue/redis-harness.js';

/** What a worker process builds at start, built here in the test process over real Redis and files. */
export function workerContext(
  dataDir: string,
  prefix: string,
  options: { models?: (real: ModelCatalog) => ModelCatalog; settings?: WorkerSettingsInput } = {},
): WorkerContext & { close: () => void } {
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new RedisKeys(prefix);
  const store = new LocalArchiveStore({ root: dataDir, indexFactory: new UsearchIndexFactory() });
  const real = createModelRegistry(loadConfig({}));
  const models = options.models ? options.models(real) : real;
  return {
    archives: new SharedArchives(store, dataDir),
    models,
    sessions: new RedisSessionStore({ redis, keys, ttlSeconds: 600 }),
    blobs: new RedisBlobStore({ redis, keys, ttlSeconds: 600 }),
    redis,
    keys,
    ingest: createIngestHandler({ archives: store, models }),
    settings: workerSettings(options.settings ?? {}),
    close: () => redis.disconnect(),
  };
}
