import { exactSearch, Matches, MetricKind } from 'usearch';
import type { VectorRows } from './vector-rows.js';

export interface RowMatch {
  readonly row: number;
  /** Cosine distance, 1 - cosine similarity. */
  readonly distance: number;
}

// Below this many rows a scan is cheaper on one thread than starting a pool of them.
const PARALLEL_SCAN_ROWS = 32_768;

/**
 * Brute-force k nearest rows by cosine distance, skipping some rows. Uses usearch's SIMD
 * exactSearch: fast, and the same f32 cosine kernel as an f32 graph, so scores agree.
 */
export function exactNearest(
  rows: VectorRows,
  query: Float32Array,
  k: number,
  skip: ReadonlySet<number>,
  threads: number,
): RowMatch[] {
  const own = ownBuffer(query);
  const found: RowMatch[] = [];
  for (const block of rows.blocks()) {
    const blockRows = block.data.length / rows.dim;
    const skipped = countInRange(skip, block.firstRow, block.firstRow + blockRows);
    const wanted = Math.min(blockRows, k + skipped);
    const matches = scan(block.data, own, rows.dim, wanted, threads);
    matches.keys.forEach((key, i) => {
      const row = block.firstRow + Number(key);
      if (!skip.has(row)) found.push({ row, distance: matches.distances[i] as number });
    });
  }
  return found.sort(byDistanceThenRow).slice(0, k);
}

/**
 * How many rows, other than `target` and the skipped ones, are strictly closer to the query
 * than `target`: its exact 0-based rank. Every distance, the target's included, comes from the
 * same SIMD kernel, so ties and near-ties are judged consistently: rows exactly as far as the
 * target (duplicates) do not count, so the target ranks ahead of its ties. Nothing is sorted:
 * one pass computes every distance and counts the closer ones.
 */
export function countCloser(
  rows: VectorRows,
  query: Float32Array,
  target: number,
  skip: ReadonlySet<number>,
  threads: number,
): number {
  const own = ownBuffer(query);
  // The target's distance in its block is bit-identical to this one (same kernel, same data),
  // so the target itself is never "strictly closer" and needs no check in the loop.
  const targetDistance = distancesTo(own, rows.row(target), rows.dim, 1)[0] as number;
  let closer = 0;
  for (const block of rows.blocks()) {
    const distances = distancesTo(own, block.data, rows.dim, threads);
    for (let i = 0; i < distances.length; i++) if ((distances[i] as number) < targetDistance) closer++;
    for (const row of skip) {
      const distance = distances[row - block.firstRow];
      if (distance !== undefined && distance < targetDistance) closer--;
    }
  }
  return closer;
}

/**
 * The cosine distance from the query to every row, in row order. usearch's exactSearch with
 * the roles swapped: each row is a "query" against a one-row dataset (the query), so each gets
 * its distance and nothing is sorted, where asking for all rows by distance would sort them
 * all. Cosine is symmetric in the kernel too (same products, same sums), so the distances are
 * bit-identical to those of a search the usual way round.
 */
function distancesTo(query: Float32Array, data: Float32Array, dim: number, threads: number): Float32Array {
  const rowCount = data.length / dim;
  return exactSearch(query, data, dim, 1, MetricKind.Cos, rowCount < PARALLEL_SCAN_ROWS ? 1 : threads).distances;
}

/**
 * Exact distances for a few candidate rows, best k first: re-scores what a quantised graph
 * found with the f32 kernel, so that scores and order match exact search.
 */
export function rescore(rows: VectorRows, query: Float32Array, candidates: readonly number[], k: number): RowMatch[] {
  const matches = scan(rows.gather(candidates), ownBuffer(query), rows.dim, Math.min(k, candidates.length), 1);
  return Array.from(matches.keys, (key, i) => ({ row: candidates[Number(key)] as number, distance: matches.distances[i] as number }));
}

function scan(data: Float32Array, query: Float32Array, dim: number, wanted: number, threads: number): Matches {
  if (wanted <= 0) return new Matches(new BigUint64Array(0), new Float32Array(0));
  const blockRows = data.length / dim;
  const result = exactSearch(data, query, dim, wanted, MetricKind.Cos, blockRows < PARALLEL_SCAN_ROWS ? 1 : threads);
  if (!(result instanceof Matches)) throw new Error('exact search of one query returned a batch');
  return result;
}

// usearch's exactSearch reads from the start of the underlying ArrayBuffer, ignoring a
// typed array's byteOffset, so a query that is a view into a larger buffer must be copied.
function ownBuffer(v: Float32Array): Float32Array {
  return v.byteOffset === 0 ? v : v.slice();
}

function countInRange(set: ReadonlySet<number>, from: number, to: number): number {
  let n = 0;
  for (const v of set) if (v >= from && v < to) n++;
  return n;
}

const byDistanceThenRow = (a: RowMatch, b: RowMatch): number => a.distance - b.distance || a.row - b.row;
