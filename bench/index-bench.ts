/**
 * Vector index benchmark: USearch (through Mirage's adapter) against hnswlib-node on clustered
 * 512-d vectors. For each archive size it measures build throughput, single-query search
 * latency (p50/p95) and recall@10 against exact ground truth, sweeping the search expansion
 * ("ef") until recall@10 reaches the target, and tunes hnswlib's ef to the same recall.
 *
 *   npx tsx bench/index-bench.ts --sizes 100000,1000000 --quant f32,i8
 *
 * Prints Markdown tables and writes bench-results/index-<date>.json.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import hnswlib from 'hnswlib-node';
import { BatchMatches, exactSearch, MetricKind } from 'usearch';
import { createIndexFactory } from '../core/runtime/runtime.js';
import type { Quantization, VectorIndex } from '../core/ports/vector-index.js';
import { deriveSeed } from '../core/random/seed.js';
import { ClusteredVectors, rowsOf } from './clustered-vectors.js';

export interface IndexBenchOptions {
  readonly sizes: readonly number[];
  readonly quantizations: readonly Quantization[];
  readonly dim: number;
  readonly clusters: number;
  readonly queries: number;
  readonly k: number;
  readonly seed: number;
  readonly connectivity: number;
  readonly expansionAdd: number;
  /** Search expansions to try, ascending; the sweep stops at the first reaching targetRecall. */
  readonly efs: readonly number[];
  readonly targetRecall: number;
  readonly threads: number;
  readonly hnswlib: boolean;
  readonly outDir: string;
}

export interface SearchPoint {
  readonly ef: number;
  readonly recall: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface EngineResult {
  readonly engine: 'usearch' | 'hnswlib';
  readonly quantization: Quantization;
  readonly buildSeconds: number;
  readonly vectorsPerSecond: number;
  /** Bytes on disk of the saved index (graph + raw vectors + id map for USearch). */
  readonly savedBytes?: number;
  readonly sweep: readonly SearchPoint[];
  /** The operating point: the cheapest sweep point reaching the recall asked for. */
  readonly chosen: SearchPoint;
}

export interface SizeResult {
  readonly size: number;
  readonly exactP50Ms: number;
  readonly engines: readonly EngineResult[];
}

const WARMUP_QUERIES = 100;
const ADD_BATCH = 50_000;
const TRUTH_BATCH = 16;
const EXACT_TIMING_QUERIES = 20;

// Native indexes are freed only when their JS wrappers are collected, and V8 does not see
// their memory; collect explicitly between phases so gigabytes do not pile up.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const log = (message: string) => process.stderr.write(`[index-bench] ${message}\n`);

export async function runIndexBench(options: IndexBenchOptions): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const size of options.sizes) results.push(await benchSize(options, size));
  return results;
}

async function benchSize(options: IndexBenchOptions, size: number): Promise<SizeResult> {
  const { dim, k } = options;
  log(`${size} vectors: generating`);
  const clusters = new ClusteredVectors(dim, options.clusters, options.seed);
  const base = clusters.sample(size, deriveSeed(options.seed, 'base', size));
  // Held out: drawn from the same clusters but not in the index.
  const queries = rowsOf(clusters.sample(options.queries, deriveSeed(options.seed, 'queries', size)), dim);
  log(`${size} vectors: exact ground truth`);
  const truth = groundTruth(base, queries, dim, k, options.threads);

  const engines: EngineResult[] = [];
  let exactP50Ms = Number.NaN;
  for (const quantization of options.quantizations) {
    const result = await benchUsearch(options, base, queries, truth, quantization, (index) => {
      if (Number.isNaN(exactP50Ms)) exactP50Ms = timeExact(index, queries.slice(0, EXACT_TIMING_QUERIES), k);
    });
    engines.push(result);
  }
  const reference = engines.find((e) => e.quantization === 'f32') ?? engines[0];
  if (options.hnswlib && reference !== undefined) {
    engines.push(benchHnswlib(options, base, queries, truth, reference.chosen.recall));
  }
  return { size, exactP50Ms, engines };
}

/** Exact top-k rows per query, by usearch's brute-force kernel in f32. */
function groundTruth(base: Float32Array, queries: Float32Array[], dim: number, k: number, threads: number): Uint32Array[] {
  const truth: Uint32Array[] = [];
  for (let first = 0; first < queries.length; first += TRUTH_BATCH) {
    const batch = queries.slice(first, first + TRUTH_BATCH);
    const flat = new Float32Array(batch.length * dim);
    batch.forEach((q, i) => flat.set(q, i * dim));
    const found = exactSearch(base, flat, dim, k, MetricKind.Cos, threads);
    for (let i = 0; i < batch.length; i++) {
      const keys = found instanceof BatchMatches ? found.get(i).keys : found.keys;
      truth.push(Uint32Array.from(keys, Number));
    }
  }
  return truth;
}

async function benchUsearch(
  options: IndexBenchOptions,
  base: Float32Array,
  queries: Float32Array[],
  truth: Uint32Array[],
  quantization: Quantization,
  onBuilt: (index: VectorIndex) => void,
): Promise<EngineResult> {
  const { dim, k } = options;
  const size = base.length / dim;
  const tuning = (ef: number) =>
    createIndexFactory({
      connectivity: options.connectivity,
      expansionAdd: options.expansionAdd,
      expansionSearch: ef,
      threads: options.threads,
      exactBelow: 0,
    });
  const dir = mkdtempSync(join(tmpdir(), 'mirage-index-bench-'));
  try {
    log(`${size} vectors: USearch ${quantization} build`);
    let index: VectorIndex | undefined = tuning(options.efs[0] ?? 64).create(dim, quantization);
    const rows = rowsOf(base, dim);
    const started = performance.now();
    for (let first = 0; first < size; first += ADD_BATCH) {
      const batch = rows.slice(first, first + ADD_BATCH);
      index.add(
        batch.map((_, i) => `v${first + i}`),
        batch,
      );
    }
    const buildSeconds = (performance.now() - started) / 1000;
    log(`${size} vectors: USearch ${quantization} built in ${buildSeconds.toFixed(1)} s`);
    onBuilt(index);
    await index.save(dir);
    const savedBytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    index = undefined;
    collectGarbage();

    // The JS API fixes the search expansion when an index is made, so each ef is a fresh load.
    const sweep: SearchPoint[] = [];
    for (const ef of options.efs) {
      const loaded = await tuning(ef).load(dir);
      const point = measure(ef, queries, truth, k, (q) => loaded.search(q, k).map((h) => Number(h.id.slice(1))));
      log(`USearch ${quantization} ef ${ef}: recall@${k} ${point.recall.toFixed(4)}, p50 ${point.p50Ms.toFixed(3)} ms`);
      sweep.push(point);
      collectGarbage();
      if (point.recall >= options.targetRecall) break;
    }
    return {
      engine: 'usearch',
      quantization,
      buildSeconds,
      vectorsPerSecond: size / buildSeconds,
      savedBytes,
      sweep,
      chosen: cheapestReaching(sweep, options.targetRecall),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchHnswlib(
  options: IndexBenchOptions,
  base: Float32Array,
  queries: Float32Array[],
  truth: Uint32Array[],
  recallToMatch: number,
): EngineResult {
  const { dim, k } = options;
  const size = base.length / dim;
  log(`${size} vectors: hnswlib build (single-threaded: its Node binding adds one point per call)`);
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.initIndex({ maxElements: size, m: options.connectivity, efConstruction: options.expansionAdd, randomSeed: options.seed });
  const started = performance.now();
  for (let i = 0; i < size; i++) index.addPoint(Array.from(base.subarray(i * dim, (i + 1) * dim)), i);
  const buildSeconds = (performance.now() - started) / 1000;
  log(`${size} vectors: hnswlib built in ${buildSeconds.toFixed(1)} s`);
  const sweep: SearchPoint[] = [];
  for (const ef of hnswlibEfs(options.efs)) {
    index.setEf(ef);
    // Converting the query to a plain array is part of every hnswlib-node call, so it is timed.
    const point = measure(ef, queries, truth, k, (q) => index.searchKnn(Array.from(q), k).neighbors);
    log(`hnswlib ef ${ef}: recall@${k} ${point.recall.toFixed(4)}, p50 ${point.p50Ms.toFixed(3)} ms`);
    sweep.push(point);
    if (point.recall >= recallToMatch) break;
  }
  return {
    engine: 'hnswlib',
    quantization: 'f32',
    buildSeconds,
    vectorsPerSecond: size / buildSeconds,
    sweep,
    chosen: cheapestReaching(sweep, recallToMatch),
  };
}

/** hnswlib needs its own, finer ladder to land close to a given recall. */
function hnswlibEfs(efs: readonly number[]): number[] {
  const top = Math.max(...efs) * 2;
  const ladder: number[] = [];
  for (let ef = 10; ef <= top; ef = Math.ceil(ef * 1.25)) ladder.push(ef);
  return ladder;
}

function measure(
  ef: number,
  queries: Float32Array[],
  truth: Uint32Array[],
  k: number,
  search: (q: Float32Array) => readonly number[],
): SearchPoint {
  for (const q of queries.slice(0, WARMUP_QUERIES)) search(q);
  const latencies: number[] = [];
  let hits = 0;
  queries.forEach((q, i) => {
    const started = process.hrtime.bigint();
    const found = search(q);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    const expected = new Set(truth[i]);
    hits += found.filter((row) => expected.has(row)).length;
  });
  return { ef, recall: hits / (queries.length * k), p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95) };
}

function timeExact(index: VectorIndex, queries: Float32Array[], k: number): number {
  const latencies = queries.map((q) => {
    const started = process.hrtime.bigint();
    index.search(q, k, { exact: true });
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
  return percentile(latencies, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function cheapestReaching(sweep: readonly SearchPoint[], recall: number): SearchPoint {
  const reaching = sweep.filter((p) => p.recall >= recall);
  if (reaching.length > 0) return reaching.reduce((a, b) => (b.p50Ms < a.p50Ms ? b : a));
  return sweep.reduce((a, b) => (b.recall > a.recall ? b : a));
}

export function markdownReport(options: IndexBenchOptions, results: readonly SizeResult[]): string {
  const ms = (v: number) => v.toFixed(3);
  const lines = [
    `Index benchmark: ${options.dim}-d, ${options.clusters} clusters, ${options.queries} held-out queries, recall@${options.k} vs exact f32, ` +
      `connectivity ${options.connectivity}, expansion_add ${options.expansionAdd}, ${options.threads} build threads, single-query search on one thread; ` +
      `${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}.`,
    '',
    '| vectors | engine | quant | build vec/s | ef | recall@10 | p50 ms | p95 ms | saved MB |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const e of r.engines) {
      const saved = e.savedBytes === undefined ? '' : (e.savedBytes / 1e6).toFixed(0);
      lines.push(
        `| ${r.size} | ${e.engine} | ${e.quantization} | ${e.vectorsPerSecond.toFixed(0)} | ${e.chosen.ef} | ${e.chosen.recall.toFixed(4)} | ${ms(e.chosen.p50Ms)} | ${ms(e.chosen.p95Ms)} | ${saved} |`,
      );
    }
    lines.push(`| ${r.size} | exact (brute force) | f32 | | | 1 | ${ms(r.exactP50Ms)} | | |`);
  }
  lines.push('', 'Sweeps (ef: recall@10 / p50 ms):', '');
  for (const r of results) {
    for (const e of r.engines) {
      lines.push(`- ${r.size} ${e.engine} ${e.quantization}: ${e.sweep.map((p) => `${p.ef}: ${p.recall.toFixed(4)} / ${ms(p.p50Ms)}`).join(', ')}`);
    }
  }
  return lines.join('\n');
}

const numbers = (text: string): number[] => text.split(',').map((s) => Number(s.trim()));

export function parseIndexBenchArgs(argv: readonly string[]): IndexBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '100000' },
      quant: { type: 'string', default: 'f32,i8' },
      dim: { type: 'string', default: '512' },
      clusters: { type: 'string', default: '1000' },
      queries: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      connectivity: { type: 'string', default: '16' },
      'expansion-add': { type: 'string', default: '128' },
      ef: { type: 'string', default: '8,12,16,24,32,48,64,96,128,192,256,384,512' },
      'target-recall': { type: 'string', default: '0.95' },
      threads: { type: 'string', default: String(availableParallelism()) },
      'no-hnswlib': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const quantizations = values.quant.split(',').map((q) => q.trim());
  for (const q of quantizations) if (!['f32', 'f16', 'i8'].includes(q)) throw new Error(`unknown quantization ${q}`);
  const options: IndexBenchOptions = {
    sizes: numbers(values.sizes),
    quantizations: quantizations as Quantization[],
    dim: Number(values.dim),
    clusters: Number(values.clusters),
    queries: Number(values.queries),
    k: 10,
    seed: Number(values.seed),
    connectivity: Number(values.connectivity),
    expansionAdd: Number(values['expansion-add']),
    efs: numbers(values.ef).sort((a, b) => a - b),
    targetRecall: Number(values['target-recall']),
    threads: Number(values.threads),
    hnswlib: !values['no-hnswlib'],
    outDir: values.out,
  };
  const counts = [...options.sizes, ...options.efs, options.dim, options.clusters, options.queries, options.connectivity, options.expansionAdd, options.threads];
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('sizes, ef, dim, clusters, queries, connectivity, expansion-add and threads must be positive integers');
  return options;
}

export async function main(argv: readonly string[]): Promise<void> {
  const options = parseIndexBenchArgs(argv);
  const results = await runIndexBench(options);
  const report = markdownReport(options, results);
  process.stdout.write(`${report}\n`);
  mkdirSync(options.outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = join(options.outDir, `index-${stamp}.json`);
  const machine = { cpu: cpus()[0]?.model, cores: availableParallelism(), memoryBytes: totalmem(), node: process.version };
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), machine, options, results }, null, 2));
  log(`wrote ${path}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
