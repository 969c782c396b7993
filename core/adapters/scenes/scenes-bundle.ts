import type { ModelBundle } from '../../ports/model-bundle.js';
import { ScenesAttributeReader } from './attribute-reader.js';
import { ScenesImageEmbedder } from './image-embedder.js';
import { ScenesGenerator } from './scene-generator.js';
import { ScenesTextEmbedder } from './text-embedder.js';

export const SCENES_EMBEDDER_ID = 'scenes';

/** The offline world's models: no weights, everything procedural. */
export function createScenesBundle(): ModelBundle {
  const imageEmbedder = new ScenesImageEmbedder();
  return {
    embedderId: SCENES_EMBEDDER_ID,
    imageEmbedder,
    textEmbedder: new ScenesTextEmbedder(imageEmbedder),
    generator: new ScenesGenerator(),
    attributes: new ScenesAttributeReader(),
  };
}
