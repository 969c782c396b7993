import type { Redis } from 'ioredis';
import type { HeldLock, JobSessionStore } from '../../ports/worker-stores.js';
import type { Session } from '../../session/session.js';
import { MirageError } from '../../errors.js';
import { assertSafeId } from '../../fs/safe-names.js';
import { sessionFromJson, sessionToJson } from '../../session/session-json.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * Writes the session only while the caller's lock token is still the lock's value, and records
 * what the job did, in one step: a worker that lost its lock (taken over after it stalled)
 * cannot overwrite the session, and a job retried after a committed attempt finds its mark
 * instead of doing the change twice.
 */
const COMMIT = `
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return 1`;

export interface RedisSessionStoreOptions {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** Sessions expire this long after their last change (config.sessionTtlSeconds). */
  readonly ttlSeconds: number;
}

/**
 * Sessions as JSON strings in Redis (the same serialised form as the file store), each expiring
 * ttlSeconds after its last change, so any front end or worker can continue any session and
 * abandoned sessions go away on their own.
 */
export class RedisSessionStore implements JobSessionStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly ttlSeconds: number;

  constructor(options: RedisSessionStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.ttlSeconds = options.ttlSeconds;
  }

  async get(id: string): Promise<Session | undefined> {
    assertSafeId('Session id', id);
    const text = await this.redis.get(this.keys.session(id));
    return text === null ? undefined : sessionFromJson(text, id, `Stored session "${id}"`);
  }

  async put(session: Session): Promise<void> {
    await this.redis.set(this.keys.session(session.id), sessionToJson(session), 'EX', this.ttlSeconds);
  }

  async delete(id: string): Promise<void> {
    assertSafeId('Session id', id);
    await this.redis.del(this.keys.session(id), this.keys.sessionJobs(id));
  }

  async commit(session: Session, lock: HeldLock, done?: { readonly jobId: string; readonly mark: string }): Promise<void> {
    const written = await this.redis.eval(
      COMMIT,
      3,
      this.keys.session(session.id),
      this.keys.sessionJobs(session.id),
      lock.key,
      lock.token,
      sessionToJson(session),
      this.ttlSeconds,
      done?.jobId ?? '',
      done?.mark ?? '',
    );
    if (written !== 1) {
      throw new MirageError('TIMEOUT', `Session "${session.id}" was not saved: this worker lost its lock on it (it stalled for too long).`);
    }
  }

  async jobMark(sessionId: string, jobId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.sessionJobs(sessionId), jobId)) ?? undefined;
  }
}
