import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { LocalArchiveStore } from '../core/adapters/local/local-archive-store.js';
import { parseCancelMessage } from '../core/adapters/redis/job-client.js';
import { QUEUE_NAMES, type QueueName } from '../core/adapters/redis/job-contract.js';
import { KEEP_COMPLETED, KEEP_FAILED, SYNTHETIC_TTL_SECONDS } from '../core/adapters/redis/queue-settings.js';
import { RedisBlobStore } from '../core/adapters/redis/redis-blob-store.js';
import { bullConnection, closeRedis, openRedis } from '../core/adapters/redis/redis-connection.js';
import { RedisKeys } from '../core/adapters/redis/redis-keys.js';
import { RedisSessionStore } from '../core/adapters/redis/redis-session-store.js';
import { UsearchIndexFactory } from '../core/adapters/usearch/usearch-index-factory.js';
import type { MirageConfig } from '../core/config/config.js';
import { createModelRegistry } from '../core/engine/create-runtime.js';
import { invalidInput } from '../core/errors.js';
import { createIngestHandler } from '../core/ingest/ingest-service.js';
import { createProcessor } from './job-processor.js';
import type { Logger } from './logger.js';
import { SharedArchives } from './shared-archives.js';
import type { WorkerContext } from './worker-context.js';
import type { WorkerSettings } from './worker-settings.js';

export interface MirageWorker {
  /** "mirage-worker@<host>:<pid>", recorded on every job it processes (job.processedBy). */
  readonly name: string;
  /** Stops taking jobs, waits for the running ones to finish, then disconnects. */
  close(): Promise<void>;
}

/**
 * A worker process's job loop: loads the models and opens the archives once, then serves the
 * "models" queue (concurrency settings.concurrency) and the "lookups" queue. Also listens for
 * cancel requests, so a caller's abort stops a running round on whichever worker has it.
 */
export async function startWorker(config: MirageConfig, settings: WorkerSettings, log: Logger): Promise<MirageWorker> {
  const url = config.redisUrl;
  if (url === undefined) throw invalidInput('A worker needs Redis: set REDIS_URL (for example redis://127.0.0.1:6379).');
  const onError = (e: Error) => log.warn({ error: e.message }, 'redis connection trouble');
  const keys = new RedisKeys(config.redisPrefix);
  const redis = openRedis(url, onError);
  const store = new LocalArchiveStore({ root: config.dataDir, indexFactory: new UsearchIndexFactory() });
  const models = createModelRegistry(config);
  const ctx: WorkerContext = {
    archives: new SharedArchives(store, config.dataDir),
    models,
    sessions: new RedisSessionStore({ redis, keys, ttlSeconds: config.sessionTtlSeconds }),
    blobs: new RedisBlobStore({ redis, keys, ttlSeconds: Math.min(SYNTHETIC_TTL_SECONDS, config.sessionTtlSeconds) }),
    redis,
    keys,
    ingest: createIngestHandler({ archives: store, models }),
    settings,
  };
  await preload(ctx, log);

  const name = `mirage-worker@${hostname()}:${process.pid}`;
  const processor = createProcessor(ctx, log);
  const concurrency: Record<QueueName, number> = { models: settings.concurrency, lookups: settings.lookupConcurrency };
  const workers = QUEUE_NAMES.map((queue) => {
    const worker = new Worker(queue, processor, {
      name,
      connection: bullConnection(url),
      prefix: keys.prefix,
      concurrency: concurrency[queue],
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    worker.on('error', onError);
    worker.on('stalled', (jobId: string) => log.warn({ jobId, queue }, 'job stalled: its worker died or froze; it goes back to the queue'));
    return worker;
  });
  const subscriber = openRedis(url, onError, { subscriber: true });
  subscriber.on('message', (_channel: string, message: string) => {
    const request = parseCancelMessage(message);
    const worker = workers.find((w) => w.name === request?.queue);
    if (request && worker?.cancelJob(request.jobId, 'cancelled by the caller')) log.info({ jobId: request.jobId, queue: request.queue }, 'job cancelled');
  });
  await subscriber.subscribe(keys.cancelChannel());
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  return {
    name,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([closeRedis(subscriber), closeRedis(redis)]);
    },
  };
}

/** Opens every archive and loads the models that serve it, so the first round is not slow. */
async function preload(ctx: WorkerContext, log: Logger): Promise<void> {
  for (const manifest of await ctx.archives.list()) {
    try {
      await ctx.archives.current(manifest.name);
      await ctx.models.bundleFor(manifest.embedder);
      log.info({ archive: manifest.name, images: manifest.count, embedder: manifest.embedder }, 'archive ready');
    } catch (e) {
      // Served on demand instead (and the error reaches the caller then): one broken archive or
      // missing model must not keep a worker from serving the others.
      log.warn({ archive: manifest.name, error: e instanceof Error ? e.message : String(e) }, 'archive not preloaded');
    }
  }
}
