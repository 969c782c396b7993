import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueEngine } from '../../core/adapters/redis/queue-engine.js';
import { createQueueEngine } from '../../core/runtime/create-queue-engine.js';
import { loadConfig } from '../../core/config/config.js';
import { stagingFolder } from '../../core/ingest/ingest-access.js';
import { createRuntime } from '../../core/runtime/runtime.js';
import type { Engine, RoundProgress } from '../../core/ports/engine.js';
import { STRATEGY_NAMES, type Round } from '../../core/session/session.js';
import { engineContract } from '../engine/engine-contract.js';
import { buildTestWorld } from '../engine/test-world.js';
import { completedJobs, deleteKeys, TEST_REDIS_URL, uniquePrefix } from './redis-harness.js';
import { WorkerChild } from '../../workers/worker-child.js';

const ARCHIVE = 'contract';
const SESSION_TTL = 600;
let root: string;
const prefix = uniquePrefix();
let workers: WorkerChild[] = [];
let engine: Engine;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-queue-'));
  await buildTestWorld(root, ARCHIVE);
  const env = { MIRAGE_SESSION_TTL: String(SESSION_TTL) };
  workers = await Promise.all([0, 1].map(() => WorkerChild.start({ redisUrl: TEST_REDIS_URL, prefix, dataDir: root, env })));
  engine = createQueueEngine({ redisUrl: TEST_REDIS_URL, prefix, sessionTtlSeconds: SESSION_TTL });
});

afterAll(async () => {
  await engine?.close();
  const exits = await Promise.all(workers.map((w) => w.stop()));
  await deleteKeys(TEST_REDIS_URL, prefix);
  await rm(root, { recursive: true, force: true });
  // SIGTERM lets a worker finish its jobs and exit cleanly.
  expect(exits).toEqual(workers.map(() => 0));
});

engineContract('queue-backed, two worker processes', {
  setUp: async () => ({ engine, archive: ARCHIVE, archiveSize: 200, stagingDir: stagingFolder(root) }),
  tearDown: async () => undefined,
});

describe('QueueEngine', () => {
  it('is what createRuntime returns when REDIS_URL is set, and gives the same hits as the in-process engine for the same seed', async () => {
    const config = (redisUrl?: string) =>
      loadConfig({ MIRAGE_DATA_DIR: root, MIRAGE_REDIS_PREFIX: prefix, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) });
    const queued = createRuntime(config(TEST_REDIS_URL)).engine;
    const local = createRuntime(config()).engine;
    try {
      expect(queued).toBeInstanceOf(QueueEngine);
      for (const strategy of STRATEGY_NAMES) {
        const rounds = await Promise.all(
          [queued, local].map(async (e: Engine) => {
            const session = await e.startSession({ archive: ARCHIVE, strategy, seed: 99 });
            const first = await e.runRound(session.id, { query: 'a yellow house under a cloud' });
            return [first, await e.runRound(session.id, { query: 'a small yellow house', notThese: [first.hits[0]?.id as string] })];
          }),
        );
        const [viaQueue, inProcess] = rounds as [Round[], Round[]];
        expect(viaQueue.map((r) => r.hits)).toEqual(inProcess.map((r) => r.hits));
        expect(viaQueue.map((r) => r.queryVector)).toEqual(inProcess.map((r) => r.queryVector));
        expect(viaQueue.map((r) => r.feedback.kind)).toEqual(inProcess.map((r) => r.feedback.kind));
        // Synthetic images are named after their session; their seeds and bytes are the same.
        for (const [i, round] of viaQueue.entries()) {
          const other = inProcess[i] as Round;
          if (round.feedback.kind !== 'synthetic' || other.feedback.kind !== 'synthetic') continue;
          const [mine, theirs] = [round.feedback.images[0], other.feedback.images[0]];
          expect(mine?.seed).toBe(theirs?.seed);
          const [a, b] = await Promise.all([
            queued.getImage({ kind: 'synthetic', id: mine?.id as string }),
            local.getImage({ kind: 'synthetic', id: theirs?.id as string }),
          ]);
          expect(a.bytes.equals(b.bytes)).toBe(true);
        }
      }
    } finally {
      await Promise.all([queued.close(), local.close()]);
    }
  });

  it('tells a round its place in the queue, besides the stages a worker reports', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'generative', seed: 12 });
    const seen: RoundProgress[] = [];
    await engine.runRound(session.id, { query: 'a blue boat on the water' }, { onProgress: (p) => seen.push(p) });
    const queued = seen.filter((p) => p.stage === 'queued');
    expect(queued).toHaveLength(1);
    expect(queued[0]?.position).toBeGreaterThanOrEqual(1);
    expect(seen.map((p) => p.stage)).toEqual(expect.arrayContaining(['generate', 'search', 'feedback']));
  });

  it('keeps sessions and synthetic images in Redis with a TTL, so nothing grows without bound', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'generative', seed: 8 });
    const round = await engine.runRound(session.id, { query: 'a red kite in the sky' });
    const synthetic = round.feedback.kind === 'synthetic' ? round.feedback.images[0]?.id : undefined;
    await engine.getImage({ kind: 'synthetic', id: synthetic as string }, 'thumb');
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const ttls = await Promise.all(
        [`session:${session.id}`, `session-jobs:${session.id}`, `blob:${synthetic}`, `blob:${synthetic}.thumb`].map((k) => redis.ttl(`${prefix}:${k}`)),
      );
      for (const ttl of ttls) expect(ttl).toBeGreaterThan(0);
      expect(ttls[0]).toBeLessThanOrEqual(SESSION_TTL);
      // Archive images reach the caller through a short-lived key that the caller deletes.
      await engine.getImage({ kind: 'archive', archive: ARCHIVE, id: round.hits[0]?.id as string });
      expect(await redis.keys(`${prefix}:blob:transfer-*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('runs 200 concurrent sessions x 5 rounds on two workers with no lost, duplicated or mixed-up rounds', async () => {
    const sessions = 200;
    const roundsEach = 5;
    // 20 descriptions, in a different order for each session (the Scenes text embedder is slow
    // on a description it has not seen, and the point here is the queue, not the embedder).
    const pool = ['red', 'blue', 'green', 'white', 'black'].flatMap((c) => ['car', 'boat', 'house', 'tree'].map((t) => `a ${c} ${t} at night`));
    const query = (s: number, r: number) => pool[(s + r * (1 + Math.floor(s / pool.length))) % pool.length] as string;
    expect(new Set(Array.from({ length: sessions }, (_, s) => [0, 1, 2, 3, 4].map((r) => query(s, r)).join('|'))).size).toBeGreaterThan(sessions / 2);
    const results = await Promise.all(
      Array.from({ length: sessions }, async (_, s) => {
        const session = await engine.startSession({ archive: ARCHIVE, strategy: STRATEGY_NAMES[s % STRATEGY_NAMES.length], k: 5, seed: s });
        const returned: Round[] = [];
        for (let r = 0; r < roundsEach; r++) returned.push(await engine.runRound(session.id, { query: query(s, r) }));
        return { id: session.id, returned, stored: await engine.getSession(session.id) };
      }),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(sessions);
    for (const [s, { returned, stored }] of results.entries()) {
      expect(returned.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
      expect(returned.map((r) => r.query)).toEqual(Array.from({ length: roundsEach }, (_, r) => query(s, r)));
      expect(stored.rounds.map((r) => r.query)).toEqual(Array.from({ length: roundsEach }, (_, r) => query(s, r)));
      // What each caller got is exactly what was stored for its session.
      expect(stored.rounds.map((r) => r.createdAt)).toEqual(returned.map((r) => r.createdAt));
    }
    // Counted from Redis, where a job is marked completed before its caller hears of it: exactly one
    // completed round job per round, none lost or run twice.
    const ours = new Set(results.map((r) => r.id));
    const rounds = (await completedJobs(TEST_REDIS_URL, prefix, 'models')).filter(
      (job) => job.name === 'round' && ours.has((job.data as { sessionId: string }).sessionId),
    );
    expect(rounds).toHaveLength(sessions * roundsEach);
    const done = workers.map((w) => rounds.filter((job) => job.processedBy === w.name).length);
    expect(done.reduce((a, b) => a + b, 0)).toBe(sessions * roundsEach);
    // Both workers took a share.
    for (const n of done) expect(n).toBeGreaterThan(0);
  }, 120_000);
});
