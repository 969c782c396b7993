import { KeyedLock } from '../concurrency/keyed-lock.js';
import { MirageError, notSupported } from '../errors.js';
import type { EncodedImage } from '../images/raw-image.js';
import { syntheticThumbnail } from '../images/thumbnail.js';
import type { Archive, ArchiveManifest, ArchiveStore, ImageSize } from '../ports/archive-store.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { CallOptions, Engine } from '../ports/engine.js';
import type { IngestHandler, IngestOptions, IngestReport, IngestRequest, RemoveHandler } from '../ports/ingestion.js';
import type { ModelCatalog } from '../ports/model-bundle.js';
import type { SessionStore } from '../ports/session-store.js';
import { newSession } from '../session/new-session.js';
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
} from '../session/requests.js';
import type { Round, Session } from '../session/session.js';
import { validate } from '../validate.js';
import { runRound, sessionOfSyntheticImage } from './round-runner.js';
import { mayUse, rankInRound, requireActive, requireSession, syntheticImagesOf, withSelection } from './session-rules.js';

export interface InProcessEngineDependencies {
  readonly archives: ArchiveStore;
  readonly sessions: SessionStore;
  readonly blobs: BlobStore;
  readonly models: ModelCatalog;
  readonly ingest?: IngestHandler;
  readonly remove?: RemoveHandler;
}

/** The embedded default: everything runs in this process, nothing to start. */
export class InProcessEngine implements Engine {
  private readonly openArchives = new Map<string, Promise<Archive>>();
  private readonly sessionLock = new KeyedLock();
  /** One writer per archive in this process: ingestion and removals take turns. */
  private readonly writerLock = new KeyedLock();

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
    const access = validate(sessionAccessSchema, { owner: options.owner }, 'caller');
    return this.sessionLock.run(id, async () => {
      const session = requireActive(await this.session(id, access));
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

  async selectResult(sessionId: string, imageId: string, access: SessionAccess = {}): Promise<Session> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const caller = validate(sessionAccessSchema, access, 'caller');
    return this.sessionLock.run(id, async () => {
      const session = requireActive(await this.session(id, caller));
      const updated = withSelection(session, await this.archive(session.archive), imageId);
      await this.deps.sessions.put(updated);
      return updated;
    });
  }

  async getSession(sessionId: string, access: SessionAccess = {}): Promise<Session> {
    return this.session(validate(sessionIdSchema, sessionId, 'session id'), validate(sessionAccessSchema, access, 'caller'));
  }

  async deleteSession(sessionId: string, access: SessionAccess = {}): Promise<void> {
    const id = validate(sessionIdSchema, sessionId, 'session id');
    const caller = validate(sessionAccessSchema, access, 'caller');
    await this.sessionLock.run(id, async () => {
      const session = await this.deps.sessions.get(id);
      // Someone else's session is left alone without saying so, as if it did not exist.
      if (!session || !mayUse(session, caller)) return;
      await Promise.all(syntheticImagesOf(session).map((image) => this.deps.blobs.delete(image)));
      await this.deps.sessions.delete(id);
    });
  }

  async getImage(ref: ImageRef, size: ImageSize = 'full', access: SessionAccess = {}): Promise<EncodedImage> {
    const parsed = validate(imageRefSchema, ref, 'image reference');
    const caller = validate(sessionAccessSchema, access, 'caller');
    if (parsed.kind === 'archive') {
      const archive = await this.archive(parsed.archive);
      return archive.readImage(parsed.id, size);
    }
    const owner = sessionOfSyntheticImage(parsed.id);
    const session = owner === undefined ? undefined : await this.deps.sessions.get(owner);
    const image = session && mayUse(session, caller) ? await this.deps.blobs.get(parsed.id) : undefined;
    if (!image) throw new MirageError('UNKNOWN_IMAGE', `Synthetic image "${parsed.id}" does not exist (or has expired).`);
    return size === 'thumb' ? syntheticThumbnail(image) : image;
  }

  async rankOf(sessionId: string, round: number, imageId: string, access: SessionAccess = {}): Promise<number> {
    const session = await this.getSession(sessionId, access);
    return rankInRound(session, await this.archive(session.archive), round, imageId);
  }

  async ingest(request: IngestRequest, options: IngestOptions = {}): Promise<IngestReport> {
    const ingest = this.deps.ingest;
    if (!ingest) throw notSupported('Ingestion is not configured for this engine.');
    return this.changeArchive(request.archive, () => ingest(request, options));
  }

  async removeImages(archive: string, ids: readonly string[]): Promise<ArchiveManifest> {
    const remove = this.deps.remove;
    if (!remove) throw notSupported('Removing images is not configured for this engine.');
    return this.changeArchive(archive, () => remove(archive, ids));
  }

  async close(): Promise<void> {
    this.openArchives.clear();
  }

  private async session(id: string, access: SessionAccess): Promise<Session> {
    return requireSession(await this.deps.sessions.get(id), id, access);
  }

  /** Runs a change of an archive alone, then makes the next round open the new version. */
  private async changeArchive<T>(archive: string, change: () => Promise<T>): Promise<T> {
    const name = validate(archiveNameSchema, archive, 'archive name');
    return this.writerLock.run(name, async () => {
      try {
        return await change();
      } finally {
        this.openArchives.delete(name);
      }
    });
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
