import type { ModelBundle } from '../ports/model-bundle.js';
import type { TextEmbedder } from '../ports/text-embedder.js';
import { ScenesAttributeReader } from './scenes-attribute-reader.js';
import { ScenesImageEmbedder } from './scenes-image-embedder.js';
import { ScenesGenerator } from './scene-generator.js';
import { ScenesOracleTextEmbedder } from './scenes-oracle-text-embedder.js';
import { ScenesTextTower } from './text-tower/scenes-text-tower.js';

export const SCENES_EMBEDDER_ID = 'scenes';

/**
 * Which text tower serves descriptions: 'learned' (the default; text-tower/) or 'oracle', the
 * upper bound that renders completions with the world's own parser, priors and renderer.
 */
export type ScenesTextTowerKind = 'learned' | 'oracle';

export interface ScenesBundleOptions {
  readonly textTower?: ScenesTextTowerKind;
}

/** The offline world's models: procedural, but for the small committed text tower weights. */
export function createScenesBundle(options: ScenesBundleOptions = {}): ModelBundle {
  const imageEmbedder = new ScenesImageEmbedder();
  return {
    embedderId: SCENES_EMBEDDER_ID,
    imageEmbedder,
    textEmbedder: textTower(options.textTower ?? 'learned', imageEmbedder),
    generator: new ScenesGenerator(),
    attributes: new ScenesAttributeReader(),
  };
}

function textTower(kind: ScenesTextTowerKind, imageEmbedder: ScenesImageEmbedder): TextEmbedder {
  // Six completions keep an oracle text query to a few milliseconds, which the evaluation needs
  // (four of five strategies embed a new description every round); more barely moves ranks.
  return kind === 'oracle' ? new ScenesOracleTextEmbedder(imageEmbedder, { samples: 6 }) : new ScenesTextTower();
}
