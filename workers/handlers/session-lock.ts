import { RedisLock } from '../../core/adapters/redis/redis-lock.js';
import type { WorkerContext } from '../worker-context.js';

/**
 * Runs session-changing work (a round, a selection) under the session's Redis lock, so two
 * requests on one session never interleave, whichever workers run them.
 */
export async function withSessionLock<T>(
  ctx: WorkerContext,
  sessionId: string,
  jobId: string,
  signal: AbortSignal,
  work: (lock: RedisLock) => Promise<T>,
): Promise<T> {
  const lock = await RedisLock.acquire(
    ctx.redis,
    ctx.keys.sessionLock(sessionId),
    jobId,
    { ttlMs: ctx.settings.lockTtlMs, waitMs: ctx.settings.lockWaitMs },
    `Session "${sessionId}"`,
    signal,
  );
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}
