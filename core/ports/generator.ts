import type { RawImage } from '../images/raw-image.js';

export interface GenerateRequest {
  readonly text: string;
  /** Seed of the first image; image i uses a seed derived from (seed, i). */
  readonly seed: number;
  readonly n: number;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: number, total: number) => void;
}

export interface GeneratedImage {
  readonly image: RawImage;
  readonly seed: number;
  /**
   * What the generator says it drew, when it can say (the Scenes world returns its scene).
   * Stored with the round so a simulated searcher can "perceive" the feedback; never read by
   * the engine or the strategies.
   */
  readonly interpretation?: Readonly<Record<string, unknown>>;
}

/** Text-to-image model: renders the system's understanding of a description. */
export interface Generator {
  readonly id: string;
  generate(request: GenerateRequest): Promise<GeneratedImage[]>;
}
