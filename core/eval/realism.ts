/**
 * The simulation's realism knobs of one run, recorded in results.json as diagnostics: each one
 * makes the simulated world or user less perfect than it is by default, and none is ever tuned
 * toward a winner (see docs/evaluation.md).
 */
export interface RealismKnobs {
  /** The scripted searcher's chance of misperceiving each fact of a picture it is shown; null for other searchers. */
  readonly perceptionNoise: number | null;
  /** The chance of corrupting each attribute of a caption as the `verbal` strategy reads it (0: lossless captions). */
  readonly captionNoise: number;
  /** The world's share of near-duplicate scenes (from its manifest); null for archives not built as Scenes worlds. */
  readonly nearDuplicateRate: number | null;
}
