import type { Redis } from 'ioredis';

/**
 * Every Redis key Mirage writes, under one prefix (config.redisPrefix), so several deployments
 * or test runs can share a Redis and each can be removed by its prefix. BullMQ uses the same
 * prefix for its queue keys ("<prefix>:<queue>:...").
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  session(id: string): string {
    return `${this.prefix}:session:${id}`;
  }

  /** Hash job id -> what the job committed (a round index), so a retried job does not commit twice. */
  sessionJobs(id: string): string {
    return `${this.prefix}:session-jobs:${id}`;
  }

  sessionLock(id: string): string {
    return `${this.prefix}:lock:session:${id}`;
  }

  archiveWriterLock(archive: string): string {
    return `${this.prefix}:lock:archive-writer:${archive}`;
  }

  blob(id: string): string {
    return `${this.prefix}:blob:${id}`;
  }

  /** A front end's state collection (core/ports/document-store.ts). */
  documents(collection: string): string {
    return `${this.prefix}:documents:${collection}`;
  }

  /** Pub/sub channel on which callers ask workers to cancel a running job. */
  cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }
}

/** Removes every key under a prefix (a finished test or benchmark run), in batches, without blocking Redis. */
export async function deletePrefixedKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
