/**
 * Evaluation throughput: rounds per second for the demo's mix (all five strategies, the scripted
 * searcher, concurrency 4 per thread, report capture on), in this thread and on worker threads,
 * with the same seed, checking that every run gives the same ranks and queries.
 *   npm run bench -- eval --targets 100 --threads 1,2 --data-dir /tmp/mirage-bench
 * Builds the demo world (1,500 images, seed 1) on first use and keeps it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { loadConfig } from '../core/config/config.js';
import { evalConfigSchema } from '../core/eval/eval-config.js';
import { runEvaluationJob } from '../core/eval/evaluation-job.js';
import type { EpisodeRecord } from '../core/eval/episode-record.js';
import { RunFolder } from '../core/eval/run-folder.js';
import { createSearcher } from '../core/eval/searcher-factory.js';
import { createEpisodeThreads } from '../core/runtime/episode-threads.js';
import { createRuntime } from '../core/runtime/runtime.js';
import { SCENES_EMBEDDER_ID } from '../core/scenes/scenes-bundle.js';
import { buildWorld } from '../core/scenes/world-builder.js';
import { STRATEGY_NAMES } from '../core/session/session.js';

interface EvalRun {
  readonly threads: number;
  readonly episodes: number;
  readonly rounds: number;
  readonly seconds: number;
  readonly roundsPerSecond: number;
  readonly identicalToFirst: boolean;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      targets: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '10' },
      threads: { type: 'string', default: '1,2' },
      concurrency: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      size: { type: 'string', default: '1500' },
      'data-dir': { type: 'string', default: '/tmp/mirage-bench' },
    },
  });
  const mirageConfig = loadConfig({}, { dataDir: values['data-dir'] });
  const runtime = createRuntime(mirageConfig, { ephemeralSessions: true });
  const archiveName = `bench-demo-${values.size}`;
  if (!(await runtime.archives.exists(archiveName))) {
    const { imageEmbedder } = await runtime.models.bundleFor(SCENES_EMBEDDER_ID);
    console.log(`building ${archiveName}...`);
    await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name: archiveName, size: Number(values.size), seed: 1, threads: 2 });
  }
  const config = evalConfigSchema.parse({
    archive: archiveName,
    strategies: [...STRATEGY_NAMES],
    targets: Number(values.targets),
    rounds: Number(values.rounds),
    concurrency: Number(values.concurrency),
    seed: Number(values.seed),
  });
  const searcher = await createSearcher({ kind: 'scripted' }, await runtime.archives.open(archiveName));
  const scratch = await mkdtemp(join(tmpdir(), 'mirage-eval-bench-'));
  const runs: EvalRun[] = [];
  let first: readonly unknown[] | undefined;
  try {
    for (const [i, threads] of values.threads.split(',').map(Number).entries()) {
      const player = createEpisodeThreads({ config: mirageConfig, searcher: { kind: 'scripted' }, archive: archiveName, threads, perThread: config.concurrency });
      // A fresh run folder per run: a repeated thread count must not resume the earlier run.
      const outDir = join(scratch, `run-${i}-threads-${threads}`);
      const started = performance.now();
      const result = await runEvaluationJob({ engine: runtime.engine, archives: runtime.archives, searcher, config, outDir, exportDataset: false, ...(player ? { player } : {}) }).finally(
        () => player?.close(),
      );
      const seconds = (performance.now() - started) / 1000;
      const episodes = await new RunFolder(outDir).finishedEpisodes();
      const decided = [...episodes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => decisions(e));
      first ??= decided;
      const rounds = result.episodes * (config.rounds + 1);
      runs.push({ threads, episodes: result.episodes, rounds, seconds, roundsPerSecond: rounds / seconds, identicalToFirst: isDeepStrictEqual(decided, first) });
      console.log(`threads ${threads}: ${rounds} rounds in ${seconds.toFixed(1)} s`);
    }
  } finally {
    await runtime.engine.close();
    await rm(scratch, { recursive: true, force: true });
  }
  const base = runs[0];
  console.log(`\nEvaluation throughput on ${archiveName} (${config.targets} targets x ${STRATEGY_NAMES.length} strategies x ${config.rounds + 1} rounds, concurrency ${config.concurrency} per thread, seed ${config.seed})`);
  console.log('| threads | rounds | seconds | rounds/s | vs first | same results |\n| ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of runs) {
    const ratio = base ? r.roundsPerSecond / base.roundsPerSecond : Number.NaN;
    console.log(`| ${r.threads} | ${r.rounds} | ${r.seconds.toFixed(1)} | ${r.roundsPerSecond.toFixed(1)} | ${ratio.toFixed(2)}x | ${r.identicalToFirst ? 'yes' : 'NO'} |`);
  }
  await mkdir('bench-results', { recursive: true });
  const file = `bench-results/eval-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, JSON.stringify({ archive: archiveName, config, runs }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

/** Ranks and queries of an episode: what must not depend on the thread count. */
function decisions(e: EpisodeRecord) {
  return { strategy: e.strategy, target: e.targetId, ranks: e.rounds.map((r) => r.rank), queries: e.rounds.map((r) => r.query) };
}
