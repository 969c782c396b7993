/**
 * Exact-rank benchmark: the cost of one `rankOf` (how many stored vectors are strictly closer to
 * a query than the target) at several archive sizes, 512-d clustered vectors in memory.
 *
 *   npm run bench -- rank [--sizes 10000,100000,1000000] [--queries 20] [--threads 1]
 *
 * Three ways to the same count, each checked to give identical ranks:
 * - before: what the adapter did until issue 13, kept here only as the reference: usearch's
 *   exactSearch asked for every row sorted by distance, then a JS pass over the BigInt keys;
 * - plain JS: a scalar cosine loop in f64, the cost of doing it without SIMD (its ranks may differ
 *   on near-ties, since it rounds differently; reported, not required to match);
 * - now: the adapter's countCloser, one unsorted SIMD pass (exactSearch with the roles swapped).
 * Prints Markdown and writes bench-results/rank-<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exactSearch, MetricKind } from 'usearch';
import { countCloser } from '../core/adapters/usearch/exact-search.js';
import { MemoryVectors } from '../core/adapters/usearch/memory-vectors.js';
import { Prng } from '../core/random/prng.js';
import { deriveSeed } from '../core/random/seed.js';
import { ClusteredVectors, rowsOf } from './clustered-vectors.js';
import { percentile } from './stats.js';

interface RankBenchOptions {
  readonly sizes: readonly number[];
  readonly dim: number;
  readonly queries: number;
  /** Rows excluded per query (a session's rejected images). */
  readonly excluded: number;
  readonly threads: number;
  readonly seed: number;
  readonly outDir: string;
}

interface Method {
  readonly p50Ms: number;
  readonly p95Ms: number;
}

interface RankSizeResult {
  readonly size: number;
  readonly before: Method;
  readonly plainJs: Method;
  readonly now: Method;
  /** Queries whose rank from `now` equals `before` (must be all). */
  readonly identicalToBefore: number;
  /** Queries whose rank from the f64 JS loop equals `now` (near-ties may differ). */
  readonly plainJsAgrees: number;
}

const GENERATE_CHUNK = 50_000;
const log = (message: string) => process.stderr.write(`[rank-bench] ${message}\n`);

/** The pre-issue-13 countCloser: every row sorted by distance, keys converted one by one. */
function countCloserBefore(rows: MemoryVectors, query: Float32Array, target: number, skip: ReadonlySet<number>, threads: number): number {
  const [block] = rows.blocks();
  if (block === undefined) return 0;
  const own = query.byteOffset === 0 ? query : query.slice();
  const targetDistance = exactSearch(rows.row(target), own, rows.dim, 1, MetricKind.Cos, 1).distances[0] as number;
  const all = exactSearch(block.data, own, rows.dim, rows.count, MetricKind.Cos, threads);
  let closer = 0;
  all.distances.forEach((distance, i) => {
    const row = Number(all.keys[i]);
    if (distance < targetDistance && row !== target && !skip.has(row)) closer++;
  });
  return closer;
}

/** Scalar cosine in f64 over every row: no SIMD, no native call. */
function countCloserPlainJs(data: Float32Array, dim: number, query: Float32Array, target: number, skip: ReadonlySet<number>): number {
  const rowCount = data.length / dim;
  let qq = 0;
  for (let j = 0; j < dim; j++) qq += (query[j] as number) ** 2;
  const distance = (row: number) => {
    let qr = 0;
    let rr = 0;
    for (let j = 0, o = row * dim; j < dim; j++, o++) {
      const x = data[o] as number;
      qr += (query[j] as number) * x;
      rr += x * x;
    }
    return 1 - qr / Math.sqrt(qq * rr);
  };
  const targetDistance = distance(target);
  let closer = 0;
  for (let row = 0; row < rowCount; row++) if (row !== target && !skip.has(row) && distance(row) < targetDistance) closer++;
  return closer;
}

function time(f: () => number): { ms: number; value: number } {
  const started = process.hrtime.bigint();
  const value = f();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

const summary = (ms: readonly number[]): Method => ({ p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) });

function benchSize(options: RankBenchOptions, size: number): RankSizeResult {
  const { dim } = options;
  log(`${size} vectors: generating`);
  const clusters = new ClusteredVectors(dim, 1000, options.seed);
  const rows = new MemoryVectors(dim, size);
  for (let first = 0; first < size; first += GENERATE_CHUNK) {
    const count = Math.min(GENERATE_CHUNK, size - first);
    rows.append(rowsOf(clusters.sample(count, deriveSeed(options.seed, 'rank-base', size, first)), dim));
  }
  const [block] = rows.blocks();
  const data = (block as { data: Float32Array }).data;
  const queries = rowsOf(clusters.sample(options.queries, deriveSeed(options.seed, 'rank-queries', size)), dim);
  const prng = new Prng(deriveSeed(options.seed, 'rank-targets', size));
  const before: number[] = [];
  const plainJs: number[] = [];
  const now: number[] = [];
  let identicalToBefore = 0;
  let plainJsAgrees = 0;
  log(`${size} vectors: ranking ${queries.length} targets three ways`);
  for (const query of queries) {
    const target = prng.int(0, size - 1);
    const skip = new Set(Array.from({ length: options.excluded }, () => prng.int(0, size - 1)));
    skip.delete(target);
    // Warm each path once per size (first-call costs are not what a long evaluation pays).
    if (now.length === 0) {
      countCloserBefore(rows, query, target, skip, options.threads);
      countCloser(rows, query, target, skip, options.threads);
    }
    const a = time(() => countCloserBefore(rows, query, target, skip, options.threads));
    const b = time(() => countCloserPlainJs(data, dim, query, target, skip));
    const c = time(() => countCloser(rows, query, target, skip, options.threads));
    before.push(a.ms);
    plainJs.push(b.ms);
    now.push(c.ms);
    if (a.value === c.value) identicalToBefore++;
    if (b.value === c.value) plainJsAgrees++;
  }
  return { size, before: summary(before), plainJs: summary(plainJs), now: summary(now), identicalToBefore, plainJsAgrees };
}

function markdownReport(options: RankBenchOptions, results: readonly RankSizeResult[]): string {
  const ms = (v: number) => v.toFixed(2);
  const lines = [
    `rankOf benchmark: ${options.dim}-d clustered vectors in memory, ${options.queries} targets per size, ${options.excluded} excluded rows each, ` +
      `${options.threads} thread(s); ${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}.`,
    '',
    '| vectors | before p50 ms (exactSearch, full sort) | plain JS p50 ms | now p50 ms (one SIMD pass) | now p95 ms | before / now | ranks identical to before |',
    '|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.size} | ${ms(r.before.p50Ms)} | ${ms(r.plainJs.p50Ms)} | ${ms(r.now.p50Ms)} | ${ms(r.now.p95Ms)} | ${(r.before.p50Ms / r.now.p50Ms).toFixed(2)} | ${r.identicalToBefore}/${options.queries} (plain JS agrees ${r.plainJsAgrees}/${options.queries}) |`,
    );
  }
  return lines.join('\n');
}

const numbers = (text: string): number[] => text.split(',').map((s) => Number(s.trim()));

function parseRankBenchArgs(argv: readonly string[]): RankBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '10000,100000,1000000' },
      dim: { type: 'string', default: '512' },
      queries: { type: 'string', default: '20' },
      excluded: { type: 'string', default: '30' },
      threads: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const options: RankBenchOptions = {
    sizes: numbers(values.sizes),
    dim: Number(values.dim),
    queries: Number(values.queries),
    excluded: Number(values.excluded),
    threads: Number(values.threads),
    seed: Number(values.seed),
    outDir: values.out,
  };
  const counts = [...options.sizes, options.dim, options.queries, options.threads];
  if (counts.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(options.excluded) || options.excluded < 0) {
    throw new Error('sizes, dim, queries and threads must be positive integers, excluded a non-negative one');
  }
  return options;
}

export async function main(argv: readonly string[]): Promise<void> {
  const options = parseRankBenchArgs(argv);
  const results = options.sizes.map((size) => benchSize(options, size));
  process.stdout.write(`${markdownReport(options, results)}\n`);
  mkdirSync(options.outDir, { recursive: true });
  const path = join(options.outDir, `rank-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version };
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), machine, options, results }, null, 2));
  log(`wrote ${path}`);
}
