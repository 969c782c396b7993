import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClipBundle } from '../../core/adapters/onnx/onnx-bundles.js';
import { describeModelFolder } from '../../core/models/installed-models.js';
import { pullModel } from '../../core/models/model-pull.js';
import { onnxLoaders } from '../../core/models/onnx-loaders.js';
import { findPreset } from '../../core/models/presets.js';
import { Prng } from '../../core/random/prng.js';
import { tempDir } from '../ingest/image-files.js';
import { FakeHub } from './fake-hub.js';

const CLIP = resolve('test/fixtures/models/clip');
/** transformers.js suffixes of weight-quantized files (8-bit and 4-bit). */
const QUANTIZED = /_(quantized|int8|uint8|q4|bnb4)\.onnx$/;

describe('mobileclip-s0 quantized', () => {
  let hub: FakeHub;
  let modelsDir: string;
  beforeAll(async () => {
    // The hub repository holds every tower in every precision. Its int8 vision tower is served
    // here as the text tower's bytes, so that opening it as the image tower fails.
    const fixture = (file: string) => readFile(join(CLIP, file));
    hub = await FakeHub.start(findPreset('mobileclip-s0')?.repo as string, [
      { path: 'onnx/vision_model.onnx', bytes: await fixture('onnx/vision_model.onnx'), lfs: true },
      { path: 'onnx/vision_model_quantized.onnx', bytes: await fixture('onnx/text_model.onnx'), lfs: true },
      { path: 'onnx/text_model.onnx', bytes: await fixture('onnx/text_model.onnx'), lfs: true },
      { path: 'onnx/text_model_quantized.onnx', bytes: await fixture('onnx/text_model.onnx'), lfs: true },
      { path: 'tokenizer.json', bytes: await fixture('tokenizer.json') },
      { path: 'tokenizer_config.json', bytes: await fixture('tokenizer_config.json') },
      { path: 'preprocessor_config.json', bytes: await fixture('preprocessor_config.json') },
    ]);
    modelsDir = await tempDir('mirage-mobileclip-');
  });
  afterAll(async () => {
    await hub.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('pairs a full-precision vision tower with the quantized text tower', () => {
    // The model's own transformers.js config keeps the vision model in fp32; its int8 vision
    // tower was measured broken (0.37 cosine similarity between two copies of one image).
    const variant = findPreset('mobileclip-s0')?.variants['quantized'];
    expect(variant?.roles['vision']).toMatch(/^onnx\/vision_model(_fp16)?\.onnx$/);
    expect(variant?.roles['text']).toMatch(QUANTIZED);
    expect(variant?.include.filter((path) => path.startsWith('onnx/vision_model')).every((path) => !QUANTIZED.test(path))).toBe(true);
  });

  it('is pulled and loaded with exactly the files its roles name', async () => {
    const report = await pullModel({ preset: 'mobileclip-s0', variant: 'quantized', modelsDir, hubUrl: hub.url, unpinned: true });
    expect(hub.downloadsOf('onnx/vision_model_quantized.onnx')).toEqual([]);
    const model = describeModelFolder(report.dir);
    expect(model).toMatchObject({ preset: 'mobileclip-s0', variant: 'quantized', roles: { vision: 'onnx/vision_model.onnx', text: 'onnx/text_model_quantized.onnx' } });

    const bundle = await onnxLoaders({ executionProvider: 'cpu' }).clip(model!);
    const reference = await createClipBundle(CLIP, { embedderId: 'reference' });
    const prng = new Prng(5);
    const image = { data: Uint8Array.from({ length: 240 * 200 * 3 }, () => prng.int(0, 255)), width: 240, height: 200 };
    const [[mine], [theirs]] = await Promise.all([bundle.imageEmbedder.embedImages([image]), reference.imageEmbedder.embedImages([image])]);
    expect(Array.from(mine!)).toEqual(Array.from(theirs!));
    const [[text], [referenceText]] = await Promise.all([bundle.textEmbedder!.embedTexts(['a red car']), reference.textEmbedder!.embedTexts(['a red car'])]);
    expect(Array.from(text!)).toEqual(Array.from(referenceText!));
  });
});
