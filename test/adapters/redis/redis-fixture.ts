import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisKeys } from '../../../core/adapters/redis/redis-keys.js';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../../queue/redis-harness.js';

/** A client on the test Redis and a key prefix of this file's own, removed afterwards. */
export function useTestRedis(): { readonly redis: () => Redis; readonly keys: RedisKeys } {
  const keys = new RedisKeys(uniquePrefix());
  let redis: Redis | undefined;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await deleteKeys(TEST_REDIS_URL, keys.prefix);
  });
  return {
    redis: () => {
      if (!redis) throw new Error('Redis is not connected yet.');
      return redis;
    },
    keys,
  };
}
