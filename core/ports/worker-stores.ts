import type { EncodedImage } from '../images/raw-image.js';
import type { Session } from '../session/session.js';
import type { BlobStore } from './blob-store.js';
import type { SessionStore } from './session-store.js';

/**
 * A lock held by one job, shared by every worker process. `token` is the fencing token: writes
 * guarded by the lock check it, so an attempt whose lock was taken over can no longer write.
 */
export interface HeldLock {
  readonly key: string;
  readonly token: string;
  /** True once the lock was found gone or taken over; guarded writes will then fail. */
  readonly lost: boolean;
  /** Asks the lock's store now; throws TIMEOUT (retryable) when the lock is gone or taken over. */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

export type LockName = { readonly session: string } | { readonly archiveWriter: string };

export interface LockTiming {
  /** Expiry of an unrenewed lock: how long a crashed holder blocks others. */
  readonly ttlMs: number;
  /** How long acquire() waits for a busy lock before failing with TIMEOUT. */
  readonly waitMs: number;
}

/**
 * Locks owned by jobs. `owner` is the job's id: a lock left behind by an earlier attempt of the
 * same job (its worker died) is taken over at once instead of waiting for it to expire.
 */
export interface JobLocks {
  /** Waits for the lock; TIMEOUT after timing.waitMs. */
  acquire(name: LockName, owner: string, timing: LockTiming, signal?: AbortSignal): Promise<HeldLock>;
  /** The lock, or undefined when another job holds it. */
  tryAcquire(name: LockName, owner: string, ttlMs: number): Promise<HeldLock | undefined>;
}

/** Sessions as workers change them: under a lock, with a mark of which job did what. */
export interface JobSessionStore extends SessionStore {
  /**
   * Stores a change made under the session's lock and, with `done`, marks the job that made it
   * (read back by jobMark). Throws TIMEOUT (a retryable failure) when the lock was lost.
   */
  commit(session: Session, lock: HeldLock, done?: { readonly jobId: string; readonly mark: string }): Promise<void>;
  /** What a job already committed to the session (its mark), if it did. */
  jobMark(sessionId: string, jobId: string): Promise<string | undefined>;
}

/** A blob store whose entries expire; an expired image reads as undefined. */
export interface ExpiringBlobStore extends BlobStore {
  put(id: string, image: EncodedImage, ttlSeconds?: number): Promise<void>;
}
