/**
 * World build rate and round latency per stage (issue: core engine, section 5).
 *   npm run bench -- world --sizes 10000,100000 --threads 1,2 --rounds 200 --data-dir /tmp/mirage-bench
 * Builds each world once per thread count (overwriting; the last build is kept), reports where a
 * build's time goes stage by stage, then times `generative` rounds with n = 1 and n = 4 on the
 * largest one, using round-0 descriptions from the scripted searcher as queries.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SCENES_EMBEDDER_ID } from '../core/scenes/scenes-bundle.js';
import { perceptionFromTruth } from '../core/eval/scripted/scene-perception.js';
import { ScriptedScenesSearcher } from '../core/eval/scripted/scripted-searcher.js';
import { readSceneTruth } from '../core/scenes/truth.js';
import { buildWorld } from '../core/scenes/world-builder.js';
import { loadConfig } from '../core/config/config.js';
import { createRuntime } from '../core/runtime/runtime.js';
import { sampleTargets } from '../core/eval/target-sampler.js';
import type { StageTimings } from '../core/session/session.js';
import { percentile } from './stats.js';
import { profileBuildStages } from './world-build-profile.js';

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      rounds: { type: 'string', default: '200' },
      samples: { type: 'string', default: '1,4' },
      'data-dir': { type: 'string', default: '/tmp/mirage-bench' },
      threads: { type: 'string', default: '1,2' },
      'profile-images': { type: 'string', default: '300' },
    },
  });
  const threadCounts = values.threads.split(',').map(Number);
  const sizes = values.sizes.split(',').map(Number);
  const rounds = Number(values.rounds);
  const runtime = createRuntime(loadConfig({}, { dataDir: values['data-dir'] }), { ephemeralSessions: true });
  const { imageEmbedder } = await runtime.models.bundleFor(SCENES_EMBEDDER_ID);
  const builds: { size: number; threads: number; seconds: number; imagesPerSecond: number }[] = [];
  for (const size of sizes) {
    const name = `bench-${size}`;
    for (const threads of threadCounts) {
      const started = performance.now();
      await buildWorld({ store: runtime.archives, embedder: imageEmbedder, name, size, seed: 1, threads, overwrite: true });
      const seconds = (performance.now() - started) / 1000;
      builds.push({ size, threads, seconds, imagesPerSecond: size / seconds });
      console.log(`build ${name} on ${threads} thread(s): ${seconds.toFixed(1)} s, ${(size / seconds).toFixed(1)} images/s`);
    }
  }
  console.log('\n| images | threads | seconds | images/s | vs 1 thread |\n| ---: | ---: | ---: | ---: | ---: |');
  for (const b of builds) {
    const one = builds.find((o) => o.size === b.size && o.threads === 1);
    console.log(`| ${b.size} | ${b.threads} | ${b.seconds.toFixed(1)} | ${b.imagesPerSecond.toFixed(1)} | ${one ? `${(b.imagesPerSecond / one.imagesPerSecond).toFixed(2)}x` : '-'} |`);
  }
  const profile = await profileBuildStages(Number(values['profile-images']), imageEmbedder);
  console.log(`\nWhere one image's build time goes (${profile.images} images, one at a time in this thread, ms per image)`);
  console.log('| stage | ms/image | share |\n| --- | ---: | ---: |');
  const totalMs = Object.values(profile.msPerImage).reduce((a, b) => a + b, 0);
  for (const [stage, ms] of Object.entries(profile.msPerImage)) console.log(`| ${stage} | ${ms.toFixed(3)} | ${((100 * ms) / totalMs).toFixed(1)}% |`);
  const archiveName = `bench-${Math.max(...sizes)}`;
  const archive = await runtime.archives.open(archiveName);
  const truth = await readSceneTruth(archive);
  const searcher = new ScriptedScenesSearcher(perceptionFromTruth(truth));
  const targets = sampleTargets([...truth.keys()], rounds, 7);
  const queries = await Promise.all(targets.map(async (id, i) => (await searcher.startEpisode({ id, image: await archive.readImage(id, 'thumb') }, i)).describe()));
  const latency: Record<string, Record<keyof StageTimings, { p50: number; p95: number }>> = {};
  for (const samples of values.samples.split(',').map(Number)) {
    const timings: StageTimings[] = [];
    for (const query of queries) {
      const session = await runtime.engine.startSession({ archive: archiveName, strategy: 'generative', samples, seed: 1 });
      timings.push((await runtime.engine.runRound(session.id, { query })).timings);
    }
    const stages = ['generate', 'embed', 'search', 'total'] as const;
    latency[`n=${samples}`] = Object.fromEntries(
      stages.map((s) => [s, { p50: percentile(timings.map((t) => t[s]), 50), p95: percentile(timings.map((t) => t[s]), 95) }]),
    ) as Record<keyof StageTimings, { p50: number; p95: number }>;
  }
  console.log(`\nGenerative round latency on ${archiveName} (${rounds} rounds, ms)`);
  console.log('| samples | stage | p50 | p95 |\n| --- | --- | ---: | ---: |');
  for (const [n, stages] of Object.entries(latency)) {
    for (const [stage, { p50, p95 }] of Object.entries(stages)) console.log(`| ${n} | ${stage} | ${p50.toFixed(2)} | ${p95.toFixed(2)} |`);
  }
  await mkdir('bench-results', { recursive: true });
  const file = `bench-results/world-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, JSON.stringify({ builds, profile, latency, rounds }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}
