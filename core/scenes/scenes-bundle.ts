import type { ModelBundle } from '../ports/model-bundle.js';
import { ScenesAttributeReader } from './scenes-attribute-reader.js';
import { ScenesImageEmbedder } from './scenes-image-embedder.js';
import { ScenesGenerator } from './scene-generator.js';
import { ScenesTextEmbedder } from './scenes-text-embedder.js';

export const SCENES_EMBEDDER_ID = 'scenes';

/** The offline world's models: no weights, everything procedural. */
export function createScenesBundle(): ModelBundle {
  const imageEmbedder = new ScenesImageEmbedder();
  return {
    embedderId: SCENES_EMBEDDER_ID,
    imageEmbedder,
    // Six completions keep a text query to a few milliseconds, which the evaluation needs
    // (four of five strategies embed a new description every round); more barely moves ranks.
    textEmbedder: new ScenesTextEmbedder(imageEmbedder, { samples: 6 }),
    generator: new ScenesGenerator(),
    attributes: new ScenesAttributeReader(),
  };
}
