import { z } from 'zod';
import { LIMITS, type RoundInput, type SessionAccess, type StartSessionRequest } from '../session/requests.js';
import type { Round, Session } from '../session/session.js';
import type { ArchiveManifest, ImageSize } from './archive-store.js';
import type { RoundProgress } from './engine.js';
import type { IngestProgress, IngestReport, IngestRequest } from './ingestion.js';

/**
 * What travels between the queue-backed engine and the workers: the queues, each job's data,
 * result and progress. Both sides import this file, so they cannot disagree.
 *
 * Two queues, so that a cheap lookup (an image, a session start) never waits behind a
 * multi-second diffusion round on a busy GPU worker:
 * - "models": jobs that run a model, one at a time per GPU by default.
 * - "lookups": reads of archives and sessions, many at once.
 */
export const QUEUE_NAMES = ['models', 'lookups'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Archive images travel from a worker to a front end as blobs that the front end reads (and
 * deletes) at once; this lifetime only bounds a blob whose reader went away.
 */
export const TRANSFER_TTL_SECONDS = 120;

export const MAX_GENERATE_IMAGES = LIMITS.maxSamples;
export const MAX_EMBED_ITEMS = 64;

export const generateJobSchema = z.object({
  embedder: z.string().min(1).max(128),
  text: z.string().trim().min(1, 'the text is empty').max(LIMITS.maxQueryChars),
  seed: z.number().int().min(0).max(0xffffffff),
  n: z.number().int().min(1).max(MAX_GENERATE_IMAGES).default(1),
});
export type GenerateJobData = z.input<typeof generateJobSchema>;

export const embedJobSchema = z
  .object({
    embedder: z.string().min(1).max(128),
    texts: z.array(z.string().min(1).max(LIMITS.maxQueryChars)).max(MAX_EMBED_ITEMS).optional(),
    /** Blob ids of images the caller put in the blob store. */
    images: z.array(z.string().min(1).max(256)).max(MAX_EMBED_ITEMS).optional(),
  })
  .refine((d) => (d.texts === undefined) !== (d.images === undefined), 'give either texts or images');
export type EmbedJobData = z.input<typeof embedJobSchema>;

export interface GeneratedBlob {
  /** Blob id of the encoded image (it expires with the synthetic-image TTL). */
  readonly blob: string;
  readonly seed: number;
  readonly interpretation?: Readonly<Record<string, unknown>>;
}

/** Every job: its queue, data, result and progress. */
export interface JobTypes {
  round: { queue: 'models'; data: { sessionId: string; request: RoundInput } & SessionAccess; result: Round; progress: RoundProgress };
  generate: { queue: 'models'; data: GenerateJobData; result: GeneratedBlob[]; progress: RoundProgress };
  /** Vectors as base64 f32 (core/vectors/vector-codec.ts). */
  embed: { queue: 'models'; data: EmbedJobData; result: string[]; progress: never };
  ingest: { queue: 'models'; data: IngestRequest; result: IngestReport; progress: IngestProgress };
  /** A change of the archive, so it takes the archive-writer lock as ingestion does. */
  remove: { queue: 'models'; data: { archive: string; ids: readonly string[] }; result: ArchiveManifest; progress: never };
  archives: { queue: 'lookups'; data: Record<string, never>; result: ArchiveManifest[]; progress: never };
  start: { queue: 'lookups'; data: StartSessionRequest; result: Session; progress: never };
  select: { queue: 'lookups'; data: { sessionId: string; imageId: string } & SessionAccess; result: Session; progress: never };
  /** Returns the synthetic images it deleted with the session, so the caller can drop what it derived from them. */
  'delete-session': { queue: 'lookups'; data: { sessionId: string } & SessionAccess; result: string[]; progress: never };
  /** The image is handed over as a short-lived blob, not in the reply (see docs/queue.md). */
  image: { queue: 'lookups'; data: { archive: string; id: string; size: ImageSize }; result: { blob: string }; progress: never };
  rank: { queue: 'lookups'; data: { sessionId: string; round: number; imageId: string } & SessionAccess; result: number; progress: never };
}

export type JobName = keyof JobTypes;

export const JOB_QUEUE: { readonly [N in JobName]: JobTypes[N]['queue'] } = {
  round: 'models',
  generate: 'models',
  embed: 'models',
  ingest: 'models',
  remove: 'models',
  archives: 'lookups',
  start: 'lookups',
  select: 'lookups',
  'delete-session': 'lookups',
  image: 'lookups',
  rank: 'lookups',
};


export const isJobName = (name: string): name is JobName => Object.hasOwn(JOB_QUEUE, name);

/** One attempt at one job, as a handler sees it. */
export interface JobRun<N extends JobName> {
  /**
   * "<queue>-<job id>": the same on every attempt, so it identifies the request across retries
   * (lock owner, commit mark, blob names).
   */
  readonly id: string;
  readonly data: JobTypes[N]['data'];
  /** Aborted when the caller cancels or times out. */
  readonly signal: AbortSignal;
  readonly progress: (progress: JobTypes[N]['progress']) => void;
  /** Puts the job back in the queue for `ms` without counting an attempt (a resource is busy). */
  readonly retryLater: (ms: number) => Promise<never>;
}

/** Runs one job by name: what a worker hands the queue to serve. */
export type JobDispatch = <N extends JobName>(name: N, run: JobRun<N>) => Promise<JobTypes[N]['result']>;
