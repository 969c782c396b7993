import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RedisLock } from '../../../core/adapters/redis/redis-lock.js';
import { useTestRedis } from './redis-fixture.js';

const { redis, keys } = useTestRedis();

describe('RedisLock', () => {
  it('is held by one owner at a time and released only by its holder', async () => {
    const key = keys.sessionLock('one-owner');
    const first = await RedisLock.tryAcquire(redis(), key, 'job-1', 5000);
    expect(first).toBeDefined();
    expect(await RedisLock.tryAcquire(redis(), key, 'job-2', 5000)).toBeUndefined();
    expect(await redis().get(key)).toBe(first?.token);
    await first?.release();
    const second = await RedisLock.tryAcquire(redis(), key, 'job-2', 5000);
    expect(second).toBeDefined();
    // The first holder's release came before: releasing again must not free the new holder's lock.
    await first?.release();
    expect(await redis().get(key)).toBe(second?.token);
    await second?.release();
    expect(await redis().exists(key)).toBe(0);
  });

  it('is taken over at once by a later attempt of the same job, which fences off the earlier one', async () => {
    const key = keys.sessionLock('takeover');
    const dead = (await RedisLock.tryAcquire(redis(), key, 'job-7', 60_000)) as RedisLock;
    const retry = (await RedisLock.tryAcquire(redis(), key, 'job-7', 60_000)) as RedisLock;
    expect(retry.token).not.toBe(dead.token);
    expect(await redis().get(key)).toBe(retry.token);
    await sleep(60);
    await dead.release();
    expect(await redis().get(key)).toBe(retry.token);
    await retry.release();
  });

  it('waits for a busy lock, and fails with TIMEOUT when it stays busy too long', async () => {
    const key = keys.sessionLock('wait');
    const holder = (await RedisLock.tryAcquire(redis(), key, 'job-a', 5000)) as RedisLock;
    await expect(RedisLock.acquire(redis(), key, 'job-b', { ttlMs: 5000, waitMs: 150 }, 'Session "wait"')).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('Session "wait" is busy'),
    });
    const waiting = RedisLock.acquire(redis(), key, 'job-b', { ttlMs: 5000, waitMs: 5000 }, 'Session "wait"');
    await sleep(100);
    await holder.release();
    const next = await waiting;
    expect(await redis().get(key)).toBe(next.token);
    await next.release();
  });

  it('stays held past its TTL while renewed, and notices when it is lost', async () => {
    const key = keys.sessionLock('renew');
    const ttl = 1500;
    const lock = (await RedisLock.tryAcquire(redis(), key, 'job-r', ttl)) as RedisLock;
    // Renewed (the remaining time went back up) before it could expire, twice over its TTL.
    const started = Date.now();
    let last = await redis().pttl(key);
    let renewals = 0;
    while (Date.now() - started < 2 * ttl) {
      await sleep(50);
      const left = await redis().pttl(key);
      if (left > last) renewals++;
      last = left;
    }
    expect(renewals).toBeGreaterThan(0);
    expect(await redis().get(key)).toBe(lock.token);
    await expect(lock.assertHeld()).resolves.toBeUndefined();
    // Another process deletes it (as an expiry would): the next renewal notices, and so does the fence at once.
    await redis().del(key);
    await expect(lock.assertHeld()).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(lock.lost).toBe(true);
    await lock.release();
  });
});
