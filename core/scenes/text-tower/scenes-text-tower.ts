import { invalidInput } from '../../errors.js';
import type { TextEmbedder } from '../../ports/text-embedder.js';
import { loadTextTower, type LoadedTextTower } from './text-tower-model.js';

let committed: LoadedTextTower | undefined;

/** The committed weights, read (and their version checked) once per process. */
function committedTower(): LoadedTextTower {
  committed ??= loadTextTower();
  return committed;
}

/**
 * The learned text tower of the Scenes world, the `text` tower of every strategy: hashed word
 * features mapped linearly into the image embedding space (docs/text-tower.md). Trained on a
 * reserved world only; it knows nothing of the parser, priors or renderer.
 */
export class ScenesTextTower implements TextEmbedder {
  readonly id: string;
  readonly dim: number;
  readonly version: string;

  constructor(private readonly tower: LoadedTextTower = committedTower()) {
    this.version = tower.header.version;
    this.id = `scenes-text-tower@${this.version}`;
    this.dim = tower.header.dim;
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      if (text.trim() === '') throw invalidInput('Cannot embed an empty description.');
      return this.tower.model.embed(text);
    });
  }
}
