import { randomUUID } from 'node:crypto';
import { MemoryBlobStore } from '../../core/adapters/memory/memory-blob-store.js';
import { MemorySessionStore } from '../../core/adapters/memory/memory-session-store.js';
import { loadConfig } from '../../core/config/config.js';
import { MirageError } from '../../core/errors.js';
import type { EncodedImage } from '../../core/images/raw-image.js';
import type { ArchiveVersions } from '../../core/ports/archive-store.js';
import type { IngestHandler, IngestRequest } from '../../core/ports/ingestion.js';
import type { JobName, JobRun, JobTypes } from '../../core/ports/job-contract.js';
import type { ExpiringBlobStore, HeldLock, JobLocks, JobSessionStore, LockName } from '../../core/ports/worker-stores.js';
import { createRemoveHandler } from '../../core/ingest/remove-images.js';
import { createModelRegistry } from '../../core/runtime/create-model-registry.js';
import { createArchiveStore } from '../../core/runtime/runtime.js';
import type { Session } from '../../core/session/session.js';
import type { WorkerContext } from '../../workers/worker-context.js';
import { workerSettings } from '../../workers/worker-settings.js';

const lockKey = (name: LockName) => ('session' in name ? `session:${name.session}` : `writer:${name.archiveWriter}`);

/** Locks in a map: a held lock is refused to every other owner; `steal` simulates a takeover. */
export class FakeLocks implements JobLocks {
  readonly held = new Map<string, FakeLock>();

  async acquire(name: LockName, owner: string): Promise<HeldLock> {
    const lock = await this.tryAcquire(name, owner);
    if (!lock) throw new MirageError('TIMEOUT', `${lockKey(name)} is busy.`);
    return lock;
  }

  async tryAcquire(name: LockName, owner: string): Promise<HeldLock | undefined> {
    const key = lockKey(name);
    const current = this.held.get(key);
    if (current && !current.token.startsWith(`${owner}|`)) return undefined;
    const lock = new FakeLock(this, key, `${owner}|${randomUUID()}`);
    this.held.set(key, lock);
    return lock;
  }

  /** Another owner takes the lock over, as after the first one stalled. */
  steal(name: LockName): void {
    const key = lockKey(name);
    this.held.set(key, new FakeLock(this, key, `thief|${randomUUID()}`));
  }

  holds(lock: HeldLock): boolean {
    return this.held.get(lock.key)?.token === lock.token;
  }
}

class FakeLock implements HeldLock {
  constructor(
    private readonly locks: FakeLocks,
    readonly key: string,
    readonly token: string,
  ) {}

  get lost(): boolean {
    return !this.locks.holds(this);
  }

  async assertHeld(): Promise<void> {
    if (this.lost) throw new MirageError('TIMEOUT', `${this.key} was taken over.`);
  }

  async release(): Promise<void> {
    if (this.locks.holds(this)) this.locks.held.delete(this.key);
  }
}

/** Sessions in memory with fenced commits and job marks, as the Redis store keeps them. */
export class FakeSessions implements JobSessionStore {
  private readonly store = new MemorySessionStore();
  private readonly marks = new Map<string, string>();

  constructor(private readonly locks: FakeLocks) {}

  get(id: string): Promise<Session | undefined> {
    return this.store.get(id);
  }

  put(session: Session): Promise<void> {
    return this.store.put(session);
  }

  async commit(session: Session, lock: HeldLock, done?: { jobId: string; mark: string }): Promise<void> {
    if (!this.locks.holds(lock)) throw new MirageError('TIMEOUT', `Session "${session.id}" was not saved: the lock was lost.`);
    await this.store.put(session);
    if (done) this.marks.set(`${session.id}/${done.jobId}`, done.mark);
  }

  delete(id: string): Promise<void> {
    return this.store.delete(id);
  }

  async jobMark(sessionId: string, jobId: string): Promise<string | undefined> {
    return this.marks.get(`${sessionId}/${jobId}`);
  }
}

/** Blobs in memory that remember the lifetime each was put with. */
export class FakeBlobs implements ExpiringBlobStore {
  private readonly store = new MemoryBlobStore();
  readonly ttls = new Map<string, number | undefined>();

  async put(id: string, image: EncodedImage, ttlSeconds?: number): Promise<void> {
    this.ttls.set(id, ttlSeconds);
    await this.store.put(id, image);
  }

  get(id: string): Promise<EncodedImage | undefined> {
    return this.store.get(id);
  }

  delete(id: string): Promise<void> {
    return this.store.delete(id);
  }
}

export interface FakeWorkerContext extends WorkerContext {
  readonly locks: FakeLocks;
  readonly sessions: FakeSessions;
  readonly blobs: FakeBlobs;
  /** Ingest requests handed to the ingest service. */
  readonly ingested: IngestRequest[];
}

/**
 * A worker's context with everything but the archives and models in memory: no Redis, no
 * queue. The archives are real files in `dataDir` (a test world), the models the Scenes bundle.
 */
export function fakeWorkerContext(dataDir: string): FakeWorkerContext {
  const store = createArchiveStore({ dataDir });
  const archives: ArchiveVersions = { list: () => store.list(), current: (name) => store.open(name) };
  const locks = new FakeLocks();
  const ingested: IngestRequest[] = [];
  const ingest: IngestHandler = async (request) => {
    ingested.push(request);
    return { archive: request.archive, added: 0, duplicates: 0, skipped: [], total: 0 };
  };
  return {
    archives,
    models: createModelRegistry(loadConfig({})),
    sessions: new FakeSessions(locks),
    blobs: new FakeBlobs(),
    locks,
    ingest,
    remove: createRemoveHandler(store),
    settings: workerSettings({ writerBusyDelayMs: 1234 }),
    ingested,
  };
}

/** One attempt at a job, as the queue would hand it to a handler. */
export function jobRun<N extends JobName>(data: JobTypes[N]['data'], overrides: Partial<JobRun<N>> = {}): JobRun<N> & { readonly delays: number[] } {
  const delays: number[] = [];
  return {
    id: `job-${randomUUID()}`,
    data,
    signal: new AbortController().signal,
    progress: () => undefined,
    retryLater: async (ms) => {
      delays.push(ms);
      throw new Error('put back in the queue');
    },
    delays,
    ...overrides,
  };
}
