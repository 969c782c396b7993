import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankInRound } from '../../core/engine/session-rules.js';
import { TRANSFER_TTL_SECONDS } from '../../core/ports/job-contract.js';
import { decodeVector } from '../../core/vectors/vector-codec.js';
import type { Session } from '../../core/session/session.js';
import { ingestJob } from '../../workers/handlers/ingest-job.js';
import { archivesJob, imageJob, rankJob, selectJob, startJob } from '../../workers/handlers/lookup-jobs.js';
import { embedJob, generateJob } from '../../workers/handlers/model-jobs.js';
import { roundJob } from '../../workers/handlers/round-job.js';
import { dispatchJobs } from '../../workers/job-handlers.js';
import { buildTestWorld } from '../engine/test-world.js';
import { fakeWorkerContext, jobRun, type FakeWorkerContext } from './fake-worker-context.js';

const ARCHIVE = 'handlers';
let root: string;
let ctx: FakeWorkerContext;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mirage-handlers-'));
  await buildTestWorld(root, ARCHIVE, 100);
  ctx = fakeWorkerContext(root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const start = (seed: number, strategy: 'generative' | 'text' = 'generative'): Promise<Session> =>
  startJob(ctx, jobRun<'start'>({ archive: ARCHIVE, strategy, seed }));

const round = (sessionId: string, query: string, id?: string) =>
  roundJob(ctx, jobRun<'round'>({ sessionId, request: { query, closerTo: [], notThese: [] } }, id ? { id } : {}));

describe('round job', () => {
  it('runs the round under the session lock, saves it with its mark, and releases the lock', async () => {
    const session = await start(1);
    const saved = await round(session.id, 'a red car under a tree');
    expect(saved.index).toBe(0);
    expect(saved.hits).toHaveLength(10);
    expect((await ctx.sessions.get(session.id))?.rounds).toEqual([saved]);
    expect(ctx.locks.held.size).toBe(0);
  });

  it('returns the saved round when an attempt runs again after an earlier one saved it', async () => {
    const session = await start(2);
    const first = await round(session.id, 'a white boat', 'job-retried');
    const again = await round(session.id, 'a white boat', 'job-retried');
    expect(again).toEqual(first);
    expect((await ctx.sessions.get(session.id))?.rounds).toHaveLength(1);
    expect((await round(session.id, 'a white boat', 'another-job')).index).toBe(1);
  });

  it('saves nothing when its lock was taken over while the round ran', async () => {
    const session = await start(3);
    const progress = () => ctx.locks.steal({ session: session.id });
    const run = jobRun<'round'>({ sessionId: session.id, request: { query: 'a dog on the grass', closerTo: [], notThese: [] } }, { progress });
    await expect(roundJob(ctx, run)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect((await ctx.sessions.get(session.id))?.rounds).toHaveLength(0);
    ctx.locks.held.clear();
  });

  it('refuses a session that has ended, and an unknown one', async () => {
    const session = await start(4);
    const first = await round(session.id, 'a yellow house');
    await selectJob(ctx, jobRun<'select'>({ sessionId: session.id, imageId: first.hits[0]?.id as string }));
    await expect(round(session.id, 'a yellow house')).rejects.toMatchObject({ code: 'SESSION_ENDED' });
    await expect(round('no-such-session', 'a yellow house')).rejects.toMatchObject({ code: 'UNKNOWN_SESSION' });
  });

  it('waits for nobody: a round of a session locked by another job fails as busy', async () => {
    const session = await start(5);
    ctx.locks.steal({ session: session.id });
    await expect(round(session.id, 'a cat')).rejects.toMatchObject({ code: 'TIMEOUT' });
    ctx.locks.held.clear();
  });
});

describe('lookup jobs', () => {
  it('start: records a new session, and refuses an unknown archive', async () => {
    const session = await start(6, 'text');
    expect(await ctx.sessions.get(session.id)).toEqual(session);
    await expect(startJob(ctx, jobRun<'start'>({ archive: 'nowhere', strategy: 'text' }))).rejects.toMatchObject({ code: 'UNKNOWN_ARCHIVE' });
  });

  it('select: ends the session once, even when the job runs twice', async () => {
    const session = await start(7);
    const hit = (await round(session.id, 'a blue kite')).hits[2]?.id as string;
    const run = jobRun<'select'>({ sessionId: session.id, imageId: hit });
    const selected = await selectJob(ctx, run);
    expect(selected).toMatchObject({ status: 'found', selected: { id: hit, round: 0 } });
    expect(await selectJob(ctx, run)).toEqual(selected);
    await expect(selectJob(ctx, jobRun<'select'>({ sessionId: session.id, imageId: 'not-in-archive' }))).rejects.toMatchObject({ code: 'SESSION_ENDED' });
  });

  it('image: hands the image over as a short-lived transfer blob', async () => {
    const id = (await ctx.archives.current(ARCHIVE)).records()[Symbol.iterator]().next().value?.id as string;
    const { blob } = await imageJob(ctx, jobRun<'image'>({ archive: ARCHIVE, id, size: 'thumb' }));
    expect(ctx.blobs.ttls.get(blob)).toBe(TRANSFER_TTL_SECONDS);
    const image = await ctx.blobs.get(blob);
    expect(Math.max(image?.width ?? 0, image?.height ?? 0)).toBe(96);
    await expect(imageJob(ctx, jobRun<'image'>({ archive: ARCHIVE, id: 'missing', size: 'full' }))).rejects.toMatchObject({ code: 'UNKNOWN_IMAGE' });
  });

  it('rank: the exact rank of an image under a round, as the session rules compute it', async () => {
    const session = await start(8);
    const saved = await round(session.id, 'two red balloons at night');
    const target = saved.hits[4]?.id as string;
    const rank = await rankJob(ctx, jobRun<'rank'>({ sessionId: session.id, round: 0, imageId: target }));
    const stored = (await ctx.sessions.get(session.id)) as Session;
    expect(rank).toBe(rankInRound(stored, await ctx.archives.current(ARCHIVE), 0, target));
    expect(rank).toBeLessThanOrEqual(4);
  });

  it('archives: lists the manifests', async () => {
    expect((await archivesJob(ctx, jobRun<'archives'>({}))).map((m) => m.name)).toEqual([ARCHIVE]);
  });
});

describe('ingest job', () => {
  it('goes back to the queue while another job writes the archive, then ingests and releases the writer lock', async () => {
    ctx.locks.steal({ archiveWriter: ARCHIVE });
    const busy = jobRun<'ingest'>({ archive: ARCHIVE, source: '/photos' });
    await expect(ingestJob(ctx, busy)).rejects.toThrow('put back in the queue');
    expect(busy.delays).toEqual([1234]);
    expect(ctx.ingested).toEqual([]);
    ctx.locks.held.clear();

    const report = await ingestJob(ctx, jobRun<'ingest'>({ archive: ARCHIVE, source: '/photos' }));
    expect(report.archive).toBe(ARCHIVE);
    expect(ctx.ingested).toEqual([{ archive: ARCHIVE, source: '/photos' }]);
    expect(ctx.locks.held.size).toBe(0);
  });
});

describe('model jobs', () => {
  it('generate: stores each rendering as a blob; embed: embeds texts and stored images', async () => {
    const generated = await generateJob(ctx, jobRun<'generate'>({ embedder: 'scenes', text: 'a green tent on the sand', seed: 3, n: 2 }));
    expect(generated.map((g) => g.seed)).toHaveLength(2);
    const vectors = await embedJob(ctx, jobRun<'embed'>({ embedder: 'scenes', images: generated.map((g) => g.blob) }));
    expect(vectors.map((v) => decodeVector(v).length)).toEqual([446, 446]);
    const texts = await embedJob(ctx, jobRun<'embed'>({ embedder: 'scenes', texts: ['a green tent'] }));
    expect(texts).toHaveLength(1);
    await expect(embedJob(ctx, jobRun<'embed'>({ embedder: 'scenes', images: ['gone'] }))).rejects.toMatchObject({ code: 'UNKNOWN_IMAGE' });
  });
});

describe('dispatchJobs', () => {
  it('runs each job with the handler of its name', async () => {
    const dispatch = dispatchJobs(ctx);
    expect((await dispatch('archives', jobRun<'archives'>({}))).map((m) => m.name)).toEqual([ARCHIVE]);
    const session = await dispatch('start', jobRun<'start'>({ archive: ARCHIVE, strategy: 'text', seed: 9 }));
    expect(session.strategy).toBe('text');
  });
});
