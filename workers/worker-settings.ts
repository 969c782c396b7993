import { z } from 'zod';
import { validate } from '../core/validate.js';

const ms = (max: number) => z.number().int().min(1).max(max);

export const workerSettingsSchema = z.object({
  /** Model jobs (rounds, generate, embed, ingest) at once: 1 per GPU is right for diffusion. */
  concurrency: z.number().int().min(1).max(64).default(1),
  /** Lookups (images, session starts, ranks) at once; they only read files and Redis. */
  lookupConcurrency: z.number().int().min(1).max(256).default(8),
  /**
   * BullMQ's job lock, renewed every half of it while the job runs. A worker that dies holds its
   * job for at most this long before another worker may take it over.
   */
  lockDurationMs: ms(600_000).default(30_000),
  /** How often each worker looks for jobs whose worker died (stalled jobs) and requeues them. */
  stalledIntervalMs: ms(600_000).default(15_000),
  /** Deaths a job survives before it fails (a job that kills every worker must stop somewhere). */
  maxStalledCount: z.number().int().min(0).max(100).default(2),
  /** Expiry of a session or archive-writer lock whose holder died without releasing it. */
  lockTtlMs: ms(600_000).default(30_000),
  /** How long a round waits for another round of the same session before it fails (and is retried). */
  lockWaitMs: ms(3_600_000).default(60_000),
  /**
   * On SIGTERM, how long running jobs may go on before they are stopped and handed back to the
   * queue. The default fits in `docker stop`'s 10 s; an ingest that runs for hours resumes after
   * its last commit on the next worker.
   */
  shutdownGraceMs: z.number().int().min(0).max(3_600_000).default(8_000),
  /** An ingest finding another ingest writing its archive is put back in the queue for this long. */
  writerBusyDelayMs: ms(3_600_000).default(2_000),
  /**
   * Test only: each round waits this long after computing its result and before saving it, so a
   * test can kill a worker in the middle of a round. Set by MIRAGE_TEST_ROUND_DELAY_MS; 0 in use.
   */
  roundDelayMs: z.number().int().min(0).max(600_000).default(0),
});

export type WorkerSettings = z.output<typeof workerSettingsSchema>;
export type WorkerSettingsInput = z.input<typeof workerSettingsSchema>;

/** Environment variable of the test-only round delay. */
export const TEST_ROUND_DELAY_ENV = 'MIRAGE_TEST_ROUND_DELAY_MS';

export function workerSettings(input: WorkerSettingsInput): WorkerSettings {
  return validate(workerSettingsSchema, input, 'worker settings');
}

export function testRoundDelayFrom(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env[TEST_ROUND_DELAY_ENV];
  return raw === undefined || raw === '' ? undefined : Number(raw);
}
