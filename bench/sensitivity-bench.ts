/**
 * Realism sensitivity of the agent-vs-agent evaluation (issue 11, section 2).
 *   npm run bench -- sensitivity --size 1000 --targets 40 --rounds 5 --data-dir /tmp/mirage-sensitivity
 * Runs the evaluation on a small Scenes world once with every realism knob at its default, then
 * once per moved knob (one at a time): the scripted searcher's perception noise, caption noise
 * as the verbal strategy reads captions, and the world's near-duplicate rate (a world of its own
 * per rate). Writes one Markdown table (report.html can include it: `mirage eval
 * --sensitivity-table <file>`) and the points as JSON under bench-results/. The knobs are
 * diagnostics: nothing is tuned from this table.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config/config.js';
import { sensitivityTableMarkdown, type SensitivityPoint } from '../core/eval/artifacts/sensitivity-table.js';
import type { EvalResults } from '../core/eval/artifacts/results.js';
import { evalConfigSchema } from '../core/eval/eval-config.js';
import { runEvaluationJob } from '../core/eval/evaluation-job.js';
import type { RealismKnobs } from '../core/eval/realism.js';
import { perceptionFromTruth } from '../core/eval/scripted/scene-perception.js';
import { ScriptedScenesSearcher } from '../core/eval/scripted/scripted-searcher.js';
import { createRuntime, type Runtime } from '../core/runtime/runtime.js';
import { withCaptionNoise } from '../core/scenes/caption-noise.js';
import { DEFAULT_NEAR_DUPLICATE_RATE } from '../core/scenes/sampler.js';
import { SCENES_EMBEDDER_ID } from '../core/scenes/scenes-bundle.js';
import { readSceneTruth } from '../core/scenes/truth.js';
import { buildWorld } from '../core/scenes/world-builder.js';
import { STRATEGY_NAMES } from '../core/session/session.js';

/** The world seed of the sensitivity worlds (any seed the evaluation accepts; fixed for reproducibility). */
const WORLD_SEED = 1;
/** Seed of the caption noise's draws. */
const CAPTION_SEED = 17;

const list = (text: string) => text.split(',').map(Number);

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      size: { type: 'string', default: '1000' },
      targets: { type: 'string', default: '40' },
      rounds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      strategies: { type: 'string', default: STRATEGY_NAMES.join(',') },
      perception: { type: 'string', default: '0.1,0.2' },
      captions: { type: 'string', default: '0.1,0.3' },
      'near-duplicates': { type: 'string', default: '0.2,0.7' },
      concurrency: { type: 'string', default: '2' },
      'data-dir': { type: 'string', default: '/tmp/mirage-sensitivity' },
    },
  });
  const size = Number(values.size);
  const dataDir = values['data-dir'];
  const base = createRuntime(loadConfig({}, { dataDir }), { ephemeralSessions: true });
  const worldOf = async (rate: number) => {
    const name = `sensitivity-${size}-nd${String(rate).replace('.', '_')}`;
    if (!(await base.archives.exists(name))) {
      const { imageEmbedder } = await base.models.bundleFor(SCENES_EMBEDDER_ID);
      const started = performance.now();
      await buildWorld({ store: base.archives, embedder: imageEmbedder, name, size, seed: WORLD_SEED, nearDuplicateRate: rate });
      console.log(`built ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return name;
  };

  const grid: { knob: SensitivityPoint['knob']; knobs: { readonly [K in keyof RealismKnobs]: number } }[] = [
    { knob: 'default', knobs: { perceptionNoise: 0, captionNoise: 0, nearDuplicateRate: DEFAULT_NEAR_DUPLICATE_RATE } },
    ...list(values.perception).map((p) => ({ knob: 'perceptionNoise' as const, knobs: { perceptionNoise: p, captionNoise: 0, nearDuplicateRate: DEFAULT_NEAR_DUPLICATE_RATE } })),
    ...list(values.captions).map((p) => ({ knob: 'captionNoise' as const, knobs: { perceptionNoise: 0, captionNoise: p, nearDuplicateRate: DEFAULT_NEAR_DUPLICATE_RATE } })),
    ...list(values['near-duplicates']).map((r) => ({ knob: 'nearDuplicateRate' as const, knobs: { perceptionNoise: 0, captionNoise: 0, nearDuplicateRate: r } })),
  ];

  const points: SensitivityPoint[] = [];
  for (const { knob, knobs } of grid) {
    const archive = await worldOf(knobs.nearDuplicateRate);
    const runtime = await runtimeWithCaptionNoise(base, dataDir, knobs.captionNoise);
    const truth = await readSceneTruth(await runtime.archives.open(archive));
    const searcher = new ScriptedScenesSearcher(perceptionFromTruth(truth), { pMisperceive: knobs.perceptionNoise });
    const config = evalConfigSchema.parse({
      archive,
      strategies: values.strategies.split(','),
      targets: Number(values.targets),
      rounds: Number(values.rounds),
      seed: Number(values.seed),
      concurrency: Number(values.concurrency),
    });
    const outDir = join(dataDir, 'runs', `${archive}-p${knobs.perceptionNoise}-c${knobs.captionNoise}`);
    // Caption noise is the engine's, not in the run's settings: a stale folder must not be resumed.
    await rm(outDir, { recursive: true, force: true });
    const started = performance.now();
    const job = await runEvaluationJob({
      engine: runtime.engine,
      archives: runtime.archives,
      searcher,
      config,
      outDir,
      exportDataset: false,
      reportTargets: 0,
      captionNoise: knobs.captionNoise,
    });
    const results = JSON.parse(await readFile(job.written.results, 'utf8')) as EvalResults;
    points.push({ knob, results });
    console.log(`${knob} ${JSON.stringify(knobs)}: ${job.episodes} episodes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const table = sensitivityTableMarkdown(points, 10);
  console.log(`\n${table}`);
  await mkdir('bench-results', { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = `bench-results/sensitivity-${stamp}`;
  await writeFile(`${file}.md`, table + '\n');
  const summary = points.map((p) => ({ knob: p.knob, realism: p.results.realism, metrics: p.results.metrics, statistics: p.results.statistics }));
  await writeFile(`${file}.json`, JSON.stringify({ size, worldSeed: WORLD_SEED, captionSeed: CAPTION_SEED, argv, points: summary }, null, 2) + '\n');
  console.log(`\nwrote ${file}.md and .json`);
}

/**
 * A runtime over the same data folder whose Scenes models read captions through the caption
 * noise; the models themselves are the base runtime's, so the method is untouched.
 */
async function runtimeWithCaptionNoise(base: Runtime, dataDir: string, captionNoise: number): Promise<Runtime> {
  if (captionNoise === 0) return base;
  const runtime = createRuntime(loadConfig({}, { dataDir }), { ephemeralSessions: true });
  const bundle = await base.models.bundleFor(SCENES_EMBEDDER_ID);
  const attributes = bundle.attributes;
  if (!attributes) throw new Error('The Scenes models have no attribute reader to add caption noise to.');
  runtime.models.register(SCENES_EMBEDDER_ID, async () => ({ ...bundle, attributes: withCaptionNoise(attributes, captionNoise, CAPTION_SEED) }));
  return runtime;
}
