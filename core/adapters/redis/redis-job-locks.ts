import type { Redis } from 'ioredis';
import type { HeldLock, JobLocks, LockName, LockTiming } from '../../ports/worker-stores.js';
import { RedisLock } from './redis-lock.js';
import type { RedisKeys } from './redis-keys.js';

/** The locks of jobs, in Redis, so that they hold across every worker process and machine. */
export class RedisJobLocks implements JobLocks {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  acquire(name: LockName, owner: string, timing: LockTiming, signal?: AbortSignal): Promise<HeldLock> {
    return RedisLock.acquire(this.redis, this.key(name), owner, timing, describe(name), signal);
  }

  tryAcquire(name: LockName, owner: string, ttlMs: number): Promise<HeldLock | undefined> {
    return RedisLock.tryAcquire(this.redis, this.key(name), owner, ttlMs);
  }

  private key(name: LockName): string {
    return 'session' in name ? this.keys.sessionLock(name.session) : this.keys.archiveWriterLock(name.archiveWriter);
  }
}

const describe = (name: LockName): string => ('session' in name ? `Session "${name.session}"` : `Archive "${name.archiveWriter}"`);
