import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Job, Queue, Worker } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobClient } from '../../core/adapters/redis/job-client.js';
import type { Engine } from '../../core/ports/engine.js';
import { createQueueEngine } from '../../core/runtime/create-queue-engine.js';
import { loadConfig } from '../../core/config/config.js';
import { createModelRegistry } from '../../core/runtime/create-model-registry.js';
import { decodeImage } from '../../core/images/decode.js';
import { encodeImage } from '../../core/images/encode.js';
import type { RawImage } from '../../core/images/raw-image.js';
import { decodeVector } from '../../core/vectors/vector-codec.js';
import { MirageError } from '../../core/errors.js';
import type { ModelCatalog } from '../../core/ports/model-bundle.js';
import { createProcessor } from '../../core/adapters/redis/job-server.js';
import { dispatchJobs } from '../../workers/job-handlers.js';
import { roundJob } from '../../workers/handlers/round-job.js';
import { buildTestWorld } from '../engine/test-world.js';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../queue/redis-harness.js';
import { workerContext } from './worker-context-fixture.js';

const ARCHIVE = 'jobs';
const prefix = uniquePrefix();
let root: string;
let ctx: ReturnType<typeof workerContext>;
let workers: Worker[];
let engine: Engine;
let models: Queue;
/** Model failures still to inject: each bundleFor call takes one, while any are left. */
let failuresLeft = 0;
let bundleCalls = 0;

const flaky = (real: ModelCatalog): ModelCatalog => ({
  bundleFor: async (id) => {
    bundleCalls++;
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new MirageError('MODEL_ERROR', 'The GPU ran out of memory.');
    }
    return real.bundleFor(id);
  },
});

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-jobs-'));
  await buildTestWorld(root, ARCHIVE, 100);
  ctx = workerContext(root, prefix, { models: flaky });
  const processor = createProcessor(dispatchJobs(ctx), pino({ level: 'silent' }));
  workers = ['models', 'lookups'].map((q) => new Worker(q, processor, { connection: { url: TEST_REDIS_URL }, prefix }));
  engine = createQueueEngine({
    redisUrl: TEST_REDIS_URL,
    prefix,
    sessionTtlSeconds: 600,
    retry: { models: { attempts: 3, backoffMs: 20 }, lookups: { attempts: 3, backoffMs: 20 } },
  });
  models = new Queue('models', { connection: { url: TEST_REDIS_URL }, prefix });
});

afterAll(async () => {
  await engine?.close();
  await Promise.all(workers.map((w) => w.close()));
  await models?.close();
  ctx?.close();
  await deleteKeys(TEST_REDIS_URL, prefix);
  await rm(root, { recursive: true, force: true });
});

/** The latest round job of a session. */
async function lastRoundJob(sessionId: string): Promise<Job> {
  const jobs = await models.getJobs(['completed', 'failed']);
  const mine = jobs.filter((j) => j.name === 'round' && j.data.sessionId === sessionId).sort((a, b) => b.timestamp - a.timestamp);
  return mine[0] as Job;
}

describe('job processing', () => {
  it('retries a transient failure (a model error) with backoff until the round succeeds', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'text', seed: 1 });
    failuresLeft = 2;
    bundleCalls = 0;
    const round = await engine.runRound(session.id, { query: 'a red car' });
    expect(round.index).toBe(0);
    expect(bundleCalls).toBe(3);
    expect((await lastRoundJob(session.id)).attemptsMade).toBe(3);
  });

  it('gives up after the last attempt and hands the caller the error code and message', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'text', seed: 2 });
    failuresLeft = 10;
    await expect(engine.runRound(session.id, { query: 'a red car' })).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: 'The GPU ran out of memory.',
    });
    failuresLeft = 0;
    expect((await lastRoundJob(session.id)).attemptsMade).toBe(3);
    expect((await engine.getSession(session.id)).rounds).toHaveLength(0);
  });

  it('fails a permanent error (a session that ended) at once, without retries', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'text', seed: 3 });
    const round = await engine.runRound(session.id, { query: 'a red car' });
    await engine.selectResult(session.id, round.hits[0]?.id as string);
    await expect(engine.runRound(session.id, { query: 'a red car' })).rejects.toMatchObject({ code: 'SESSION_ENDED' });
    const job = await lastRoundJob(session.id);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^\[SESSION_ENDED\] /);
  });

  it('returns the saved round when a job is run again after its first attempt saved it', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'generative', seed: 4 });
    const run = {
      id: 'job-that-died-after-saving',
      data: { sessionId: session.id, request: { query: 'a white boat', closerTo: [], notThese: [] } },
      signal: new AbortController().signal,
      progress: () => undefined,
      retryLater: () => Promise.reject(new Error('not expected')),
    };
    const first = await roundJob(ctx, run);
    const again = await roundJob(ctx, run);
    expect(again).toEqual(first);
    const stored = await engine.getSession(session.id);
    expect(stored.rounds).toHaveLength(1);
    // A different request is a new round.
    expect((await roundJob(ctx, { ...run, id: 'another-job' })).index).toBe(1);
  });
});

describe('model jobs', () => {
  const client = () => {
    const redis = ctx.redis;
    return new JobClient({ redisUrl: TEST_REDIS_URL, keys: ctx.keys, redis, onError: () => undefined });
  };

  it('generate: renders on the worker, hands the images over as blobs, the same as the models in this process', async () => {
    const jobs = client();
    try {
      const generated = await jobs.call('generate', { embedder: 'scenes', text: 'a red car under a tree', seed: 9, n: 2 }, { timeoutMs: 30_000 });
      expect(generated).toHaveLength(2);
      const local = await (await createModelRegistry(loadConfig({})).bundleFor('scenes')).generator?.generate({ text: 'a red car under a tree', seed: 9, n: 2 });
      for (const [i, item] of generated.entries()) {
        const blob = await ctx.blobs.get(item.blob);
        const expected = await encodeImage(local?.[i]?.image as RawImage);
        expect(item.seed).toBe(local?.[i]?.seed);
        expect(blob?.bytes.equals(expected.bytes)).toBe(true);
      }
    } finally {
      await jobs.close();
    }
  });

  it('embed: texts and images, the same vectors as the models in this process', async () => {
    const jobs = client();
    try {
      const bundle = await createModelRegistry(loadConfig({})).bundleFor('scenes');
      const texts = ['a blue boat', 'a yellow house at night'];
      const viaQueue = (await jobs.call('embed', { embedder: 'scenes', texts }, { timeoutMs: 30_000 })).map(decodeVector);
      expect(viaQueue).toEqual(await bundle.textEmbedder?.embedTexts(texts));

      const png = await encodeImage({ data: new Uint8Array(32 * 32 * 3).map((_, i) => (i * 7) % 256), width: 32, height: 32 });
      await ctx.blobs.put('embed-input', png);
      const [vector] = (await jobs.call('embed', { embedder: 'scenes', images: ['embed-input'] }, { timeoutMs: 30_000 })).map(decodeVector);
      expect(vector).toEqual((await bundle.imageEmbedder.embedImages([await decodeImage(png.bytes)]))[0]);
    } finally {
      await jobs.close();
    }
  });

  it('reject bad requests at once with specific errors', async () => {
    const jobs = client();
    try {
      const call = (data: Parameters<typeof jobs.call<'embed'>>[1]) => jobs.call('embed', data, { timeoutMs: 30_000 });
      await expect(jobs.call('generate', { embedder: 'nope', text: 'a car', seed: 1 }, { timeoutMs: 30_000 })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
      await expect(call({ embedder: 'scenes', texts: ['a'], images: ['b'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(call({ embedder: 'scenes', images: ['never-stored'] })).rejects.toMatchObject({ code: 'UNKNOWN_IMAGE' });
    } finally {
      await jobs.close();
    }
  });
});
