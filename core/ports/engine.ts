import type { EncodedImage } from '../images/raw-image.js';
import type { ArchiveManifest, ImageSize } from './archive-store.js';
import type { Round, Session } from '../session/session.js';
import type { ImageRef, RoundRequest, StartSessionRequest } from '../session/requests.js';
import type { IngestOptions, IngestReport, IngestRequest } from './ingestion.js';

export type RoundStage = 'generate' | 'embed' | 'search' | 'feedback';

export interface RoundProgress {
  readonly stage: RoundStage;
  /** Step within the stage (diffusion steps), when the stage has steps. */
  readonly step?: number;
  readonly total?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RoundProgress) => void;
}

/**
 * What every front end calls. The in-process engine and the queue-backed engine both implement
 * it; a front end never knows which one it holds.
 */
export interface Engine {
  listArchives(): Promise<ArchiveManifest[]>;
  startSession(request: StartSessionRequest): Promise<Session>;
  runRound(sessionId: string, request: RoundRequest, options?: CallOptions): Promise<Round>;
  /** Records that the user found the image; the session ends. */
  selectResult(sessionId: string, imageId: string): Promise<Session>;
  getSession(sessionId: string): Promise<Session>;
  getImage(ref: ImageRef, size?: ImageSize): Promise<EncodedImage>;
  /**
   * Evaluation only: the exact 0-based rank of an archive image under the query of one round
   * (with that round's exclusions). Lets an evaluator measure Hits@K and BRI after the fact;
   * the round itself never knew which image was wanted.
   */
  rankOf(sessionId: string, round: number, imageId: string): Promise<number>;
  ingest(request: IngestRequest, options?: IngestOptions): Promise<IngestReport>;
  close(): Promise<void>;
}
