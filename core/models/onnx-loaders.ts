import type { ExecutionProvider } from '../adapters/onnx/ort-session.js';
import type { InstalledModel } from './installed-models.js';
import type { ModelLoaders } from './installed-bundles.js';

export interface OnnxLoaderOptions {
  readonly executionProvider: ExecutionProvider;
}

/**
 * Loads installed folders with the ONNX Runtime adapter. Imported on first use, so that a
 * Scenes-only run never loads the ONNX Runtime library.
 */
export function onnxLoaders(options: OnnxLoaderOptions): ModelLoaders {
  return {
    async clip(model: InstalledModel) {
      const { createClipBundle } = await import('../adapters/onnx/onnx-bundles.js');
      // The roles name the files, and a variant may mix precisions (mobileclip-s0 quantized).
      const { vision, text } = model.roles;
      return createClipBundle(model.dir, {
        embedderId: model.id,
        executionProvider: options.executionProvider,
        ...(vision !== undefined && text !== undefined ? { files: { vision, text } } : {}),
      });
    },
    async generator(model: InstalledModel) {
      const { createDiffusionGenerator } = await import('../adapters/onnx/onnx-bundles.js');
      return createDiffusionGenerator(model.dir, { id: model.id, executionProvider: options.executionProvider });
    },
  };
}
