import { availableParallelism } from 'node:os';

/** Knobs of the USearch adapter; defaults come from bench/index-bench.ts (see its report). */
export interface UsearchTuning {
  /** Graph degree (HNSW "M"). Fixed when an index is created; a loaded index keeps its own. */
  readonly connectivity: number;
  /** Candidate list size while inserting. Saved with the index, used for later adds. */
  readonly expansionAdd: number;
  /** Candidate list size while searching (HNSW "ef"); a search-time setting. */
  readonly expansionSearch: number;
  /** Threads for batch adds and large exact scans. */
  readonly threads: number;
  /**
   * Indexes with fewer vectors than this are searched exactly. A brute-force scan of a couple
   * of thousand 512-d vectors costs about as much as a graph search, is exact, and is not
   * subject to HNSW's weak spots on tiny, freshly built graphs.
   */
  readonly exactBelow: number;
}

export const defaultTuning = (): UsearchTuning => ({
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 64,
  threads: availableParallelism(),
  exactBelow: 2000,
});
