/**
 * The queue path against the in-process engine (issue: GPU workers, section 6).
 *   npm run bench -- queue --size 1000 --rounds 200 --clients 16 --throughput-rounds 400
 * Needs a Redis (REDIS_URL, default redis://127.0.0.1:6379); uses its own key prefix and removes
 * its keys afterwards. Measures, for Scenes rounds:
 * - latency of one round at a time, in-process and through the queue with one worker: p50/p99
 *   of each, and of the added latency per query;
 * - rounds per second with 1 and 2 worker processes, `clients` sessions running rounds at once;
 * - resident memory (RSS) of each worker after its throughput run.
 * Writes bench-results/queue-<date>.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createQueueEngine } from '../core/runtime/create-queue-engine.js';
import { deletePrefixedKeys } from '../core/adapters/redis/redis-keys.js';
import { SCENES_EMBEDDER_ID } from '../core/scenes/scenes-bundle.js';
import { buildWorld } from '../core/scenes/world-builder.js';
import { loadConfig } from '../core/config/config.js';
import { createRuntime } from '../core/runtime/runtime.js';
import type { Engine } from '../core/ports/engine.js';
import type { StrategyName } from '../core/session/session.js';
import { WorkerChild } from '../workers/worker-child.js';
import { percentile } from './stats.js';

interface Latency {
  readonly p50: number;
  readonly p99: number;
}

const latencyOf = (ms: readonly number[]): Latency => ({ p50: percentile(ms, 50), p99: percentile(ms, 99) });

/** Milliseconds of each round, one round at a time, one session per query. */
async function sequentialRounds(engine: Engine, archive: string, strategy: StrategyName, queries: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  for (const [i, query] of queries.entries()) {
    const session = await engine.startSession({ archive, strategy, seed: i });
    const started = performance.now();
    await engine.runRound(session.id, { query });
    times.push(performance.now() - started);
  }
  return times;
}

/** Rounds per second with `clients` sessions each running rounds back to back. */
async function throughput(engine: Engine, archive: string, strategy: StrategyName, queries: readonly string[], clients: number, total: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const session = await engine.startSession({ archive, strategy, seed: c });
      for (let i = next++; i < total; i = next++) await engine.runRound(session.id, { query: queries[i % queries.length] as string });
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      size: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '200' },
      clients: { type: 'string', default: '16' },
      'throughput-rounds': { type: 'string', default: '400' },
      strategy: { type: 'string', default: 'generative' },
      'data-dir': { type: 'string', default: '/tmp/mirage-queue-bench' },
      redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    },
  });
  const size = Number(values.size);
  const strategy = values.strategy as StrategyName;
  const redisUrl = values.redis;
  const dataDir = values['data-dir'];
  const archive = `queue-bench-${size}`;
  const prefix = `mirage-bench-${randomUUID().slice(0, 8)}`;

  const local = createRuntime(loadConfig({}, { dataDir }), { ephemeralSessions: true });
  if (!(await local.archives.exists(archive))) {
    const { imageEmbedder } = await local.models.bundleFor(SCENES_EMBEDDER_ID);
    await buildWorld({ store: local.archives, embedder: imageEmbedder, name: archive, size, seed: 1 });
  }
  // Real descriptions: captions of archive images, each used once per engine so that both
  // engines meet each description cold (the Scenes text embedder caches by text).
  const opened = await local.archives.open(archive);
  const captions = [...opened.records()].map((r) => r.caption).filter((c): c is string => c !== undefined);
  const latencyQueries = captions.slice(0, Number(values.rounds));
  const throughputQueries = captions.slice(0, 50);

  const workers: WorkerChild[] = [];
  const engine = createQueueEngine({ redisUrl, prefix, sessionTtlSeconds: 3600 });
  try {
    const start = async () => workers.push(await WorkerChild.start({ redisUrl, prefix, dataDir }));
    await start();
    // Warm-up: model loading and first-use costs on both sides.
    await sequentialRounds(local.engine, archive, strategy, throughputQueries.slice(0, 10));
    await sequentialRounds(engine, archive, strategy, throughputQueries.slice(0, 10));

    const inProcessMs = await sequentialRounds(local.engine, archive, strategy, latencyQueries);
    const queueMs = await sequentialRounds(engine, archive, strategy, latencyQueries);
    const added = queueMs.map((ms, i) => ms - (inProcessMs[i] as number));
    console.log(`latency (${strategy}, ${latencyQueries.length} rounds, one at a time), ms:`);
    console.log(`  in-process  p50 ${percentile(inProcessMs, 50).toFixed(1)}  p99 ${percentile(inProcessMs, 99).toFixed(1)}`);
    console.log(`  queue       p50 ${percentile(queueMs, 50).toFixed(1)}  p99 ${percentile(queueMs, 99).toFixed(1)}`);
    console.log(`  added       p50 ${percentile(added, 50).toFixed(1)}  p99 ${percentile(added, 99).toFixed(1)}`);

    const clients = Number(values.clients);
    const total = Number(values['throughput-rounds']);
    const inProcessRate = await throughput(local.engine, archive, strategy, throughputQueries, clients, total);
    const oneWorker = await throughput(engine, archive, strategy, throughputQueries, clients, total);
    const rssOne = await workers[0]?.rss();
    await start();
    await throughput(engine, archive, strategy, throughputQueries, clients, 20);
    const twoWorkers = await throughput(engine, archive, strategy, throughputQueries, clients, total);
    const rssTwo = await Promise.all(workers.map((w) => w.rss()));
    const mib = (b: number | undefined) => ((b ?? Number.NaN) / 2 ** 20).toFixed(0);
    console.log(`throughput (${clients} sessions at once, ${total} rounds), rounds/s:`);
    console.log(`  in-process ${inProcessRate.toFixed(1)}   1 worker ${oneWorker.toFixed(1)}   2 workers ${twoWorkers.toFixed(1)}`);
    console.log(`worker RSS, MiB: 1 worker ${mib(rssOne)}; 2 workers ${rssTwo.map(mib).join(', ')}`);

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus()[0]?.model, parallelism: availableParallelism() },
      options: { size, strategy, latencyRounds: latencyQueries.length, clients, throughputRounds: total },
      latencyMs: { inProcess: latencyOf(inProcessMs), queue: latencyOf(queueMs), added: latencyOf(added) },
      roundsPerSecond: { inProcess: inProcessRate, oneWorker, twoWorkers },
      workerRssBytes: { oneWorker: rssOne, twoWorkers: rssTwo },
    };
    await mkdir('bench-results', { recursive: true });
    const file = `bench-results/queue-${result.date.replace(/[:.]/g, '-')}.json`;
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    await engine.close();
    await local.engine.close();
    await Promise.all(workers.map((w) => w.stop()));
    const redis = new Redis(redisUrl);
    await deletePrefixedKeys(redis, prefix).finally(() => redis.disconnect());
  }
}
