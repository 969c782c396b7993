import type { Redis } from 'ioredis';
import type { CallOptions, Engine, IngestProgress, IngestReport, IngestRequest } from '../../engine/engine.js';
import {
  archiveNameSchema,
  imageRefSchema,
  roundRequestSchema,
  sessionIdSchema,
  startSessionSchema,
  type ImageRef,
  type RoundRequest,
  type StartSessionRequest,
} from '../../engine/requests.js';
import { validate } from '../../engine/validate.js';
import { syntheticThumbnail } from '../../engine/thumbnail.js';
import { MirageError, unknownSession } from '../../errors.js';
import type { EncodedImage } from '../../images/raw-image.js';
import type { ArchiveManifest, ImageSize } from '../../ports/archive-store.js';
import type { Round, Session } from '../../session/session.js';
import { JobClient } from './job-client.js';
import type { QueueName } from './job-contract.js';
import { RedisBlobStore } from './redis-blob-store.js';
import { closeRedis, openRedis } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { RedisSessionStore } from './redis-session-store.js';
import { DEFAULT_TIMEOUTS, SYNTHETIC_TTL_SECONDS, THUMBNAIL_TTL_SECONDS, type QueueTimeouts, type RetryPolicy } from './queue-settings.js';

export interface QueueEngineOptions {
  readonly redisUrl: string;
  /** Key prefix shared with the workers (config.redisPrefix). */
  readonly prefix: string;
  /** config.sessionTtlSeconds; the workers write sessions with theirs, so keep them equal. */
  readonly sessionTtlSeconds: number;
  readonly timeouts?: Partial<QueueTimeouts>;
  readonly retry?: Partial<Record<QueueName, RetryPolicy>>;
  /** Connection trouble (Redis down, reconnecting); the engine keeps retrying on its own. */
  readonly onConnectionError?: (error: Error) => void;
}

/**
 * The Engine over Redis: work that needs models or archives runs on `mirage worker` processes
 * (the same round-runner as the in-process engine), sessions and synthetic images live in Redis,
 * so any number of front-end processes can serve any session. Input is validated here as well,
 * so bad input fails before it reaches a queue.
 */
export class QueueEngine implements Engine {
  private readonly redis: Redis;
  private readonly jobs: JobClient;
  private readonly sessions: RedisSessionStore;
  private readonly blobs: RedisBlobStore;
  private readonly timeouts: QueueTimeouts;

  constructor(options: QueueEngineOptions) {
    const keys = new RedisKeys(options.prefix);
    const onError = options.onConnectionError ?? (() => undefined);
    this.redis = openRedis(options.redisUrl, onError);
    this.jobs = new JobClient({
      redisUrl: options.redisUrl,
      keys,
      redis: this.redis,
      onError,
      ...(options.retry ? { retry: options.retry } : {}),
    });
    this.sessions = new RedisSessionStore({ redis: this.redis, keys, ttlSeconds: options.sessionTtlSeconds });
    this.blobs = new RedisBlobStore({ redis: this.redis, keys, ttlSeconds: Math.min(SYNTHETIC_TTL_SECONDS, options.sessionTtlSeconds) });
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  listArchives(): Promise<ArchiveManifest[]> {
    return this.jobs.call('archives', {}, { timeoutMs: this.timeouts.lookupMs });
  }

  async startSession(request: StartSessionRequest): Promise<Session> {
    validate(startSessionSchema, request, 'session request');
    return this.jobs.call('start', request, { timeoutMs: this.timeouts.lookupMs });
  }

  async runRound(sessionId: string, request: RoundRequest, options: CallOptions = {}): Promise<Round> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const input = validate(roundRequestSchema, request, 'round request');
    return this.jobs.call('round', { sessionId: id, request: input }, { timeoutMs: this.timeouts.roundMs, ...options });
  }

  async selectResult(sessionId: string, imageId: string): Promise<Session> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    return this.jobs.call('select', { sessionId: id, imageId }, { timeoutMs: this.timeouts.lookupMs });
  }

  async getSession(sessionId: string): Promise<Session> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const session = await this.sessions.get(id);
    if (!session) throw unknownSession(id);
    return session;
  }

  async getImage(ref: ImageRef, size: ImageSize = 'full'): Promise<EncodedImage> {
    const parsed = validate(imageRefSchema, ref, 'image reference');
    if (parsed.kind === 'archive') {
      const { blob } = await this.jobs.call('image', { archive: parsed.archive, id: parsed.id, size }, { timeoutMs: this.timeouts.lookupMs });
      const image = await this.blobs.take(blob);
      if (!image) throw new MirageError('TIMEOUT', `Image "${parsed.id}" expired in Redis before it could be read.`);
      return image;
    }
    return size === 'thumb' ? this.syntheticThumb(parsed.id) : this.synthetic(parsed.id);
  }

  async rankOf(sessionId: string, round: number, imageId: string): Promise<number> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    return this.jobs.call('rank', { sessionId: id, round, imageId }, { timeoutMs: this.timeouts.lookupMs });
  }

  async ingest(
    request: IngestRequest,
    options: { signal?: AbortSignal; onProgress?: (p: IngestProgress) => void } = {},
  ): Promise<IngestReport> {
    validate(archiveNameSchema, request.archive, 'archive name');
    return this.jobs.call('ingest', request, { timeoutMs: this.timeouts.ingestMs, ...options });
  }

  async close(): Promise<void> {
    await this.jobs.close();
    await closeRedis(this.redis);
  }

  private async synthetic(id: string): Promise<EncodedImage> {
    const image = await this.blobs.get(id);
    if (!image) throw new MirageError('UNKNOWN_IMAGE', `Synthetic image "${id}" does not exist (or has expired).`);
    return image;
  }

  /** Made once from the full image, then kept (with a TTL) for every front end. */
  private async syntheticThumb(id: string): Promise<EncodedImage> {
    const thumbId = `${id}.thumb`;
    const cached = await this.blobs.get(thumbId);
    if (cached) return cached;
    const thumb = await syntheticThumbnail(await this.synthetic(id));
    await this.blobs.put(thumbId, thumb, THUMBNAIL_TTL_SECONDS);
    return thumb;
  }
}
