import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { FileDocumentStore } from '../adapters/local/file-document-store.js';
import { closeRedis, openRedis } from '../adapters/redis/redis-connection.js';
import { RedisDocumentStore } from '../adapters/redis/redis-document-store.js';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import type { MirageConfig } from '../config/config.js';
import type { DocumentStore } from '../ports/document-store.js';

export interface RateLimit {
  /** Names the limit in storage ("member", "guild"). */
  readonly name: string;
  /** Requests allowed per window. */
  readonly points: number;
  readonly windowSeconds: number;
}

/**
 * What a long-running front end keeps besides the Engine's sessions: its own documents and its
 * rate-limit counters. On local files and in memory by default; in Redis with config.redisUrl,
 * so that several processes of the front end share them and they survive a restart.
 */
export interface FrontEndState {
  documents(collection: string): DocumentStore;
  rateLimiter(limit: RateLimit): RateLimiterAbstract;
  close(): Promise<void>;
}

/** `name` keeps front ends apart: their documents live under <dataDir>/state/<name>/ or its Redis keys. */
export function createFrontEndState(config: MirageConfig, name: string, onConnectionError: (error: Error) => void = () => undefined): FrontEndState {
  const safeName = assertCollectionName(name);
  if (config.redisUrl === undefined) {
    return {
      documents: (collection) => new FileDocumentStore(join(config.dataDir, 'state', safeName, assertCollectionName(collection))),
      rateLimiter: (limit) => new RateLimiterMemory({ keyPrefix: `${safeName}-${limit.name}`, points: limit.points, duration: limit.windowSeconds }),
      close: async () => undefined,
    };
  }
  const keys = new RedisKeys(config.redisPrefix);
  const redis: Redis = openRedis(config.redisUrl, onConnectionError);
  return {
    documents: (collection) => new RedisDocumentStore(redis, keys.documents(`${safeName}:${assertCollectionName(collection)}`)),
    rateLimiter: (limit) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keys.prefix}:rate:${safeName}:${limit.name}`,
        points: limit.points,
        duration: limit.windowSeconds,
      }),
    close: () => closeRedis(redis),
  };
}

function assertCollectionName(name: string): string {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(name)) throw new Error(`"${name}" is not a collection name (lowercase letters, digits, "-").`);
  return name;
}
