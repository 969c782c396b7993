import { describe, expect, it } from 'vitest';
import { RedisLock } from '../../../core/adapters/redis/redis-lock.js';
import { RedisSessionStore } from '../../../core/adapters/redis/redis-session-store.js';
import { startSessionSchema } from '../../../core/session/requests.js';
import { newSession } from '../../../core/session/new-session.js';
import { useTestRedis } from './redis-fixture.js';

const { redis, keys } = useTestRedis();
const store = () => new RedisSessionStore({ redis: redis(), keys, ttlSeconds: 120 });
const session = () => newSession(startSessionSchema.parse({ archive: 'a', seed: 3 }));

describe('RedisSessionStore', () => {
  it('stores sessions as the file store would, each expiring ttlSeconds after its last change', async () => {
    const s = session();
    expect(await store().get(s.id)).toBeUndefined();
    await store().put(s);
    expect(await store().get(s.id)).toEqual(s);
    const ttl = await redis().ttl(keys.session(s.id));
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    await expect(store().get('../etc')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('commits only under the current lock, and remembers which job made the change', async () => {
    const s = session();
    await store().put(s);
    const lockKey = keys.sessionLock(s.id);
    const first = (await RedisLock.tryAcquire(redis(), lockKey, 'job-1', 10_000)) as RedisLock;
    const changed = { ...s, status: 'ended' as const };
    await store().commit(changed, first, { jobId: 'job-1', mark: '0' });
    expect(await store().get(s.id)).toEqual(changed);
    expect(await store().jobMark(s.id, 'job-1')).toBe('0');
    expect(await store().jobMark(s.id, 'job-2')).toBeUndefined();

    // A later attempt of the job takes the lock over: the earlier attempt can no longer write.
    const retry = (await RedisLock.tryAcquire(redis(), lockKey, 'job-1', 10_000)) as RedisLock;
    await expect(store().commit(s, first, { jobId: 'job-1', mark: '1' })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await store().get(s.id)).toEqual(changed);
    expect(await store().jobMark(s.id, 'job-1')).toBe('0');
    await retry.release();
    await first.release();
  });
});
