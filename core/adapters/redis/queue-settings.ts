import type { JobsOptions } from 'bullmq';
import type { QueueName } from '../../ports/job-contract.js';

/** How long a caller waits for each kind of request before it fails with TIMEOUT. */
export interface QueueTimeouts {
  /** A round (or a generate / embed job), queueing included. */
  readonly roundMs: number;
  /** Archive and session lookups. */
  readonly lookupMs: number;
  readonly ingestMs: number;
}

export const DEFAULT_TIMEOUTS: QueueTimeouts = {
  roundMs: 5 * 60_000,
  lookupMs: 60_000,
  ingestMs: 12 * 3600_000,
};

/** Retries of transient failures (permanent ones fail at once): attempts and the first backoff. */
export interface RetryPolicy {
  readonly attempts: number;
  /** Doubled after each failed attempt. */
  readonly backoffMs: number;
}

export const DEFAULT_RETRY: Readonly<Record<QueueName, RetryPolicy>> = {
  models: { attempts: 3, backoffMs: 1000 },
  lookups: { attempts: 3, backoffMs: 200 },
};

/**
 * Finished jobs kept for inspection: at most this many, for at most this long. A caller reads
 * its result from the completion event (or from the job while it is kept), so these only bound
 * Redis; they do not affect delivery.
 */
export const KEEP_COMPLETED = { age: 3600, count: 5000 } as const;
export const KEEP_FAILED = { age: 24 * 3600, count: 5000 } as const;

/**
 * Events kept in each queue's event stream. Round results travel in "completed" events (a few
 * kilobytes each: hits and the query vector), so this bounds the stream to tens of megabytes.
 */
export const EVENTS_MAX_LEN = 10_000;

/** Synthetic images live as long as a user may look back at a round; thumbnails are re-made on demand. */
export const SYNTHETIC_TTL_SECONDS = 24 * 3600;
export const THUMBNAIL_TTL_SECONDS = 3600;

export function jobOptions(queue: QueueName, retry: RetryPolicy = DEFAULT_RETRY[queue]): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}
