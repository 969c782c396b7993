import { z } from 'zod';
import { archiveNameSchema } from '../../core/session/requests.js';
import { validate } from '../../core/validate.js';
import type { JobHandler } from '../worker-context.js';
import { asArchiveWriter } from './archive-writer.js';

const removeSchema = z.object({ archive: archiveNameSchema, ids: z.array(z.string().min(1).max(256)).max(100_000) });

/** Removes images from an archive, as its one writer. */
export const removeJob: JobHandler<'remove'> = async (ctx, run) => {
  const { archive, ids } = validate(removeSchema, run.data, 'remove request');
  return asArchiveWriter(ctx, archive, run.id, run.retryLater, (fence) => ctx.remove(archive, ids, { fence }));
};
