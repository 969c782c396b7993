import { archiveNameSchema } from '../../core/session/requests.js';
import { validate } from '../../core/validate.js';
import type { JobHandler } from '../worker-context.js';
import { asArchiveWriter } from './archive-writer.js';

/** Ingestion, as the archive's one writer: every commit is fenced by the archive-writer lock. */
export const ingestJob: JobHandler<'ingest'> = async (ctx, run) => {
  const archive = validate(archiveNameSchema, run.data.archive, 'archive name');
  return asArchiveWriter(ctx, archive, run.id, run.retryLater, (fence) =>
    ctx.ingest(run.data, { signal: run.signal, onProgress: (p) => run.progress(p), fence }),
  );
};
