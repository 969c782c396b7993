import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type MirageConfig } from '../../core/config/config.js';
import { readPackageVersions } from '../../core/eval/artifacts/package-versions.js';
import { evalResults } from '../../core/eval/artifacts/results.js';
import { evalConfigSchema } from '../../core/eval/eval-config.js';
import { runEvaluation, type EvalOutcome } from '../../core/eval/eval-runner.js';
import type { EpisodeObservation } from '../../core/eval/episode-options.js';
import type { EpisodeRecord } from '../../core/eval/episode-record.js';
import { RunFolder } from '../../core/eval/run-folder.js';
import { createSearcher } from '../../core/eval/searcher-factory.js';
import { createEpisodeThreads } from '../../core/runtime/episode-threads.js';
import { createRuntime, type Runtime } from '../../core/runtime/runtime.js';
import { SCENES_EMBEDDER_ID } from '../../core/scenes/scenes-bundle.js';
import { buildWorld } from '../../core/scenes/world-builder.js';
import { STRATEGY_NAMES } from '../../core/session/session.js';

const ARCHIVE = 'parallel-world';
/** The five strategies and two arms that need something else of the worker: the oracle text tower, four samples. */
const ARMS = [...STRATEGY_NAMES, 'text-oracle', 'generative-n4'];
const config = evalConfigSchema.parse({ archive: ARCHIVE, strategies: ARMS, targets: 4, rounds: 3, concurrency: 2, seed: 11 });

let root: string;
let mirageConfig: MirageConfig;
let runtime: Runtime;
let archiveIds: string[];

/**
 * What a run decides, without the wall times and the session ids that differ between any two
 * runs (synthetic image ids start with their session's id).
 */
const decided = (e: EpisodeRecord) => ({
  strategy: e.strategy,
  target: e.targetId,
  usage: e.searcherUsage,
  rounds: e.rounds.map((r) => ({
    round: r.round,
    query: r.query,
    rank: r.rank,
    hits: r.hits,
    feedback: JSON.parse(JSON.stringify(r.feedback).replaceAll(e.sessionId, '<session>')) as unknown,
  })),
});

/** What an observer saw of a round, images as hashes of their bytes. */
const seen = (o: EpisodeObservation) => ({
  strategy: o.strategy,
  target: o.target.id,
  targetImage: hash(o.target.image.bytes),
  round: o.round.index,
  query: o.round.query,
  rank: o.rank,
  hits: o.round.hits.map((h) => [h.id, h.score]),
  synthetic: o.shown.synthetic.map((s) => hash(s.image.bytes)),
  top1: o.shown.top1 ? hash(o.shown.top1.image.bytes) : undefined,
  buffers: Buffer.isBuffer(o.target.image.bytes) && o.shown.synthetic.every((s) => Buffer.isBuffer(s.image.bytes)),
});
const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

type Seen = ReturnType<typeof seen>;

async function run(threads: number, out: string, onSeen: (o: Seen) => void, signal?: AbortSignal): Promise<EvalOutcome> {
  const archive = await runtime.archives.open(ARCHIVE);
  const searcher = await createSearcher({ kind: 'scripted' }, archive);
  const player = createEpisodeThreads({ config: mirageConfig, searcher: { kind: 'scripted' }, archive: ARCHIVE, threads, perThread: config.concurrency });
  try {
    return await runEvaluation({
      engine: runtime.engine,
      oracleEngine: runtime.textOracle().engine,
      searcher,
      config,
      archiveIds,
      folder: new RunFolder(join(root, out)),
      observe: async (o) => onSeen(seen(o)),
      ...(player ? { player } : {}),
      ...(signal ? { signal } : {}),
    });
  } finally {
    await player?.close();
  }
}

const byEpisodeAndRound = (list: Seen[]) =>
  [...list].sort((a, b) => `${a.strategy}/${a.target}/${a.round}`.localeCompare(`${b.strategy}/${b.target}/${b.round}`));

let single: EvalOutcome;
let parallel: EvalOutcome;
let resumed: EvalOutcome;
let interrupted: EvalOutcome;
let afterInterrupt: EvalOutcome;
const singleSeen: Seen[] = [];
const parallelSeen: Seen[] = [];
const resumedSeen: Seen[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mirage-parallel-eval-'));
  mirageConfig = loadConfig({}, { dataDir: join(root, 'data') });
  runtime = createRuntime(mirageConfig, { ephemeralSessions: true });
  const { imageEmbedder } = await runtime.models.bundleFor(SCENES_EMBEDDER_ID);
  await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name: ARCHIVE, size: 200, seed: 5 });
  archiveIds = [...(await runtime.archives.open(ARCHIVE)).records()].map((r) => r.id);
  single = await run(1, 'threads-1', (o) => singleSeen.push(o));
  parallel = await run(2, 'threads-2', (o) => parallelSeen.push(o));
  // A run killed after its first seven episodes, resumed on two threads.
  const partial = join(root, 'resumed');
  await mkdir(partial, { recursive: true });
  for (const e of single.episodes.slice(0, 7)) await appendFile(join(partial, 'episodes.jsonl'), JSON.stringify(e) + '\n');
  resumed = await run(2, 'resumed', (o) => resumedSeen.push(o));
  // Ctrl-C in the middle of a threaded run, then the same command again.
  const controller = new AbortController();
  let rounds = 0;
  interrupted = await run(2, 'interrupted', () => ++rounds === 30 && controller.abort(), controller.signal);
  afterInterrupt = await run(2, 'interrupted', () => undefined);
}, 180_000);

afterAll(async () => {
  await runtime?.engine.close();
  await rm(root, { recursive: true, force: true });
});

describe('evaluation on worker threads', () => {
  it('plays every episode, in the same order of results', () => {
    expect(single.complete).toBe(true);
    expect(parallel.complete).toBe(true);
    expect(parallel.episodes).toHaveLength(config.targets * ARMS.length);
    expect(parallel.targets).toEqual(single.targets);
  });

  it('gives exactly the single-threaded ranks, queries, hits and feedback for every target and round', () => {
    expect(parallel.episodes.map(decided)).toEqual(single.episodes.map(decided));
    // The runs are not trivially alike: targets are found at different ranks, and the oracle
    // tower ranks differently from the default one, so a worker ignoring the arm would show.
    expect(new Set(single.episodes.flatMap((e) => e.rounds.map((r) => r.rank))).size).toBeGreaterThan(3);
    const ranksOf = (arm: string) => single.episodes.filter((e) => e.strategy === arm).map((e) => e.rounds.map((r) => r.rank));
    expect(ranksOf('text-oracle')).not.toEqual(ranksOf('text'));
  });

  it('gives exactly the single-threaded metrics', async () => {
    const versions = await readPackageVersions();
    const results = (outcome: EvalOutcome) => evalResults({ config, searcherId: 'scripted', targets: outcome.targets, episodes: outcome.episodes, versions });
    expect(results(parallel).metrics).toEqual(results(single).metrics);
    expect(results(parallel).episodes).toEqual(results(single).episodes);
  });

  it('shows observers every round with the same images, as Buffers', () => {
    expect(parallelSeen).toHaveLength(config.targets * ARMS.length * (config.rounds + 1));
    expect(byEpisodeAndRound(parallelSeen)).toEqual(byEpisodeAndRound(singleSeen));
    expect(parallelSeen.every((o) => o.buffers)).toBe(true);
  });

  it('resumes a killed run on threads, playing only the missing episodes, to the same results', () => {
    expect(resumed.episodes.map(decided)).toEqual(single.episodes.map(decided));
    expect(resumedSeen).toHaveLength((config.targets * ARMS.length - 7) * (config.rounds + 1));
  });

  it('stops when interrupted, keeping what finished, and the same run then completes to the same results', () => {
    expect(interrupted.complete).toBe(false);
    expect(interrupted.episodes.length).toBeLessThan(config.targets * ARMS.length);
    expect(afterInterrupt.complete).toBe(true);
    expect(afterInterrupt.episodes.map(decided)).toEqual(single.episodes.map(decided));
  });
});
