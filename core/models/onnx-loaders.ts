import type { ExecutionProvider } from '../adapters/onnx/ort-session.js';
import type { ClipVariant } from '../adapters/onnx/onnx-bundles.js';
import type { InstalledModel } from './installed-models.js';
import type { ModelLoaders } from './installed-bundles.js';

const CLIP_VARIANTS: ReadonlySet<string> = new Set<ClipVariant>(['fp32', 'fp16', 'quantized', 'int8', 'uint8', 'q4', 'bnb4']);

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
      return createClipBundle(model.dir, {
        embedderId: model.id,
        executionProvider: options.executionProvider,
        ...(model.variant !== undefined && CLIP_VARIANTS.has(model.variant) ? { variant: model.variant as ClipVariant } : {}),
      });
    },
    async generator(model: InstalledModel) {
      const { createDiffusionGenerator } = await import('../adapters/onnx/onnx-bundles.js');
      return createDiffusionGenerator(model.dir, { id: model.id, executionProvider: options.executionProvider });
    },
  };
}
