import type { HeldLock } from '../../core/ports/worker-stores.js';
import type { WorkerContext } from '../worker-context.js';

/**
 * Runs session-changing work (a round, a selection) under the session's lock, so two requests
 * on one session never interleave, whichever workers run them.
 */
export async function withSessionLock<T>(
  ctx: WorkerContext,
  sessionId: string,
  jobId: string,
  signal: AbortSignal,
  work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await ctx.locks.acquire({ session: sessionId }, jobId, { ttlMs: ctx.settings.lockTtlMs, waitMs: ctx.settings.lockWaitMs }, signal);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}
