/**
 * Vector index benchmark, all engines in one run on the same clustered 512-d vectors and the
 * same held-out queries: the raw usearch binding, Mirage's USearch adapter (id mapping,
 * filtering, f32 rescoring of quantised graphs) and hnswlib-node, for each connectivity and
 * quantisation asked for. Each engine's search expansion ("ef") is swept upwards and reported
 * at the first setting reaching each target recall@10 (matched recall, not matched ef), with
 * single-query latency p50 / p95, build throughput, and the resident memory of a process that
 * opens the saved adapter index as a view and searches it.
 *
 *   npm run bench -- index --sizes 100000,1000000 [--quant f32,i8] [--connectivity 16,32]
 *
 * The raw binding and the adapter search the same saved graph, one query each in turn, so the
 * adapter / raw ratio is not skewed by a load change on the machine between two sweeps. Prints
 * Markdown tables and writes bench-results/index-<date>.json.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import hnswlib from 'hnswlib-node';
import { BatchMatches, exactSearch, Index, MetricKind, ScalarKind } from 'usearch';
import { createIndexFactory } from '../core/runtime/runtime.js';
import type { Quantization, VectorIndex } from '../core/ports/vector-index.js';
import { deriveSeed } from '../core/random/seed.js';
import { ClusteredVectors, rowsOf } from './clustered-vectors.js';

export interface IndexBenchOptions {
  readonly sizes: readonly number[];
  readonly quantizations: readonly Quantization[];
  readonly connectivities: readonly number[];
  readonly dim: number;
  readonly clusters: number;
  readonly queries: number;
  readonly k: number;
  readonly seed: number;
  readonly expansionAdd: number;
  /** Search expansions to try, ascending; a sweep stops once every target recall is reached. */
  readonly efs: readonly number[];
  /** Recall@k levels to report each engine at, ascending. */
  readonly targetRecalls: readonly number[];
  readonly threads: number;
  readonly hnswlib: boolean;
  /** Measure the resident memory of a view-opened adapter index in a child process. */
  readonly rss: boolean;
  readonly outDir: string;
}

type Engine = 'usearch-raw' | 'usearch-adapter' | 'hnswlib';

export interface SearchPoint {
  readonly ef: number;
  readonly recall: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

interface Operating {
  readonly targetRecall: number;
  /** The first sweep point reaching the target; undefined when none did. */
  readonly point?: SearchPoint;
}

export interface EngineResult {
  readonly engine: Engine;
  readonly quantization: Quantization;
  readonly connectivity: number;
  /** Build throughput; the raw binding shares the adapter's build (the same native add). */
  readonly vectorsPerSecond?: number;
  /** Bytes on disk of the saved index (graph + raw vectors + id map for the adapter). */
  readonly savedBytes?: number;
  /** Resident memory of a fresh process after opening the index as a view and searching. */
  readonly rss?: RssProbe;
  readonly sweep: readonly SearchPoint[];
  readonly operating: readonly Operating[];
}

interface RssProbe {
  readonly baselineBytes: number;
  readonly openedBytes: number;
  readonly searchedBytes: number;
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
const scalarKinds: Record<Quantization, ScalarKind> = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 };

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
  const queryFlat = clusters.sample(options.queries, deriveSeed(options.seed, 'queries', size));
  const queries = rowsOf(queryFlat, dim);
  log(`${size} vectors: exact ground truth`);
  const truth = groundTruth(base, queries, dim, k, options.threads);

  const engines: EngineResult[] = [];
  let exactP50Ms = Number.NaN;
  for (const connectivity of options.connectivities) {
    if (options.hnswlib) {
      engines.push(benchHnswlib(options, connectivity, base, queries, truth));
      collectGarbage();
    }
    for (const quantization of options.quantizations) {
      const pair = await benchUsearch(options, connectivity, quantization, base, queryFlat, truth, (index) => {
        if (Number.isNaN(exactP50Ms)) exactP50Ms = timeExact(index, queries.slice(0, EXACT_TIMING_QUERIES), k);
      });
      engines.push(...pair);
      collectGarbage();
    }
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
  connectivity: number,
  quantization: Quantization,
  base: Float32Array,
  queryFlat: Float32Array,
  truth: Uint32Array[],
  onBuilt: (index: VectorIndex) => void,
): Promise<EngineResult[]> {
  const { dim, k } = options;
  const size = base.length / dim;
  const queries = rowsOf(queryFlat, dim);
  const factory = (ef: number) =>
    createIndexFactory({ connectivity, expansionAdd: options.expansionAdd, expansionSearch: ef, threads: options.threads, exactBelow: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'mirage-index-bench-'));
  const label = `USearch ${quantization} M${connectivity}`;
  try {
    log(`${size} vectors: ${label} build`);
    let index: VectorIndex | undefined = factory(options.efs[0] ?? 64).create(dim, quantization);
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
    log(`${size} vectors: ${label} built in ${buildSeconds.toFixed(1)} s`);
    onBuilt(index);
    await index.save(dir);
    const savedBytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    index = undefined;
    collectGarbage();
    // Keys were handed out 0, 1, 2, ... in row order, so a raw key is the row the truth names.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { graph: string } };
    const graphPath = join(dir, manifest.files.graph);

    // The JS API fixes the search expansion when an index is made, so each ef is a fresh load.
    const raw: SearchPoint[] = [];
    const adapter: SearchPoint[] = [];
    const top = Math.max(...options.targetRecalls);
    for (const ef of options.efs) {
      const graph = new Index({ dimensions: dim, metric: MetricKind.Cos, quantization: scalarKinds[quantization], connectivity, expansion_add: options.expansionAdd, expansion_search: ef, multi: false });
      graph.load(graphPath);
      const loaded = await factory(ef).load(dir);
      const [r, a] = measurePair(ef, queries, truth, k, [
        (q) => Array.from(graph.search(q, k, 1).keys, Number),
        (q) => loaded.search(q, k).map((h) => Number(h.id.slice(1))),
      ]);
      log(`${label} ef ${ef}: raw recall ${r.recall.toFixed(4)} p50 ${r.p50Ms.toFixed(3)} ms; adapter recall ${a.recall.toFixed(4)} p50 ${a.p50Ms.toFixed(3)} ms`);
      raw.push(r);
      adapter.push(a);
      collectGarbage();
      if (settled(raw, top) && settled(adapter, top)) break;
    }
    const adapterOperating = operatingPoints(adapter, options.targetRecalls);
    const rssEf = adapterOperating[0]?.point?.ef;
    const rss = options.rss && rssEf !== undefined ? await probeRss(dir, rssEf, queryFlat, dim, k) : undefined;
    const common = { quantization, connectivity };
    return [
      { engine: 'usearch-raw', ...common, sweep: raw, operating: operatingPoints(raw, options.targetRecalls) },
      {
        engine: 'usearch-adapter',
        ...common,
        vectorsPerSecond: size / buildSeconds,
        savedBytes,
        ...(rss ? { rss } : {}),
        sweep: adapter,
        operating: adapterOperating,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchHnswlib(options: IndexBenchOptions, connectivity: number, base: Float32Array, queries: Float32Array[], truth: Uint32Array[]): EngineResult {
  const { dim, k } = options;
  const size = base.length / dim;
  log(`${size} vectors: hnswlib M${connectivity} build (single-threaded: its Node binding adds one point per call)`);
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.initIndex({ maxElements: size, m: connectivity, efConstruction: options.expansionAdd, randomSeed: options.seed });
  const started = performance.now();
  for (let i = 0; i < size; i++) index.addPoint(Array.from(base.subarray(i * dim, (i + 1) * dim)), i);
  const buildSeconds = (performance.now() - started) / 1000;
  log(`${size} vectors: hnswlib M${connectivity} built in ${buildSeconds.toFixed(1)} s`);
  const sweep: SearchPoint[] = [];
  const top = Math.max(...options.targetRecalls);
  for (const ef of options.efs) {
    index.setEf(ef);
    // Converting the query to a plain array is part of every hnswlib-node call, so it is timed.
    const [point] = measurePair(ef, queries, truth, k, [(q) => index.searchKnn(Array.from(q), k).neighbors]);
    log(`hnswlib M${connectivity} ef ${ef}: recall@${k} ${point.recall.toFixed(4)}, p50 ${point.p50Ms.toFixed(3)} ms`);
    sweep.push(point);
    if (settled(sweep, top)) break;
  }
  return {
    engine: 'hnswlib',
    quantization: 'f32',
    connectivity,
    vectorsPerSecond: size / buildSeconds,
    sweep,
    operating: operatingPoints(sweep, options.targetRecalls),
  };
}

type Search = (q: Float32Array) => readonly number[];

/** Times several searches of the same index state query by query, taking turns. */
function measurePair<T extends readonly Search[]>(ef: number, queries: Float32Array[], truth: Uint32Array[], k: number, searches: readonly [...T]): { [I in keyof T]: SearchPoint } {
  for (const q of queries.slice(0, WARMUP_QUERIES)) for (const search of searches) search(q);
  const latencies = searches.map(() => [] as number[]);
  const hits = searches.map(() => 0);
  queries.forEach((q, i) => {
    const expected = new Set(truth[i]);
    searches.forEach((search, s) => {
      const started = process.hrtime.bigint();
      const found = search(q);
      (latencies[s] as number[]).push(Number(process.hrtime.bigint() - started) / 1e6);
      hits[s] = (hits[s] as number) + found.filter((row) => expected.has(row)).length;
    });
  });
  const points = searches.map((_, s) => ({
    ef,
    recall: (hits[s] as number) / (queries.length * k),
    p50Ms: percentile(latencies[s] as number[], 0.5),
    p95Ms: percentile(latencies[s] as number[], 0.95),
  }));
  return points as { [I in keyof T]: SearchPoint };
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

// A sweep ends when it reaches the top recall asked for, or when four more ef steps gained
// less than 0.001 (a quantised graph without rescoring levels off below 1).
const PLATEAU_STEPS = 4;
function settled(sweep: readonly SearchPoint[], top: number): boolean {
  const last = sweep.at(-1);
  const before = sweep.at(-1 - PLATEAU_STEPS);
  return last !== undefined && (last.recall >= top || (before !== undefined && last.recall - before.recall < 0.001));
}

/** For each target recall, the first (cheapest) ef of the ascending sweep reaching it. */
function operatingPoints(sweep: readonly SearchPoint[], targets: readonly number[]): Operating[] {
  return targets.map((targetRecall) => {
    const point = sweep.find((p) => p.recall >= targetRecall);
    return point ? { targetRecall, point } : { targetRecall };
  });
}

// ---- resident memory of a view-opened index, measured in a fresh process ----

interface RssRequest {
  readonly dir: string;
  readonly queriesPath: string;
  readonly dim: number;
  readonly k: number;
  readonly expansionSearch: number;
}

async function probeRss(dir: string, expansionSearch: number, queryFlat: Float32Array, dim: number, k: number): Promise<RssProbe> {
  const queriesPath = join(dir, 'bench-queries.f32');
  writeFileSync(queriesPath, new Uint8Array(queryFlat.buffer, queryFlat.byteOffset, queryFlat.byteLength));
  const request: RssRequest = { dir, queriesPath, dim, k, expansionSearch };
  const child = fork(fileURLToPath(import.meta.url), ['--rss-probe', JSON.stringify(request)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    return await new Promise<RssProbe>((resolve, reject) => {
      child.once('message', (m) => resolve(m as RssProbe));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`rss probe exited with ${code}`)));
    });
  } finally {
    child.kill();
    rmSync(queriesPath, { force: true });
  }
}

async function rssProbeChild(request: RssRequest): Promise<void> {
  const baselineBytes = process.memoryUsage().rss;
  const index = await createIndexFactory({ expansionSearch: request.expansionSearch, exactBelow: 0 }).load(request.dir, { view: true });
  const openedBytes = process.memoryUsage().rss;
  const bytes = readFileSync(request.queriesPath);
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  for (const q of rowsOf(flat, request.dim)) index.search(q, request.k);
  const searchedBytes = process.memoryUsage().rss;
  process.send?.({ baselineBytes, openedBytes, searchedBytes } satisfies RssProbe);
}

// ---- report ----

export function markdownReport(options: IndexBenchOptions, results: readonly SizeResult[]): string {
  const ms = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(3));
  const mb = (v: number | undefined) => (v === undefined ? '' : (v / 1e6).toFixed(0));
  const at = (e: EngineResult, target: number) => e.operating.find((o) => o.targetRecall === target)?.point;
  const targets = options.targetRecalls;
  const lines = [
    `Index benchmark: ${options.dim}-d, ${options.clusters} clusters, ${options.queries} held-out queries, recall@${options.k} vs exact f32, ` +
      `expansion_add ${options.expansionAdd}, ${options.threads} build threads, single-query search on one thread; ` +
      `${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}. Each engine at the first ef reaching each recall.`,
    '',
    `| vectors | M | engine | quant | build vec/s | ${targets.map((t) => `≥${t}: ef | recall | p50 ms | p95 ms`).join(' | ')} | view RSS MB (opened / after searches) | saved MB |`,
    `|---:|---:|---|---|---:|${targets.map(() => '---:|---:|---:|---:').join('|')}|---:|---:|`,
  ];
  for (const r of results) {
    for (const e of r.engines) {
      const cells = targets.map((t) => {
        const p = at(e, t);
        return p ? `${p.ef} | ${p.recall.toFixed(4)} | ${ms(p.p50Ms)} | ${ms(p.p95Ms)}` : 'not reached | | |';
      });
      const rss = e.rss ? `${mb(e.rss.openedBytes)} / ${mb(e.rss.searchedBytes)} (bare node ${mb(e.rss.baselineBytes)})` : '';
      const build = e.vectorsPerSecond === undefined ? 'same as adapter' : e.vectorsPerSecond.toFixed(0);
      lines.push(`| ${r.size} | ${e.connectivity} | ${e.engine} | ${e.quantization} | ${build} | ${cells.join(' | ')} | ${rss} | ${mb(e.savedBytes)} |`);
    }
    lines.push(`| ${r.size} | | exact (brute force, adapter) | f32 | | | 1 | ${ms(r.exactP50Ms)} | |${targets.slice(1).map(() => ' | | | |').join('')} | |`);
  }
  lines.push('', 'Ratios of p50 at matched recall (adapter / raw binding; USearch adapter / hnswlib-node at the same connectivity):', '');
  lines.push(`| vectors | M | quant | ${targets.map((t) => `adapter/raw ≥${t} | adapter/hnswlib ≥${t}`).join(' | ')} |`);
  lines.push(`|---:|---:|---|${targets.map(() => '---:|---:').join('|')}|`);
  const ratio = (a: SearchPoint | undefined, b: SearchPoint | undefined) => (a && b ? (a.p50Ms / b.p50Ms).toFixed(2) : '–');
  for (const r of results) {
    for (const adapter of r.engines.filter((e) => e.engine === 'usearch-adapter')) {
      const raw = r.engines.find((e) => e.engine === 'usearch-raw' && e.connectivity === adapter.connectivity && e.quantization === adapter.quantization);
      const peer = r.engines.find((e) => e.engine === 'hnswlib' && e.connectivity === adapter.connectivity);
      const cells = targets.map((t) => `${ratio(at(adapter, t), raw && at(raw, t))} | ${ratio(at(adapter, t), peer && at(peer, t))}`);
      lines.push(`| ${r.size} | ${adapter.connectivity} | ${adapter.quantization} | ${cells.join(' | ')} |`);
    }
  }
  lines.push('', 'Sweeps (ef: recall@10 / p50 ms):', '');
  for (const r of results) {
    for (const e of r.engines) {
      lines.push(`- ${r.size} M${e.connectivity} ${e.engine} ${e.quantization}: ${e.sweep.map((p) => `${p.ef}: ${p.recall.toFixed(4)} / ${ms(p.p50Ms)}`).join(', ')}`);
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
      connectivity: { type: 'string', default: '16,32' },
      dim: { type: 'string', default: '512' },
      clusters: { type: 'string', default: '1000' },
      queries: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'expansion-add': { type: 'string', default: '128' },
      ef: { type: 'string', default: '10,12,16,20,24,32,40,48,64,80,96,128,160,192,256,320,384,512' },
      'target-recall': { type: 'string', default: '0.95,0.99' },
      threads: { type: 'string', default: String(availableParallelism()) },
      'no-hnswlib': { type: 'boolean', default: false },
      'no-rss': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const quantizations = values.quant.split(',').map((q) => q.trim());
  for (const q of quantizations) if (!['f32', 'f16', 'i8'].includes(q)) throw new Error(`unknown quantization ${q}`);
  const options: IndexBenchOptions = {
    sizes: numbers(values.sizes),
    quantizations: quantizations as Quantization[],
    connectivities: numbers(values.connectivity),
    dim: Number(values.dim),
    clusters: Number(values.clusters),
    queries: Number(values.queries),
    k: 10,
    seed: Number(values.seed),
    expansionAdd: Number(values['expansion-add']),
    efs: numbers(values.ef).sort((a, b) => a - b),
    targetRecalls: numbers(values['target-recall']).sort((a, b) => a - b),
    threads: Number(values.threads),
    hnswlib: !values['no-hnswlib'],
    rss: !values['no-rss'],
    outDir: values.out,
  };
  const counts = [...options.sizes, ...options.efs, ...options.connectivities, options.dim, options.clusters, options.queries, options.expansionAdd, options.threads];
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('sizes, ef, dim, clusters, queries, connectivity, expansion-add and threads must be positive integers');
  if (options.targetRecalls.some((r) => !(r > 0 && r <= 1))) throw new Error('target recalls must lie in (0, 1]');
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
  const probe = process.argv.indexOf('--rss-probe');
  if (probe >= 0) await rssProbeChild(JSON.parse(process.argv[probe + 1] as string) as RssRequest);
  else await main(process.argv.slice(2));
}
