import { JobClient } from '../adapters/redis/job-client.js';
import { QueueEngine } from '../adapters/redis/queue-engine.js';
import { SYNTHETIC_TTL_SECONDS, type QueueTimeouts, type RetryPolicy } from '../adapters/redis/queue-settings.js';
import { RedisBlobStore } from '../adapters/redis/redis-blob-store.js';
import { closeRedis, openRedis } from '../adapters/redis/redis-connection.js';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisSessionStore } from '../adapters/redis/redis-session-store.js';
import type { Engine } from '../ports/engine.js';
import type { QueueName } from '../ports/job-contract.js';

export interface QueueEngineOptions {
  readonly redisUrl: string;
  /** Key prefix shared with the workers (config.redisPrefix). */
  readonly prefix: string;
  /** config.sessionTtlSeconds; the workers write sessions with theirs, so keep them equal. */
  readonly sessionTtlSeconds: number;
  readonly timeouts?: Partial<QueueTimeouts>;
  readonly retry?: Partial<Record<QueueName, RetryPolicy>>;
  /** Connection trouble (Redis down, reconnecting); the engine keeps retrying on its own. */
  readonly onConnectionError?: (error: Error) => void;
}

/** The queue-backed engine: one Redis connection for its keys, a job client for the workers. */
export function createQueueEngine(options: QueueEngineOptions): Engine {
  const keys = new RedisKeys(options.prefix);
  const onError = options.onConnectionError ?? (() => undefined);
  const redis = openRedis(options.redisUrl, onError);
  return new QueueEngine({
    jobs: new JobClient({ redisUrl: options.redisUrl, keys, redis, onError, ...(options.retry ? { retry: options.retry } : {}) }),
    sessions: new RedisSessionStore({ redis, keys, ttlSeconds: options.sessionTtlSeconds }),
    blobs: new RedisBlobStore({ redis, keys, ttlSeconds: Math.min(SYNTHETIC_TTL_SECONDS, options.sessionTtlSeconds) }),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    closeConnection: () => closeRedis(redis),
  });
}
