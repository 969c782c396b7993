import type { WorkerContext } from '../worker-context.js';

/**
 * Runs a change of an archive (an ingestion, a removal) as its one writer. The archive-writer
 * lock (in Redis) makes it one writer across every worker and machine (the local store's own
 * lock file only knows the processes of one machine, and not across containers); a second
 * change of the same archive goes back to the queue until the first is done. Readers pick up
 * each commit on their next job (SharedArchives).
 */
export async function asArchiveWriter<T>(
  ctx: WorkerContext,
  archive: string,
  jobId: string,
  retryLater: (ms: number) => Promise<never>,
  change: () => Promise<T>,
): Promise<T> {
  const lock = await ctx.locks.tryAcquire({ archiveWriter: archive }, jobId, ctx.settings.lockTtlMs);
  if (!lock) return retryLater(ctx.settings.writerBusyDelayMs);
  try {
    return await change();
  } finally {
    await lock.release();
  }
}
