import { archiveNameSchema } from '../../core/session/requests.js';
import { validate } from '../../core/validate.js';
import type { JobHandler } from '../worker-context.js';

/**
 * Ingestion is the one writer of an archive. The archive-writer lock (in Redis) makes it one
 * writer across every worker and machine; a second ingest into the same archive goes back to
 * the queue until the first is done. A later attempt of the same job takes the lock over at once
 * (the earlier one is presumed dead), so every commit is fenced: right before it, the lock must
 * still be this attempt's, or the attempt commits nothing. Readers pick up each commit on their
 * next job (SharedArchives).
 */
export const ingestJob: JobHandler<'ingest'> = async (ctx, run) => {
  const archive = validate(archiveNameSchema, run.data.archive, 'archive name');
  const lock = await ctx.locks.tryAcquire({ archiveWriter: archive }, run.id, ctx.settings.lockTtlMs);
  if (!lock) return run.retryLater(ctx.settings.writerBusyDelayMs);
  try {
    return await ctx.ingest(run.data, { signal: run.signal, onProgress: (p) => run.progress(p), fence: () => lock.assertHeld() });
  } finally {
    await lock.release();
  }
};
