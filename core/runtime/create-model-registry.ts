import type { MirageConfig } from '../config/config.js';
import { registerInstalledModels } from '../models/installed-bundles.js';
import { findInstalledModels } from '../models/installed-models.js';
import { ModelRegistry } from '../models/model-registry.js';
import { onnxLoaders } from '../models/onnx-loaders.js';
import { createScenesBundle, SCENES_EMBEDDER_ID, type ScenesBundleOptions } from '../scenes/scenes-bundle.js';

/**
 * The Scenes bundle, plus every model folder installed under config.modelsDir: each embedder
 * under its folder name ("clip-vit-b32"), served with the installed generator (sd-turbo) when
 * there is one. Folders are found now; models load on first use. `scenes` picks the Scenes text
 * tower (the learned one unless an evaluation asks for the oracle).
 */
export function createModelRegistry(
  config: Pick<MirageConfig, 'modelsDir' | 'executionProvider'>,
  scenes: ScenesBundleOptions = {},
): ModelRegistry {
  const registry = new ModelRegistry().register(SCENES_EMBEDDER_ID, async () => createScenesBundle(scenes));
  const installed = findInstalledModels(config.modelsDir).filter((m) => m.id !== SCENES_EMBEDDER_ID);
  return registerInstalledModels(registry, installed, onnxLoaders({ executionProvider: config.executionProvider }));
}
