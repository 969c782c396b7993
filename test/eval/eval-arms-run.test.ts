import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/config.js';
import { evalConfigSchema } from '../../core/eval/eval-config.js';
import { runEvaluation } from '../../core/eval/eval-runner.js';
import { runEvaluationJob, type EvaluationJobResult } from '../../core/eval/evaluation-job.js';
import { RunFolder } from '../../core/eval/run-folder.js';
import { perceptionFromTruth } from '../../core/eval/scripted/scene-perception.js';
import { ScriptedScenesSearcher } from '../../core/eval/scripted/scripted-searcher.js';
import type { EvalResults } from '../../core/eval/artifacts/results.js';
import { createRuntime, type Runtime } from '../../core/runtime/runtime.js';
import { SCENES_EMBEDDER_ID } from '../../core/scenes/scenes-bundle.js';
import { TEXT_TOWER_SEEDS } from '../../core/scenes/text-tower/training-seeds.js';
import { readSceneTruth } from '../../core/scenes/truth.js';
import { buildWorld } from '../../core/scenes/world-builder.js';

const ARMS = ['text', 'text-oracle', 'generative', 'generative-n4'];
let root: string;
let runtime: Runtime;
let searcher: ScriptedScenesSearcher;
let job: EvaluationJobResult;
let results: EvalResults;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mirage-arms-'));
  runtime = createRuntime(loadConfig({}, { dataDir: join(root, 'data') }), { ephemeralSessions: true });
  const { imageEmbedder } = await runtime.models.bundleFor(SCENES_EMBEDDER_ID);
  await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name: 'arms', size: 120, seed: 21 });
  await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name: 'tower-world', size: 100, seed: TEXT_TOWER_SEEDS.train });
  searcher = new ScriptedScenesSearcher(perceptionFromTruth(await readSceneTruth(await runtime.archives.open('arms'))));
  const oracle = runtime.textOracle();
  job = await runEvaluationJob({
    engine: runtime.engine,
    oracleEngine: oracle.engine,
    textTowers: { text: (await runtime.models.bundleFor(SCENES_EMBEDDER_ID)).textEmbedder!.id, 'text-oracle': 'scenes-oracle' },
    archives: runtime.archives,
    searcher,
    config: evalConfigSchema.parse({ archive: 'arms', strategies: ARMS, targets: 2, rounds: 1, seed: 3 }),
    outDir: join(root, 'run'),
    exportDataset: false,
    reportTargets: 1,
  });
  results = JSON.parse(await readFile(job.written.results, 'utf8')) as EvalResults;
}, 180_000);

afterAll(async () => {
  await runtime?.engine.close();
  await rm(root, { recursive: true, force: true });
});

describe('evaluation arms in a run', () => {
  it('labels episodes, metrics and the table by arm', async () => {
    expect(job.complete).toBe(true);
    expect(job.episodes).toBe(2 * ARMS.length);
    expect(Object.keys(results.metrics)).toEqual(ARMS);
    const table = await readFile(job.written.table, 'utf8');
    for (const arm of ARMS) expect(table).toContain(arm);
  });

  it('records the text towers it used', () => {
    expect(results.versions.textTowers?.text).toMatch(/^scenes-text-tower@[0-9a-f]{16}$/);
    expect(results.versions.textTowers?.['text-oracle']).toBe('scenes-oracle');
  });

  it('runs generative-n4 with four synthetic images a round and generative with one', async () => {
    const lines = (await readFile(join(root, 'run', 'episodes.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const synthetic = (arm: string) =>
      lines.filter((e) => e.strategy === arm).flatMap((e) => e.rounds.map((r: { feedback: { images: unknown[] } }) => r.feedback.images.length));
    expect(synthetic('generative-n4')).toEqual([4, 4, 4, 4]);
    expect(synthetic('generative')).toEqual([1, 1, 1, 1]);
  });

  it('needs an oracle engine for text-oracle', async () => {
    const archive = await runtime.archives.open('arms');
    const run = runEvaluation({
      engine: runtime.engine,
      searcher,
      config: evalConfigSchema.parse({ archive: 'arms', strategies: ['text-oracle'], targets: 1, rounds: 0 }),
      archiveIds: [...archive.records()].map((r) => r.id),
      folder: new RunFolder(join(root, 'no-oracle')),
    });
    await expect(run).rejects.toThrow(/oracle text tower/);
  });

  it('refuses a world built with a text tower seed', async () => {
    const run = runEvaluationJob({
      engine: runtime.engine,
      archives: runtime.archives,
      searcher,
      config: evalConfigSchema.parse({ archive: 'tower-world', strategies: ['text'], targets: 1, rounds: 0 }),
      outDir: join(root, 'refused'),
      exportDataset: false,
    });
    await expect(run).rejects.toThrow(/reserved for training the text tower/);
  });
});
