import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../core/ports/engine.js';
import { createQueueEngine } from '../../core/runtime/create-queue-engine.js';
import { buildTestWorld } from '../engine/test-world.js';
import { PrivateRedis, uniquePrefix } from './redis-harness.js';
import { WorkerChild } from '../../workers/worker-child.js';

const ARCHIVE = 'restart';
const prefix = uniquePrefix();
let root: string;
let redis: PrivateRedis;
let worker: WorkerChild;
let engine: Engine;
const connectionErrors: Error[] = [];
let noticeDrop: () => void = () => undefined;
/** Resolves once the client has noticed the connection drop. */
const dropNoticed = new Promise<void>((resolve) => (noticeDrop = resolve));

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-restart-'));
  await buildTestWorld(path.join(root, 'data'), ARCHIVE);
  // Our own Redis, never the shared one: this test kills it.
  redis = await PrivateRedis.start(root);
  worker = await WorkerChild.start({ redisUrl: redis.url, prefix, dataDir: path.join(root, 'data') });
  engine = createQueueEngine({
    redisUrl: redis.url,
    prefix,
    sessionTtlSeconds: 600,
    onConnectionError: (e) => {
      connectionErrors.push(e);
      noticeDrop();
    },
  });
});

afterAll(async () => {
  await engine?.close();
  await worker?.stop();
  await redis?.kill();
  await rm(root, { recursive: true, force: true });
});

describe('a Redis restart while idle', () => {
  it('is survived by the worker and the client: both reconnect and the session goes on', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'generative', seed: 5 });
    const before = await engine.runRound(session.id, { query: 'a blue car at night' });

    await redis.kill();
    // The client and the worker both saw the connection drop (so this really tests their
    // reconnects) before Redis comes back: a busy worker that looked only after the restart
    // would reconnect without ever noticing.
    await dropNoticed;
    await worker.logged((l) => l.msg === 'redis connection trouble');
    await redis.restart();
    const after = await engine.runRound(session.id, { query: 'a blue car under a tree at night', notThese: [before.hits[0]?.id as string] });
    expect(after.index).toBe(1);
    expect((await engine.getSession(session.id)).rounds.map((r) => r.query)).toEqual([before.query, after.query]);
    const fresh = await engine.startSession({ archive: ARCHIVE, strategy: 'text', seed: 6 });
    expect((await engine.runRound(fresh.id, { query: 'a red boat' })).hits).toHaveLength(10);
    expect(connectionErrors.length).toBeGreaterThan(0);
    await worker.logged((l) => l.msg === 'job done' && l.job === 'round', 3);
  }, 60_000);
});
