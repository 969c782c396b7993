import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/config.js';
import { evalConfigSchema } from '../../core/eval/eval-config.js';
import { runEvaluation, type EvalOutcome } from '../../core/eval/eval-runner.js';
import { RunFolder } from '../../core/eval/run-folder.js';
import { perceptionFromTruth } from '../../core/eval/scripted/scene-perception.js';
import { ScriptedScenesSearcher } from '../../core/eval/scripted/scripted-searcher.js';
import type { EpisodeSearcher, Searcher } from '../../core/eval/searcher.js';
import { sampleTargets } from '../../core/eval/target-sampler.js';
import type { Engine } from '../../core/ports/engine.js';
import { createRuntime, type Runtime } from '../../core/runtime/runtime.js';
import { SCENES_EMBEDDER_ID } from '../../core/scenes/scenes-bundle.js';
import { readSceneTruth } from '../../core/scenes/truth.js';
import { buildWorld } from '../../core/scenes/world-builder.js';

const ARCHIVE = 'paired-world';
const STRATEGIES = ['text', 'generative', 'prediction'] as const;
const config = evalConfigSchema.parse({ archive: ARCHIVE, strategies: [...STRATEGIES], targets: 5, rounds: 1, seed: 21, concurrency: 3 });

interface Seen {
  readonly strategy: string;
  readonly target: string;
  readonly searcherSeed: number;
  readonly firstDescription: string;
}

let root: string;
let runtime: Runtime;
let archiveIds: string[];
let outcome: EvalOutcome;
const searched: Seen[] = [];
const sessions: { strategy: string; seed: number | undefined }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mirage-paired-'));
  runtime = createRuntime(loadConfig({}, { dataDir: join(root, 'data') }), { ephemeralSessions: true });
  const { imageEmbedder } = await runtime.models.bundleFor(SCENES_EMBEDDER_ID);
  await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name: ARCHIVE, size: 120, seed: 4 });
  const archive = await runtime.archives.open(ARCHIVE);
  archiveIds = [...archive.records()].map((r) => r.id);
  const scripted = new ScriptedScenesSearcher(perceptionFromTruth(await readSceneTruth(archive)));
  // Spies: what each episode's searcher was started with and said first, and each session's seed.
  const searcher: Searcher = {
    id: scripted.id,
    startEpisode: async (target, seed, context) => {
      const episode = await scripted.startEpisode(target, seed);
      const firstDescription = await episode.describe();
      searched.push({ strategy: context?.strategy ?? '?', target: target.id, searcherSeed: seed, firstDescription });
      return episode satisfies EpisodeSearcher;
    },
  };
  const engine = new Proxy(runtime.engine, {
    get(target, property, receiver) {
      if (property === 'startSession') {
        return (request: Parameters<Engine['startSession']>[0]) => {
          sessions.push({ strategy: request.strategy ?? '?', seed: request.seed });
          return target.startSession(request);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  outcome = await runEvaluation({ engine, searcher, config, archiveIds, folder: new RunFolder(join(root, 'run')) });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('paired design: every strategy faces the same episodes', () => {
  it('the same targets, drawn once with the run seed, for every strategy', () => {
    const expected = sampleTargets(archiveIds, config.targets, config.seed);
    expect(outcome.targets).toEqual(expected);
    for (const strategy of STRATEGIES) {
      expect(outcome.episodes.filter((e) => e.strategy === strategy).map((e) => e.targetId)).toEqual(expected);
    }
  });

  it('the same searcher memory: one searcher seed and one first description per target, whatever the strategy', () => {
    expect(searched).toHaveLength(config.targets * STRATEGIES.length);
    for (const target of outcome.targets) {
      const episodes = searched.filter((s) => s.target === target);
      expect(episodes.map((e) => e.strategy).sort()).toEqual([...STRATEGIES].sort());
      expect(new Set(episodes.map((e) => e.searcherSeed)).size).toBe(1);
      expect(new Set(episodes.map((e) => e.firstDescription)).size).toBe(1);
    }
    // Different targets get different memories' seeds.
    expect(new Set(searched.map((s) => s.searcherSeed)).size).toBe(config.targets);
  });

  it('the same session seed per target across strategies', () => {
    expect(sessions).toHaveLength(config.targets * STRATEGIES.length);
    const seeds = new Set(sessions.map((s) => s.seed));
    expect(seeds.size).toBe(config.targets);
    for (const strategy of STRATEGIES) {
      expect(new Set(sessions.filter((s) => s.strategy === strategy).map((s) => s.seed))).toEqual(seeds);
    }
  });

  it('records, for every round, whether the target was among the hits shown', () => {
    for (const episode of outcome.episodes) {
      for (const round of episode.rounds) {
        const position = round.hits.indexOf(episode.targetId);
        expect(round.shownRank).toBe(position === -1 ? null : position);
        // Below 2,000 images the shown hits are exact: shown exactly when ranked < K.
        expect(round.shownRank !== null).toBe(round.rank < round.hits.length);
        if (round.shownRank !== null) expect(round.shownRank).toBe(round.rank);
      }
    }
  });
});
