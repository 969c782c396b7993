import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/config.js';
import { createModelRegistry } from '../../core/runtime/create-model-registry.js';
import { registerInstalledModels, registerModelFolders, type ModelLoaders } from '../../core/models/installed-bundles.js';
import { describeModelFolder, findInstalledModels, type InstalledModel } from '../../core/models/installed-models.js';
import { MODEL_MANIFEST_FILE } from '../../core/models/model-manifest.js';
import { ModelRegistry } from '../../core/models/model-registry.js';
import type { Generator } from '../../core/ports/generator.js';
import type { ModelBundle } from '../../core/ports/model-bundle.js';
import { createScenesBundle } from '../../core/scenes/scenes-bundle.js';
import { tempDir } from '../ingest/image-files.js';

const FIXTURES = resolve('test/fixtures/models');
let modelsDir: string;

beforeAll(async () => {
  modelsDir = await tempDir('mirage-installed-');
  await symlink(join(FIXTURES, 'clip'), join(modelsDir, 'clip-vit-b32'));
  await symlink(join(FIXTURES, 'sd-turbo'), join(modelsDir, 'sd-turbo'));
  await symlink(join(FIXTURES, 'sd-turbo'), join(modelsDir, 'another-diffusion'));
  // A quantized CLIP copied by hand: only the _quantized towers are there.
  await mkdir(join(modelsDir, 'small-clip', 'onnx'), { recursive: true });
  await cp(join(FIXTURES, 'clip', 'onnx', 'vision_model.onnx'), join(modelsDir, 'small-clip', 'onnx', 'vision_model_quantized.onnx'));
  await cp(join(FIXTURES, 'clip', 'onnx', 'text_model.onnx'), join(modelsDir, 'small-clip', 'onnx', 'text_model_quantized.onnx'));
  await mkdir(join(modelsDir, 'notes'));
  await writeFile(join(modelsDir, 'notes', 'readme.txt'), 'not a model');
  await mkdir(join(modelsDir, '.cache'));
});

afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('findInstalledModels', () => {
  it('recognises model folders (linked or copied by hand) by their files, and passes over the rest', () => {
    const found = findInstalledModels(modelsDir);
    expect(found.map((m) => [m.id, m.kind, m.variant, m.pulled])).toEqual([
      ['another-diffusion', 'diffusion', undefined, false],
      ['clip-vit-b32', 'clip', 'fp32', false],
      ['sd-turbo', 'diffusion', undefined, false],
      ['small-clip', 'clip', 'quantized', false],
    ]);
    expect(found.find((m) => m.id === 'small-clip')?.roles).toEqual({ vision: 'onnx/vision_model_quantized.onnx', text: 'onnx/text_model_quantized.onnx' });
  });

  it('is empty for a models folder that does not exist', () => {
    expect(findInstalledModels(join(modelsDir, 'missing'))).toEqual([]);
  });

  it('reports a damaged manifest clearly', async () => {
    const dir = join(modelsDir, 'notes');
    await writeFile(join(dir, MODEL_MANIFEST_FILE), '{"format": 1, "kind": "clip"');
    try {
      expect(() => describeModelFolder(dir)).toThrow(/mirage-model\.json is not valid JSON; delete it and pull the model again/);
      await writeFile(join(dir, MODEL_MANIFEST_FILE), '{"format": 2}');
      expect(() => describeModelFolder(dir)).toThrow(/mirage-model\.json is malformed \(format: /);
    } finally {
      await rm(join(dir, MODEL_MANIFEST_FILE));
    }
  });
});

/** Counts loads, so the tests can tell what is loaded when. */
function countingLoaders(): ModelLoaders & { clips: string[]; generators: string[] } {
  const clips: string[] = [];
  const generators: string[] = [];
  const scenes = createScenesBundle();
  return {
    clips,
    generators,
    clip: async (model: InstalledModel): Promise<ModelBundle> => {
      clips.push(model.id);
      return { embedderId: model.id, imageEmbedder: scenes.imageEmbedder };
    },
    generator: async (model: InstalledModel): Promise<Generator> => {
      generators.push(model.id);
      return { id: `loaded-${model.id}`, generate: async () => [] };
    },
  };
}

describe('registerInstalledModels', () => {
  it('registers each embedder under its folder name and serves sd-turbo as their generator, loaded on first use', async () => {
    const loaders = countingLoaders();
    const registry = registerInstalledModels(new ModelRegistry(), findInstalledModels(modelsDir), loaders);
    expect(registry.ids()).toEqual(['clip-vit-b32', 'small-clip']);

    const bundle = await registry.bundleFor('clip-vit-b32');
    expect(loaders.clips).toEqual(['clip-vit-b32']);
    expect(bundle.generator?.id).toBe('sd-turbo');
    // Ingestion touches only the embedder: no generator is loaded until something generates.
    expect(loaders.generators).toEqual([]);
    await bundle.generator?.generate({ text: 'x', seed: 1, n: 1 });
    const other = await registry.bundleFor('small-clip');
    await other.generator?.generate({ text: 'y', seed: 2, n: 1 });
    expect(loaders.generators).toEqual(['sd-turbo']);
  });

  it('leaves the bundles without a generator when none is installed', async () => {
    const loaders = countingLoaders();
    const registry = registerModelFolders(new ModelRegistry(), [join(modelsDir, 'clip-vit-b32')], loaders);
    expect((await registry.bundleFor('clip-vit-b32')).generator).toBeUndefined();
    expect(() => registerModelFolders(new ModelRegistry(), [join(modelsDir, 'notes')], loaders)).toThrow(/holds no model Mirage recognises/);
  });

  it('retries a generator whose load failed', async () => {
    let attempts = 0;
    const loaders: ModelLoaders = {
      ...countingLoaders(),
      generator: async () => {
        if (++attempts === 1) throw new Error('CUDA out of memory');
        return { id: 'ok', generate: async () => [] };
      },
    };
    const registry = registerModelFolders(new ModelRegistry(), [join(modelsDir, 'clip-vit-b32'), join(modelsDir, 'sd-turbo')], loaders);
    const { generator } = await registry.bundleFor('clip-vit-b32');
    await expect(generator?.generate({ text: 'x', seed: 1, n: 1 })).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining('CUDA out of memory') });
    await expect(generator?.generate({ text: 'x', seed: 1, n: 1 })).resolves.toEqual([]);
  });

  it('is wired into the runtime: installed embedders appear beside scenes', () => {
    const registry = createModelRegistry(loadConfig({}, { modelsDir }));
    expect(registry.ids()).toEqual(['clip-vit-b32', 'scenes', 'small-clip']);
  });
});
