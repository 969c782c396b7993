import { MirageError, invalidInput, notSupported } from '../../errors.js';
import type { IndexHit, IndexSearchOptions, Quantization, VectorIndex } from '../../ports/vector-index.js';
import type { Index } from 'usearch';
import { countCloser, exactNearest, rescore, type RowMatch } from './exact-search.js';
import { createGraph, type GraphBuild } from './graph.js';
import type { IdMap } from './id-map.js';
import { MemoryVectors } from './memory-vectors.js';
import { writeSavedIndex } from './saved-index.js';
import type { UsearchTuning } from './usearch-tuning.js';
import type { VectorRows } from './vector-rows.js';

export interface UsearchIndexParts {
  readonly dim: number;
  readonly quantization: Quantization;
  readonly graph: Index;
  readonly build: GraphBuild;
  readonly vectors: VectorRows;
  readonly ids: IdMap;
  readonly tuning: UsearchTuning;
  /** A memory-mapped graph cannot change. */
  readonly readOnly: boolean;
}

// How many times k candidates a quantised (f16, i8) graph search re-scores in f32.
const RESCORE_OVERSAMPLING = 2;

/**
 * VectorIndex on a USearch HNSW graph, plus what USearch lacks: string ids (IdMap), the raw f32
 * vectors (vectorOf, exact search, rebuild) and filtered search (over-fetch, then drop the
 * excluded ids).
 *
 * Adding an id that is already present replaces its vector (so re-ingesting is idempotent);
 * an id listed twice in one add is INVALID_INPUT. Removing an absent id does nothing.
 */
export class UsearchVectorIndex implements VectorIndex {
  readonly dim: number;
  readonly quantization: Quantization;
  private graph: Index;
  private readonly build: GraphBuild;
  private readonly vectors: VectorRows;
  private readonly ids: IdMap;
  private readonly tuning: UsearchTuning;
  private readonly readOnly: boolean;

  constructor(parts: UsearchIndexParts) {
    this.dim = parts.dim;
    this.quantization = parts.quantization;
    this.graph = parts.graph;
    this.build = parts.build;
    this.vectors = parts.vectors;
    this.ids = parts.ids;
    this.tuning = parts.tuning;
    this.readOnly = parts.readOnly;
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.rowOfId(id) !== undefined;
  }

  vectorOf(id: string): Float32Array | undefined {
    const row = this.ids.rowOfId(id);
    return row === undefined ? undefined : this.vectors.row(row);
  }

  add(ids: readonly string[], vectors: readonly Float32Array[]): void {
    const store = this.writableVectors('add to');
    if (ids.length !== vectors.length) {
      throw invalidInput(`add got ${ids.length} ids but ${vectors.length} vectors.`);
    }
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      checkId(id);
      if (seen.has(id)) throw invalidInput(`Image id "${id}" appears twice in one add.`);
      seen.add(id);
      this.checkVector(vectors[i], `The vector of image "${id}"`);
    });
    if (ids.length === 0) return;
    this.remove(ids.filter((id) => this.has(id)));
    const keys = BigUint64Array.from(ids, (id) => BigInt(this.ids.append(id)));
    this.graph.add(keys, store.append(vectors), this.tuning.threads);
  }

  remove(ids: readonly string[]): void {
    const store = this.writableVectors('remove from');
    ids.forEach(checkId);
    const rows = ids.map((id) => this.ids.rowOfId(id)).filter((row): row is number => row !== undefined);
    if (rows.length === 0) return;
    this.graph.remove(BigUint64Array.from(rows, (row) => BigInt(this.ids.keyAt(row))));
    // Look each row up again: every swapRemove may move the last row into an earlier gap.
    for (const id of new Set(ids)) {
      const row = this.ids.rowOfId(id);
      if (row === undefined) continue;
      this.ids.swapRemove(row);
      store.swapRemove(row);
    }
  }

  search(query: Float32Array, k: number, options: IndexSearchOptions = {}): IndexHit[] {
    this.checkVector(query, 'The query vector');
    if (!Number.isInteger(k) || k < 1) throw invalidInput(`k must be a positive integer, got ${k}.`);
    const skip = this.rowsOf(options.exclude);
    const wanted = Math.min(k, this.size - skip.size);
    if (wanted <= 0) return [];
    const { accept } = options;
    const usable = accept === undefined ? (row: number) => !skip.has(row) : (row: number) => !skip.has(row) && accept(this.ids.idAt(row));
    // An exact scan needs every unusable row up front; the graph checks only what it returns.
    const allSkipped = () => (accept === undefined ? skip : this.rowsWhere((row) => !usable(row)));
    const matches =
      options.exact === true || this.size < this.tuning.exactBelow
        ? exactNearest(this.vectors, query, wanted, allSkipped(), this.tuning.threads)
        : this.graphNearest(query, wanted, skip.size, usable, allSkipped);
    return matches.map((m) => ({ id: this.ids.idAt(m.row), score: 1 - m.distance }));
  }

  rankOf(query: Float32Array, id: string, options: Pick<IndexSearchOptions, 'exclude'> = {}): number {
    this.checkVector(query, 'The query vector');
    const row = this.ids.rowOfId(id);
    if (row === undefined) throw new MirageError('UNKNOWN_IMAGE', `Image "${id}" is not in the index.`);
    if (options.exclude?.has(id) === true) return this.size;
    return countCloser(this.vectors, query, row, this.rowsOf(options.exclude), this.tuning.threads);
  }

  /**
   * Rebuilds the graph from the stored vectors. USearch only marks removed entries, which keep
   * costing memory and search time; a rebuild after many removals drops them.
   */
  rebuild(): void {
    const store = this.writableVectors('rebuild');
    const graph = createGraph(this.dim, this.quantization, this.build, this.tuning.expansionSearch);
    const [block] = store.blocks();
    if (block !== undefined) {
      graph.add(BigUint64Array.from({ length: this.size }, (_, row) => BigInt(this.ids.keyAt(row))), block.data, this.tuning.threads);
    }
    this.graph = graph;
  }

  /**
   * The state is captured synchronously when the save starts (USearch's own save is
   * synchronous anyway): at the call, or when an earlier save into the same folder still
   * running ends. Changes made after that are not included.
   */
  save(dir: string): Promise<void> {
    return writeSavedIndex(dir, () => ({
      header: { dim: this.dim, quantization: this.quantization, ...this.build, count: this.size },
      writeGraph: (path) => this.graph.save(path),
      vectors: this.vectors,
      ids: this.ids.toJSON(),
    }));
  }

  /**
   * USearch cannot filter, so ask for the candidates wanted plus the number of excluded ids;
   * the graph may still return fewer usable ones (approximate, entries it cannot reach, or ids
   * the caller does not accept), so double and retry, and fall back to an exact scan once the
   * whole index would be fetched. A quantised graph's distances are approximate: it fetches a
   * few times more candidates and re-scores them exactly from the stored f32 vectors.
   */
  private graphNearest(
    query: Float32Array,
    wanted: number,
    excluded: number,
    usable: (row: number) => boolean,
    allSkipped: () => ReadonlySet<number>,
  ): RowMatch[] {
    const quantised = this.quantization !== 'f32';
    const candidates = Math.min(this.size - excluded, quantised ? wanted * RESCORE_OVERSAMPLING : wanted);
    for (let fetch = candidates + excluded; fetch < this.size; fetch *= 2) {
      const found = this.graph.search(query, fetch, 1);
      const matches: RowMatch[] = [];
      for (let i = 0; i < found.keys.length; i++) {
        const row = this.ids.rowOfKey(Number(found.keys[i]));
        if (row !== undefined && usable(row)) matches.push({ row, distance: found.distances[i] as number });
      }
      if (matches.length >= candidates) {
        const best = matches.slice(0, candidates);
        return quantised ? rescore(this.vectors, query, best.map((m) => m.row), wanted) : best;
      }
    }
    return exactNearest(this.vectors, query, wanted, allSkipped(), this.tuning.threads);
  }

  private rowsWhere(test: (row: number) => boolean): Set<number> {
    const rows = new Set<number>();
    for (let row = 0; row < this.size; row++) if (test(row)) rows.add(row);
    return rows;
  }

  private rowsOf(ids: ReadonlySet<string> | undefined): Set<number> {
    const rows = new Set<number>();
    for (const id of ids ?? []) {
      const row = this.ids.rowOfId(id);
      if (row !== undefined) rows.add(row);
    }
    return rows;
  }

  private writableVectors(action: string): MemoryVectors {
    if (this.readOnly || !(this.vectors instanceof MemoryVectors)) {
      throw notSupported(`Cannot ${action} a memory-mapped (view) index; load it without view to change it.`);
    }
    return this.vectors;
  }

  private checkVector(v: Float32Array | undefined, what: string): asserts v is Float32Array {
    if (!(v instanceof Float32Array)) throw invalidInput(`${what} must be a Float32Array.`);
    if (v.length !== this.dim) throw invalidInput(`${what} has ${v.length} dimensions; this index has ${this.dim}.`);
    let squares = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as number;
      if (!Number.isFinite(x)) throw invalidInput(`${what} contains ${x}.`);
      squares += x * x;
    }
    // Cosine similarity is undefined for a zero vector.
    if (squares === 0) throw invalidInput(`${what} is all zeros.`);
  }
}

function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw invalidInput(`Image ids must be non-empty strings, got ${JSON.stringify(id)}.`);
}
