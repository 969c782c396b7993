import { DelayedError, UnrecoverableError, type Job, type Processor } from 'bullmq';
import { encodeJobError } from '../core/adapters/redis/job-error.js';
import { isJobName, type JobName } from '../core/adapters/redis/job-contract.js';
import { isPermanent, MirageError } from '../core/errors.js';
import { embedJob, generateJob } from './handlers/models.js';
import { ingestJob } from './handlers/ingest.js';
import { archivesJob, imageJob, rankJob, selectJob, startJob } from './handlers/lookups.js';
import { roundJob } from './handlers/round.js';
import type { Logger } from './logger.js';
import type { JobHandler, JobRun, WorkerContext } from './worker-context.js';

const HANDLERS: { readonly [N in JobName]: JobHandler<N> } = {
  round: roundJob,
  generate: generateJob,
  embed: embedJob,
  ingest: ingestJob,
  archives: archivesJob,
  start: startJob,
  select: selectJob,
  image: imageJob,
  rank: rankJob,
};

/**
 * Turns each job into a handler call and each failure into what BullMQ should do with it:
 * a permanent error (bad input, unknown session, ...) fails at once (UnrecoverableError) and a
 * transient one (model error, timeout, anything unexpected) is retried with exponential backoff.
 * Either way the caller receives the error's code and message (job-error.ts).
 */
export function createProcessor(ctx: WorkerContext, log: Logger): Processor {
  return async (job: Job, token?: string, signal?: AbortSignal) => {
    const name = job.name;
    if (!isJobName(name)) throw new UnrecoverableError(encodeJobError(new MirageError('NOT_SUPPORTED', `Unknown job "${name}".`)));
    const jobLog = log.child({ jobId: job.id, job: name, attempt: job.attemptsMade + 1 });
    jobLog.info({ sessionId: (job.data as { sessionId?: unknown }).sessionId }, 'job started');
    const started = performance.now();
    try {
      const result = await (HANDLERS[name] as JobHandler<JobName>)(ctx, jobRun(job, token, signal ?? new AbortController().signal, jobLog));
      jobLog.info({ ms: Math.round(performance.now() - started) }, 'job done');
      return result;
    } catch (e) {
      if (e instanceof DelayedError) {
        jobLog.info('job put back in the queue: what it needs is busy');
        throw e;
      }
      if (signal?.aborted) {
        throw new UnrecoverableError(encodeJobError(new MirageError('CANCELLED', 'The caller cancelled the request.')));
      }
      if (isPermanent(e)) {
        jobLog.info({ error: encodeJobError(e) }, 'job rejected');
        throw new UnrecoverableError(encodeJobError(e));
      }
      jobLog.warn({ error: encodeJobError(e), stack: e instanceof Error ? e.stack : undefined }, 'job failed');
      throw new Error(encodeJobError(e));
    }
  };
}

function jobRun(job: Job, token: string | undefined, signal: AbortSignal, log: Logger): JobRun<JobName> {
  if (job.id === undefined) throw new Error('BullMQ handed over a job without an id.');
  return {
    // Job ids count up per queue, so the queue name makes them unique across both queues.
    id: `${job.queueName}-${job.id}`,
    data: job.data,
    signal,
    // Progress is advisory: a lost update must not fail the job.
    progress: (p) => void job.updateProgress(p as object).catch((e: unknown) => log.debug({ error: String(e) }, 'progress not sent')),
    retryLater: async (ms) => {
      await job.moveToDelayed(Date.now() + ms, token);
      throw new DelayedError();
    },
  };
}
