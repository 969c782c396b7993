import { DelayedError, UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import type { Logger } from 'pino';
import { isPermanent, MirageError } from '../../errors.js';
import { isJobName, QUEUE_NAMES, type JobDispatch, type JobName, type JobRun, type QueueName } from '../../ports/job-contract.js';
import { parseCancelMessage } from './job-client.js';
import { encodeJobError } from './job-error.js';
import { KEEP_COMPLETED, KEEP_FAILED } from './queue-settings.js';
import { bullConnection, closeRedis, openRedis } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/** How a worker process takes jobs from the queues. */
export interface JobServerSettings {
  /** Model jobs (rounds, generate, embed, ingest) at once. */
  readonly concurrency: number;
  /** Lookups (images, session starts, ranks) at once. */
  readonly lookupConcurrency: number;
  /** BullMQ's job lock: how long a dead worker holds its job before another may take it. */
  readonly lockDurationMs: number;
  /** How often to look for jobs whose worker died. */
  readonly stalledIntervalMs: number;
  /** Deaths a job survives before it fails. */
  readonly maxStalledCount: number;
}

export interface JobServerOptions {
  readonly redisUrl: string;
  readonly keys: RedisKeys;
  /** Recorded on every job it processes (job.processedBy). */
  readonly name: string;
  readonly settings: JobServerSettings;
  readonly log: Logger;
}

export interface JobServer {
  /**
   * Stops taking jobs, waits for the running ones to finish, then disconnects. With `graceMs`,
   * jobs still running after that long are stopped (their signal aborts) and handed back to the
   * queue, not failed: another worker (or this one, restarted) runs them again, an ingest
   * resuming after its last commit.
   */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

/** The abort reason of jobs stopped because their worker shuts down. */
const SHUTDOWN = 'the worker is shutting down';

/**
 * Serves the "models" and "lookups" queues with `dispatch`, and listens for cancel requests so
 * that a caller's abort stops a running job on whichever worker has it.
 */
export async function startJobServer(dispatch: JobDispatch, options: JobServerOptions): Promise<JobServer> {
  const { redisUrl: url, keys, settings, log } = options;
  const onError = (e: Error) => log.warn({ error: e.message }, 'redis connection trouble');
  const processor = createProcessor(dispatch, log);
  const concurrency: Record<QueueName, number> = { models: settings.concurrency, lookups: settings.lookupConcurrency };
  const workers = QUEUE_NAMES.map((queue) => {
    const worker = new Worker(queue, processor, {
      name: options.name,
      connection: bullConnection(url),
      prefix: keys.prefix,
      concurrency: concurrency[queue],
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      maxStalledCount: settings.maxStalledCount,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    worker.on('error', onError);
    worker.on('stalled', (jobId: string) => log.warn({ jobId, queue }, 'job stalled: its worker died or froze; it goes back to the queue'));
    return worker;
  });
  const subscriber = openRedis(url, onError, { subscriber: true });
  subscriber.on('message', (_channel: string, message: string) => {
    const request = parseCancelMessage(message);
    const worker = workers.find((w) => w.name === request?.queue);
    if (request && worker?.cancelJob(request.jobId, 'cancelled by the caller')) log.info({ jobId: request.jobId, queue: request.queue }, 'job cancelled');
  });
  await subscriber.subscribe(keys.cancelChannel());
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    async close(options = {}) {
      const closing = Promise.all(workers.map((w) => w.close()));
      const { graceMs } = options;
      const timer =
        graceMs === undefined
          ? undefined
          : setTimeout(() => {
              log.warn({ graceMs }, 'jobs still running after the shutdown grace period: stopping them and handing them back');
              for (const worker of workers) worker.cancelAllJobs(SHUTDOWN);
            }, graceMs);
      try {
        await closing;
      } finally {
        clearTimeout(timer);
      }
      await closeRedis(subscriber);
    },
  };
}

/**
 * Turns each job into a dispatch and each failure into what BullMQ should do with it: a
 * permanent error (bad input, unknown session, ...) fails at once (UnrecoverableError) and a
 * transient one (model error, timeout, anything unexpected) is retried with exponential backoff.
 * Either way the caller receives the error's code and message (job-error.ts).
 */
export function createProcessor(dispatch: JobDispatch, log: Logger): Processor {
  return async (job: Job, token?: string, signal?: AbortSignal) => {
    const name = job.name;
    if (!isJobName(name)) throw new UnrecoverableError(encodeJobError(new MirageError('NOT_SUPPORTED', `Unknown job "${name}".`)));
    const jobLog = log.child({ jobId: job.id, job: name, attempt: job.attemptsMade + 1 });
    jobLog.info({ sessionId: (job.data as { sessionId?: unknown }).sessionId }, 'job started');
    const started = performance.now();
    try {
      const result = await dispatch(name, jobRun(job, token, signal ?? new AbortController().signal, jobLog));
      jobLog.info({ ms: Math.round(performance.now() - started) }, 'job done');
      return result;
    } catch (e) {
      if (e instanceof DelayedError) {
        jobLog.info('job put back in the queue: what it needs is busy');
        throw e;
      }
      if (signal?.aborted && signal.reason === SHUTDOWN) {
        jobLog.info('job handed back to the queue: the worker is shutting down');
        await handBack(job, token, 0);
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
    retryLater: (ms) => handBack(job, token, ms),
  };
}

/** Puts a running job back in the queue to run again after `ms`, without counting an attempt. */
async function handBack(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}
