import type { CallOptions, Engine } from '../../ports/engine.js';
import type { IngestOptions, IngestReport, IngestRequest } from '../../ports/ingestion.js';
import {
  archiveNameSchema,
  imageRefSchema,
  roundRequestSchema,
  sessionAccessSchema,
  sessionIdSchema,
  startSessionSchema,
  type ImageRef,
  type RoundRequest,
  type SessionAccess,
  type StartSessionRequest,
} from '../../session/requests.js';
import { sessionOfSyntheticImage } from '../../engine/round-runner.js';
import { mayUse, requireSession } from '../../engine/session-rules.js';
import { validate } from '../../validate.js';
import { syntheticThumbnail } from '../../images/thumbnail.js';
import { MirageError } from '../../errors.js';
import type { EncodedImage } from '../../images/raw-image.js';
import type { ArchiveManifest, ImageSize } from '../../ports/archive-store.js';
import type { Round, Session } from '../../session/session.js';
import type { JobClient } from './job-client.js';
import type { RedisBlobStore } from './redis-blob-store.js';
import type { SessionStore } from '../../ports/session-store.js';
import { DEFAULT_TIMEOUTS, THUMBNAIL_TTL_SECONDS, type QueueTimeouts } from './queue-settings.js';

export interface QueueEngineDependencies {
  readonly jobs: JobClient;
  readonly sessions: SessionStore;
  readonly blobs: RedisBlobStore;
  readonly timeouts?: Partial<QueueTimeouts>;
  /** Closes what the engine runs on (its Redis connection), after the job client. */
  readonly closeConnection: () => Promise<void>;
}

/**
 * The Engine over Redis: work that needs models or archives runs on `mirage worker` processes
 * (the same round-runner as the in-process engine), sessions and synthetic images live in Redis,
 * so any number of front-end processes can serve any session. Input is validated here as well,
 * so bad input fails before it reaches a queue. Built by core/runtime.
 */
export class QueueEngine implements Engine {
  private readonly jobs: JobClient;
  private readonly sessions: SessionStore;
  private readonly blobs: RedisBlobStore;
  private readonly timeouts: QueueTimeouts;

  constructor(private readonly deps: QueueEngineDependencies) {
    this.jobs = deps.jobs;
    this.sessions = deps.sessions;
    this.blobs = deps.blobs;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
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
    const { owner } = validate(sessionAccessSchema, { owner: options.owner }, 'caller');
    const { onProgress } = options;
    return this.jobs.call('round', { sessionId: id, request: input, ...(owner !== undefined ? { owner } : {}) }, {
      timeoutMs: this.timeouts.roundMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onProgress ? { onProgress, onQueued: (position: number) => onProgress({ stage: 'queued', position }) } : {}),
    });
  }

  async selectResult(sessionId: string, imageId: string, access: SessionAccess = {}): Promise<Session> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const caller = validate(sessionAccessSchema, access, 'caller');
    return this.jobs.call('select', { sessionId: id, imageId, ...caller }, { timeoutMs: this.timeouts.lookupMs });
  }

  async getSession(sessionId: string, access: SessionAccess = {}): Promise<Session> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    return requireSession(await this.sessions.get(id), id, validate(sessionAccessSchema, access, 'caller'));
  }

  async deleteSession(sessionId: string, access: SessionAccess = {}): Promise<void> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const caller = validate(sessionAccessSchema, access, 'caller');
    const deleted = await this.jobs.call('delete-session', { sessionId: id, ...caller }, { timeoutMs: this.timeouts.lookupMs });
    await Promise.all(deleted.map((image) => this.blobs.delete(thumbnailBlob(image))));
  }

  async getImage(ref: ImageRef, size: ImageSize = 'full', access: SessionAccess = {}): Promise<EncodedImage> {
    const parsed = validate(imageRefSchema, ref, 'image reference');
    const caller = validate(sessionAccessSchema, access, 'caller');
    if (parsed.kind === 'archive') {
      const { blob } = await this.jobs.call('image', { archive: parsed.archive, id: parsed.id, size }, { timeoutMs: this.timeouts.lookupMs });
      const image = await this.blobs.take(blob);
      if (!image) throw new MirageError('TIMEOUT', `Image "${parsed.id}" expired in Redis before it could be read.`);
      return image;
    }
    const owner = sessionOfSyntheticImage(parsed.id);
    const session = owner === undefined ? undefined : await this.sessions.get(owner);
    if (!session || !mayUse(session, caller)) throw unknownSynthetic(parsed.id);
    return size === 'thumb' ? this.syntheticThumb(parsed.id) : this.synthetic(parsed.id);
  }

  async rankOf(sessionId: string, round: number, imageId: string, access: SessionAccess = {}): Promise<number> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const caller = validate(sessionAccessSchema, access, 'caller');
    return this.jobs.call('rank', { sessionId: id, round, imageId, ...caller }, { timeoutMs: this.timeouts.lookupMs });
  }

  async ingest(request: IngestRequest, options: IngestOptions = {}): Promise<IngestReport> {
    validate(archiveNameSchema, request.archive, 'archive name');
    return this.jobs.call('ingest', request, { timeoutMs: this.timeouts.ingestMs, ...options });
  }

  async removeImages(archive: string, ids: readonly string[]): Promise<ArchiveManifest> {
    const name = validate(archiveNameSchema, archive, 'archive name');
    return this.jobs.call('remove', { archive: name, ids: [...ids] }, { timeoutMs: this.timeouts.ingestMs });
  }

  async close(): Promise<void> {
    await this.jobs.close();
    await this.deps.closeConnection();
  }

  private async synthetic(id: string): Promise<EncodedImage> {
    const image = await this.blobs.get(id);
    if (!image) throw unknownSynthetic(id);
    return image;
  }

  /** Made once from the full image, then kept (with a TTL) for every front end. */
  private async syntheticThumb(id: string): Promise<EncodedImage> {
    const thumbId = thumbnailBlob(id);
    const cached = await this.blobs.get(thumbId);
    if (cached) return cached;
    const thumb = await syntheticThumbnail(await this.synthetic(id));
    await this.blobs.put(thumbId, thumb, THUMBNAIL_TTL_SECONDS);
    return thumb;
  }
}

const thumbnailBlob = (syntheticId: string) => `${syntheticId}.thumb`;

const unknownSynthetic = (id: string) => new MirageError('UNKNOWN_IMAGE', `Synthetic image "${id}" does not exist (or has expired).`);
