import type { EncodedImage } from '../images/raw-image.js';
import type { ArchiveManifest, ImageSize } from './archive-store.js';
import type { Round, Session } from '../session/session.js';
import type { ImageRef, RoundRequest, SessionAccess, StartSessionRequest } from '../session/requests.js';
import type { IngestOptions, IngestReport, IngestRequest } from './ingestion.js';

/** 'queued': waiting for a worker (queue-backed engine only); the others run on one. */
export type RoundStage = 'queued' | 'generate' | 'embed' | 'search' | 'feedback';

export interface RoundProgress {
  readonly stage: RoundStage;
  /** Step within the stage (diffusion steps), when the stage has steps. */
  readonly step?: number;
  readonly total?: number;
  /** While queued: requests waiting in the queue, this one included (1 = next). */
  readonly position?: number;
}

export interface CallOptions extends SessionAccess {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RoundProgress) => void;
}

/**
 * What every front end calls. The in-process engine and the queue-backed engine both implement
 * it; a front end never knows which one it holds.
 *
 * Calls about a session take the caller's `owner` (SessionAccess, or CallOptions for rounds). A
 * session started with an owner answers only that owner; to anyone else it is UNKNOWN_SESSION,
 * the same answer as for an id that never existed, and its synthetic images are UNKNOWN_IMAGE.
 */
export interface Engine {
  listArchives(): Promise<ArchiveManifest[]>;
  startSession(request: StartSessionRequest): Promise<Session>;
  runRound(sessionId: string, request: RoundRequest, options?: CallOptions): Promise<Round>;
  /** Records that the user found the image; the session ends. */
  selectResult(sessionId: string, imageId: string, access?: SessionAccess): Promise<Session>;
  getSession(sessionId: string, access?: SessionAccess): Promise<Session>;
  /** Forgets a session and its synthetic images. Deleting an unknown session does nothing. */
  deleteSession(sessionId: string, access?: SessionAccess): Promise<void>;
  /** Synthetic images are checked against their session's owner; archive images are not. */
  getImage(ref: ImageRef, size?: ImageSize, access?: SessionAccess): Promise<EncodedImage>;
  /**
   * Evaluation only: the exact 0-based rank of an archive image under the query of one round
   * (with that round's exclusions). Lets an evaluator measure Hits@K and BRI after the fact;
   * the round itself never knew which image was wanted.
   */
  rankOf(sessionId: string, round: number, imageId: string, access?: SessionAccess): Promise<number>;
  ingest(request: IngestRequest, options?: IngestOptions): Promise<IngestReport>;
  /** Removes images from an archive (index and stored files); unknown ids are ignored. */
  removeImages(archive: string, ids: readonly string[]): Promise<ArchiveManifest>;
  close(): Promise<void>;
}
