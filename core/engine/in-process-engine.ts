import { MirageError, notSupported } from '../errors.js';
import type { EncodedImage } from '../images/raw-image.js';
import type { Archive, ArchiveManifest, ArchiveStore, ImageSize } from '../ports/archive-store.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { ModelCatalog } from '../ports/model-bundle.js';
import type { SessionStore } from '../ports/session-store.js';
import { newSession } from '../session/new-session.js';
import type { Round, Session } from '../session/session.js';
import type { CallOptions, Engine } from '../ports/engine.js';
import type { IngestHandler, IngestOptions, IngestReport, IngestRequest } from '../ports/ingestion.js';
import { KeyedLock } from '../concurrency/keyed-lock.js';
import { syntheticThumbnail } from '../images/thumbnail.js';
import {
  archiveNameSchema,
  imageRefSchema,
  roundRequestSchema,
  sessionIdSchema,
  startSessionSchema,
  type ImageRef,
  type RoundRequest,
  type StartSessionRequest,
} from '../session/requests.js';
import { runRound } from './round-runner.js';
import { rankInRound, requireActive, requireSession, withSelection } from './session-rules.js';
import { validate } from '../validate.js';

export interface InProcessEngineDependencies {
  readonly archives: ArchiveStore;
  readonly sessions: SessionStore;
  readonly blobs: BlobStore;
  readonly models: ModelCatalog;
  readonly ingest?: IngestHandler;
}

/** The embedded default: everything runs in this process, nothing to start. */
export class InProcessEngine implements Engine {
  private readonly openArchives = new Map<string, Promise<Archive>>();
  private readonly sessionLock = new KeyedLock();

  constructor(private readonly deps: InProcessEngineDependencies) {}

  listArchives(): Promise<ArchiveManifest[]> {
    return this.deps.archives.list();
  }

  async startSession(request: StartSessionRequest): Promise<Session> {
    const parsed = validate(startSessionSchema, request, 'session request');
    const archive = await this.archive(parsed.archive);
    // Fail now rather than on the first round when the archive's models cannot serve the strategy.
    await this.deps.models.bundleFor(archive.manifest.embedder);
    const session = newSession(parsed);
    await this.deps.sessions.put(session);
    return session;
  }

  async runRound(sessionId: string, request: RoundRequest, options: CallOptions = {}): Promise<Round> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const input = validate(roundRequestSchema, request, 'round request');
    return this.sessionLock.run(id, async () => {
      const session = await this.activeSession(id);
      const archive = await this.archive(session.archive);
      const models = await this.deps.models.bundleFor(archive.manifest.embedder);
      const round = await runRound(session, input, { archive, models, blobs: this.deps.blobs }, options);
      await this.deps.sessions.put({
        ...session,
        rounds: [...session.rounds, round],
        updatedAt: round.createdAt,
      });
      return round;
    });
  }

  async selectResult(sessionId: string, imageId: string): Promise<Session> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    return this.sessionLock.run(id, async () => {
      const session = await this.activeSession(id);
      const updated = withSelection(session, await this.archive(session.archive), imageId);
      await this.deps.sessions.put(updated);
      return updated;
    });
  }

  async getSession(sessionId: string): Promise<Session> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    return requireSession(await this.deps.sessions.get(id), id);
  }

  async getImage(ref: ImageRef, size: ImageSize = 'full'): Promise<EncodedImage> {
    const parsed = validate(imageRefSchema, ref, 'image reference');
    if (parsed.kind === 'archive') {
      const archive = await this.archive(parsed.archive);
      return archive.readImage(parsed.id, size);
    }
    const image = await this.deps.blobs.get(parsed.id);
    if (!image) throw new MirageError('UNKNOWN_IMAGE', `Synthetic image "${parsed.id}" does not exist (or has expired).`);
    return size === 'thumb' ? syntheticThumbnail(image) : image;
  }

  async rankOf(sessionId: string, round: number, imageId: string): Promise<number> {
    const session = await this.getSession(sessionId);
    return rankInRound(session, await this.archive(session.archive), round, imageId);
  }

  async ingest(request: IngestRequest, options: IngestOptions = {}): Promise<IngestReport> {
    if (!this.deps.ingest) throw notSupported('Ingestion is not configured for this engine.');
    const name = validate(archiveNameSchema, request.archive, 'archive name');
    try {
      return await this.deps.ingest(request, options);
    } finally {
      // The archive changed on disk: the next round must see the new index.
      this.openArchives.delete(name);
    }
  }

  async close(): Promise<void> {
    this.openArchives.clear();
  }

  private async activeSession(id: string): Promise<Session> {
    return requireActive(requireSession(await this.deps.sessions.get(id), id));
  }

  private archive(name: string): Promise<Archive> {
    const valid = validate(archiveNameSchema, name, 'archive name');
    let pending = this.openArchives.get(valid);
    if (!pending) {
      pending = this.deps.archives.open(valid);
      this.openArchives.set(valid, pending);
      // A failed open (unknown archive) must not be cached: it may be created later.
      pending.catch(() => this.openArchives.delete(valid));
    }
    return pending;
  }
}
