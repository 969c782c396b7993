import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../core/ports/engine.js';
import { createQueueEngine } from '../../core/runtime/create-queue-engine.js';
import { buildTestWorld } from '../engine/test-world.js';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from './redis-harness.js';
import { WorkerChild } from '../../workers/worker-child.js';

const ARCHIVE = 'crash';
/** Every round waits this long before saving (MIRAGE_TEST_ROUND_DELAY_MS): time to kill its worker. */
const ROUND_DELAY_MS = 2000;
const prefix = uniquePrefix();
let root: string;
let workers: WorkerChild[] = [];
let engine: Engine;
let models: Queue;

/** The round job that is running now, and the worker running it. */
async function activeRound(): Promise<{ job: Job; worker: WorkerChild }> {
  for (let i = 0; i < 400; i++) {
    const [job] = await models.getActive();
    const worker = workers.find((w) => w.name === job?.processedBy);
    if (job && worker) return { job, worker };
    await sleep(25);
  }
  throw new Error('No round became active.');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-crash-'));
  await buildTestWorld(root, ARCHIVE);
  // A short job lock, so a dead worker's round is taken over within seconds.
  const options = {
    redisUrl: TEST_REDIS_URL,
    prefix,
    dataDir: root,
    args: ['--lock-duration', '3000', '--stalled-interval', '1000'],
    env: { MIRAGE_TEST_ROUND_DELAY_MS: String(ROUND_DELAY_MS) },
  };
  workers = await Promise.all([0, 1].map(() => WorkerChild.start(options)));
  engine = createQueueEngine({ redisUrl: TEST_REDIS_URL, prefix, sessionTtlSeconds: 600 });
  models = new Queue('models', { connection: { url: TEST_REDIS_URL }, prefix });
});

afterAll(async () => {
  await engine?.close();
  await models?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await deleteKeys(TEST_REDIS_URL, prefix);
  await rm(root, { recursive: true, force: true });
});

describe('worker failures', () => {
  it('finishes a round on another worker when its worker is killed mid-round; the caller gets exactly one result', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'generative', seed: 21 });
    const results: unknown[] = [];
    const pending = engine.runRound(session.id, { query: 'a white house under a tree' }).then((round) => {
      results.push(round);
      return round;
    });
    const { job, worker: victim } = await activeRound();
    victim.kill('SIGKILL');
    expect(await victim.waitForExit()).toBe(null);

    const round = await pending;
    const survivor = workers.find((w) => w !== victim) as WorkerChild;
    expect(round.index).toBe(0);
    expect(round.query).toBe('a white house under a tree');
    const finished = await Job.fromId(models, job.id as string);
    expect(finished?.processedBy).toBe(survivor.name);
    // Exactly one round was saved, and it is the one the caller got.
    const stored = await engine.getSession(session.id);
    expect(stored.rounds).toHaveLength(1);
    expect(stored.rounds[0]?.createdAt).toBe(round.createdAt);
    await sleep(500);
    expect(results).toHaveLength(1);

    // The session goes on, served by the survivor.
    workers = [survivor];
    expect((await engine.runRound(session.id, { query: 'a white house' })).index).toBe(1);
  }, 60_000);

  it('stops a running round when the caller aborts, and saves nothing', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'text', seed: 22 });
    const controller = new AbortController();
    const pending = engine.runRound(session.id, { query: 'a red boat' }, { signal: controller.signal });
    const { job, worker } = await activeRound();
    controller.abort(new DOMException('the user gave up', 'AbortError'));
    await expect(pending).rejects.toThrow('the user gave up');
    for (let i = 0; i < 200 && !(await job.isFailed()); i++) await sleep(25);
    expect((await Job.fromId(models, job.id as string))?.failedReason).toMatch(/^\[CANCELLED\]/);
    await worker.logged((l) => l.msg === 'job cancelled' && l.jobId === job.id);
    expect((await engine.getSession(session.id)).rounds).toHaveLength(0);
  }, 30_000);

  it('lets the running round finish on SIGTERM before the worker exits', async () => {
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'text', seed: 23 });
    const pending = engine.runRound(session.id, { query: 'a green tree' });
    const { job, worker } = await activeRound();
    const exit = worker.stop();
    const round = await pending;
    expect(await exit).toBe(0);
    expect(worker.jobsDone('round').map((l) => l.jobId)).toContain(job.id);
    expect(round.index).toBe(0);
    expect((await engine.getSession(session.id)).rounds).toHaveLength(1);
  }, 30_000);

  it('hands a round still running after the shutdown grace period back to the queue, and exits', async () => {
    // A worker whose rounds would take ten minutes, with 100 ms of grace on SIGTERM.
    const slow = await WorkerChild.start({
      redisUrl: TEST_REDIS_URL,
      prefix,
      dataDir: root,
      args: ['--shutdown-grace', '100'],
      env: { MIRAGE_TEST_ROUND_DELAY_MS: '600000' },
    });
    workers = [slow];
    const session = await engine.startSession({ archive: ARCHIVE, strategy: 'text', seed: 24 });
    const pending = engine.runRound(session.id, { query: 'a yellow kite' });
    const { job } = await activeRound();
    const fresh = await WorkerChild.start({ redisUrl: TEST_REDIS_URL, prefix, dataDir: root });
    workers = [slow, fresh];
    // The slow worker exits by itself, cleanly, without finishing the round.
    expect(await slow.stop()).toBe(0);
    expect(slow.logs.some((l) => l.msg === 'job handed back to the queue: the worker is shutting down' && l.jobId === job.id)).toBe(true);
    const round = await pending;
    expect(round.index).toBe(0);
    const finished = await Job.fromId(models, job.id as string);
    expect(finished?.processedBy).toBe(fresh.name);
    expect(finished?.failedReason ?? '').toBe('');
    expect((await engine.getSession(session.id)).rounds.map((r) => r.createdAt)).toEqual([round.createdAt]);
    expect(await fresh.stop()).toBe(0);
  }, 60_000);
});
