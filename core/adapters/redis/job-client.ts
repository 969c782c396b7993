import type { EventEmitter } from 'node:events';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { MirageError } from '../../errors.js';
import { decodeJobError } from './job-error.js';
import { JOB_QUEUE, QUEUE_NAMES, type JobName, type JobTypes, type QueueName } from '../../ports/job-contract.js';
import { bullConnection } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { EVENTS_MAX_LEN, jobOptions, type RetryPolicy } from './queue-settings.js';

export interface JobCallOptions<P> {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: P) => void;
  /** Called once the job is in the queue, with the jobs waiting there (this one included). */
  readonly onQueued?: (waiting: number) => void;
}

export interface JobClientOptions {
  readonly redisUrl: string;
  readonly keys: RedisKeys;
  /** Carries cancel requests to the workers. */
  readonly redis: Redis;
  readonly retry?: Partial<Record<QueueName, RetryPolicy>>;
  /** Safety net for a missed completion event (a Redis restart, a late listener). */
  readonly pollMs?: number;
  readonly onError: (error: Error) => void;
}

interface Pending {
  readonly settle: (outcome: { value: unknown } | { error: unknown }) => void;
}

/**
 * Request-reply over BullMQ: adds a job, then waits for its completion event, relays its
 * progress events, and gives up (removing or cancelling the job) on timeout or abort.
 */
export class JobClient {
  private readonly queues: Record<QueueName, Queue>;
  private readonly events: Record<QueueName, QueueEvents>;
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(private readonly options: JobClientOptions) {
    const connection = bullConnection(options.redisUrl);
    const prefix = options.keys.prefix;
    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((name) => {
        const queue = new Queue(name, { connection, prefix, streams: { events: { maxLen: EVENTS_MAX_LEN } } });
        queue.on('error', options.onError);
        return [name, queue];
      }),
    ) as Record<QueueName, Queue>;
    this.events = Object.fromEntries(
      QUEUE_NAMES.map((name) => {
        const events = new QueueEvents(name, { connection, prefix });
        events.on('error', options.onError);
        return [name, events];
      }),
    ) as Record<QueueName, QueueEvents>;
  }

  async call<N extends JobName>(
    name: N,
    data: JobTypes[N]['data'],
    options: JobCallOptions<JobTypes[N]['progress']>,
  ): Promise<JobTypes[N]['result']> {
    if (this.closed) throw new MirageError('CANCELLED', 'The engine is closed.');
    options.signal?.throwIfAborted();
    const queueName = JOB_QUEUE[name];
    const queue = this.queues[queueName];
    const job = await queue.add(name, data, jobOptions(queueName, this.options.retry?.[queueName]));
    if (job.id === undefined) throw new Error(`BullMQ gave no id to a "${name}" job.`);
    if (options.onQueued) {
      // Advisory: a count that fails to arrive must not fail the request.
      const onQueued = options.onQueued;
      void queue.getWaitingCount().then((waiting) => onQueued(Math.max(1, waiting)), () => undefined);
    }
    return (await this.awaitJob(queueName, job.id, options)) as JobTypes[N]['result'];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { settle } of [...this.pending.values()]) settle({ error: new MirageError('CANCELLED', 'The engine was closed while waiting for a reply.') });
    await Promise.all([...Object.values(this.events), ...Object.values(this.queues)].map((c) => c.close()));
  }

  private awaitJob<P>(queueName: QueueName, jobId: string, options: JobCallOptions<P>): Promise<unknown> {
    // Per-job event names ("completed:<id>") are not in BullMQ's typed listener map.
    const events: EventEmitter = this.events[queueName];
    const queue = this.queues[queueName];
    const { signal, onProgress } = options;
    const key = `${queueName}:${jobId}`;
    return new Promise<unknown>((resolve, reject) => {
      const onCompleted = (args: { returnvalue: unknown }) => settle({ value: args.returnvalue });
      const onFailed = (args: { failedReason: string }) => settle({ error: decodeJobError(args.failedReason) });
      const onProgressEvent = (args: { data: unknown }) => onProgress?.(args.data as P);
      const onAbort = () => {
        void this.abandon(queue, jobId);
        settle({ error: signal?.reason });
      };
      const timer = setTimeout(() => {
        void this.abandon(queue, jobId);
        settle({ error: new MirageError('TIMEOUT', `No reply from a worker within ${options.timeoutMs} ms (is a worker running?).`) });
      }, options.timeoutMs);
      const poller = setInterval(() => void this.poll(queue, jobId).then((o) => o && settle(o), () => undefined), this.options.pollMs ?? 2000);

      const settle = (outcome: { value: unknown } | { error: unknown }) => {
        if (!this.pending.has(key)) return;
        this.pending.delete(key);
        clearTimeout(timer);
        clearInterval(poller);
        events.off(`completed:${jobId}`, onCompleted);
        events.off(`failed:${jobId}`, onFailed);
        events.off(`progress:${jobId}`, onProgressEvent);
        signal?.removeEventListener('abort', onAbort);
        if ('value' in outcome) resolve(outcome.value);
        else reject(outcome.error);
      };
      this.pending.set(key, { settle });
      events.on(`completed:${jobId}`, onCompleted);
      events.on(`failed:${jobId}`, onFailed);
      events.on(`progress:${jobId}`, onProgressEvent);
      signal?.addEventListener('abort', onAbort, { once: true });
      // The job may have finished before the listeners were in place.
      void this.events[queueName]
        .waitUntilReady()
        .then(() => this.poll(queue, jobId))
        .then((o) => o && settle(o), () => undefined);
    });
  }

  /** The outcome of a finished job, or undefined while it runs; a vanished job is an error. */
  private async poll(queue: Queue, jobId: string): Promise<{ value: unknown } | { error: unknown } | undefined> {
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') {
      const job = await Job.fromId(queue, jobId);
      if (job === undefined) return undefined;
      return state === 'completed' ? { value: job.returnvalue } : { error: decodeJobError(job.failedReason) };
    }
    if (state === 'unknown') {
      return { error: new MirageError('TIMEOUT', `Job ${jobId} disappeared from the queue before it finished (was Redis restarted without persistence?).`) };
    }
    return undefined;
  }

  /** A waiting job is removed; a running one is asked to stop (its worker aborts the round). */
  private async abandon(queue: Queue, jobId: string): Promise<void> {
    try {
      if ((await queue.remove(jobId)) === 1) return;
      await this.options.redis.publish(this.options.keys.cancelChannel(), cancelMessage(queue.name as QueueName, jobId));
    } catch (e) {
      this.options.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

/** Job ids count per queue, so a cancel request names both: "<queue>:<job id>". */
export const cancelMessage = (queue: QueueName, jobId: string): string => `${queue}:${jobId}`;

export function parseCancelMessage(message: string): { queue: QueueName; jobId: string } | undefined {
  const colon = message.indexOf(':');
  const queue = QUEUE_NAMES.find((name) => name === message.slice(0, colon));
  return queue === undefined ? undefined : { queue, jobId: message.slice(colon + 1) };
}
