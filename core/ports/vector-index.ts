export type Quantization = 'f32' | 'f16' | 'i8';

export interface IndexHit {
  readonly id: string;
  /** Cosine similarity in [-1, 1]. */
  readonly score: number;
}

export interface IndexSearchOptions {
  /** Ids that must not be returned (already shown and rejected). */
  readonly exclude?: ReadonlySet<string>;
  /**
   * Only ids this accepts may be returned (what the searcher may see). The search stays exact
   * for k: when the graph yields too few accepted ids, it falls back to an exact scan.
   */
  readonly accept?: (id: string) => boolean;
  /** Brute-force search over the stored vectors instead of the graph. */
  readonly exact?: boolean;
}

/** Cosine nearest-neighbour index over string image ids. */
export interface VectorIndex {
  readonly dim: number;
  readonly size: number;
  readonly quantization: Quantization;
  add(ids: readonly string[], vectors: readonly Float32Array[]): void;
  remove(ids: readonly string[]): void;
  has(id: string): boolean;
  /** The stored (unquantised) vector of an image, for relevance feedback. */
  vectorOf(id: string): Float32Array | undefined;
  search(query: Float32Array, k: number, options?: IndexSearchOptions): IndexHit[];
  /**
   * Exact 0-based rank of one image under a query: how many non-excluded images score strictly
   * higher. Images scoring exactly as high (duplicates) do not count, so an image ranks ahead
   * of its ties. An image that is itself excluded (shown and rejected by the searcher) is a
   * miss from then on: its rank is the index size, past every other image, so no Hits@K counts
   * it. Evaluation only (Hits@K and BRI need the target's rank beyond the top k); the
   * strategies never call it. Throws UNKNOWN_IMAGE for an id not in the index.
   */
  rankOf(query: Float32Array, id: string, options?: Pick<IndexSearchOptions, 'exclude'>): number;
  /** Writes index, vectors and id map atomically into the folder. */
  save(dir: string): Promise<void>;
}
