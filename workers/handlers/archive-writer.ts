import type { WorkerContext } from '../worker-context.js';

/**
 * Runs a change of an archive (an ingestion, a removal) as its one writer. The archive-writer
 * lock (in Redis) makes it one writer across every worker and machine; a second change of the
 * same archive goes back to the queue until the first is done. A later attempt of the same job
 * takes the lock over at once (the earlier one is presumed dead), so the change gets a fence to
 * pass to every commit: right before it, the lock must still be this attempt's, or the attempt
 * commits nothing. Readers pick up each commit on their next job (SharedArchives).
 */
export async function asArchiveWriter<T>(
  ctx: WorkerContext,
  archive: string,
  jobId: string,
  retryLater: (ms: number) => Promise<never>,
  change: (fence: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const lock = await ctx.locks.tryAcquire({ archiveWriter: archive }, jobId, ctx.settings.lockTtlMs);
  if (!lock) return retryLater(ctx.settings.writerBusyDelayMs);
  try {
    return await change(() => lock.assertHeld());
  } finally {
    await lock.release();
  }
}
