import { MirageError, notSupported } from '../errors.js';
import type { GeneratedImage, GenerateRequest, Generator } from '../ports/generator.js';
import type { ModelBundle } from '../ports/model-bundle.js';
import { describeModelFolder, type InstalledModel } from './installed-models.js';
import type { ModelRegistry } from './model-registry.js';

/** Turns installed model folders into loaded models (the ONNX adapter in production). */
export interface ModelLoaders {
  /** An embedder bundle (image and text towers) whose embedderId is model.id. */
  clip(model: InstalledModel): Promise<ModelBundle>;
  generator(model: InstalledModel): Promise<Generator>;
}

/** The generator preset preferred when several diffusion folders are installed. */
export const PREFERRED_GENERATOR = 'sd-turbo';

/**
 * Registers every installed embedder under its folder name. Each gets the installed generator
 * (sd-turbo when present) for generative search; without one, a generative round on that
 * archive fails with NOT_SUPPORTED, while text search and ingestion work.
 */
export function registerInstalledModels(registry: ModelRegistry, models: readonly InstalledModel[], loaders: ModelLoaders): ModelRegistry {
  const diffusion = models.filter((m) => m.kind === 'diffusion');
  const chosen = diffusion.find((m) => m.id === PREFERRED_GENERATOR) ?? diffusion[0];
  const generator = chosen ? new LazyGenerator(chosen, loaders) : undefined;
  for (const model of models.filter((m) => m.kind === 'clip')) {
    registry.register(model.id, async () => {
      const bundle = await loaders.clip(model);
      return generator ? { ...bundle, generator } : bundle;
    });
  }
  return registry;
}

/**
 * Registers model folders by path (tests, or models kept outside the models folder): each is
 * named after its folder, and a diffusion folder among them serves the embedders' generator.
 */
export function registerModelFolders(registry: ModelRegistry, dirs: readonly string[], loaders: ModelLoaders): ModelRegistry {
  const models = dirs.map((dir) => {
    const model = describeModelFolder(dir);
    if (!model) throw notSupported(`${dir} holds no model Mirage recognises (no mirage-model.json, and no preset's ONNX files).`);
    return model;
  });
  return registerInstalledModels(registry, models, loaders);
}

/**
 * A generator loaded on first use: an ingestion run needs only the image tower, and must not
 * pay for loading a UNet of gigabytes. A failed load is retried on the next request.
 */
class LazyGenerator implements Generator {
  readonly id: string;
  private loading: Promise<Generator> | undefined;

  constructor(
    private readonly model: InstalledModel,
    private readonly loaders: ModelLoaders,
  ) {
    this.id = model.id;
  }

  async generate(request: GenerateRequest): Promise<GeneratedImage[]> {
    this.loading ??= this.loaders.generator(this.model);
    let generator: Generator;
    try {
      generator = await this.loading;
    } catch (e) {
      this.loading = undefined;
      throw e instanceof MirageError ? e : new MirageError('MODEL_ERROR', `Loading generator "${this.id}" from ${this.model.dir} failed: ${String(e)}`, { cause: e });
    }
    return generator.generate(request);
  }
}
