import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClipBundle } from '../../../core/adapters/onnx/onnx-bundles.js';
import type { RawImage } from '../../../core/images/raw-image.js';
import type { ModelBundle } from '../../../core/ports/model-bundle.js';
import { Prng } from '../../../core/random/prng.js';
import { copyFixture, fixture } from './fixture-paths.js';

function noiseImage(seed: number, width: number, height: number): RawImage {
  const prng = new Prng(seed);
  return { data: Uint8Array.from({ length: width * height * 3 }, () => prng.int(0, 255)), width, height };
}

const norm = (v: Float32Array) => Math.hypot(...v);

describe('ONNX CLIP embedders on the fixture model', () => {
  let bundle: ModelBundle;
  beforeAll(async () => {
    bundle = await createClipBundle(fixture('clip'), { embedderId: 'clip-fixture', batchSize: 4 });
  });

  it('reports the embedding size the model declares, the same for images and texts', () => {
    expect(bundle.embedderId).toBe('clip-fixture');
    expect(bundle.imageEmbedder.id).toBe('clip-fixture');
    expect(bundle.imageEmbedder.dim).toBe(32);
    expect(bundle.textEmbedder?.dim).toBe(32);
  });

  it('embeds images as unit vectors that depend on the pixels', async () => {
    const images = [noiseImage(1, 320, 240), noiseImage(2, 240, 320), noiseImage(3, 224, 224)];
    const vectors = await bundle.imageEmbedder.embedImages(images);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(32);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!));
  });

  it('gives the same vectors batched as one by one, across batch boundaries', async () => {
    const images = Array.from({ length: 6 }, (_, i) => noiseImage(10 + i, 250, 230)); // batches of 4 + 2
    const batched = await bundle.imageEmbedder.embedImages(images);
    for (const [i, image] of images.entries()) {
      const [alone] = await bundle.imageEmbedder.embedImages([image]);
      Array.from(alone!).forEach((x, j) => expect(x).toBeCloseTo(batched[i]![j]!, 5));
    }
    expect(await bundle.imageEmbedder.embedImages([])).toEqual([]);
  });

  it('embeds texts as unit vectors in the same space, batch-independent', async () => {
    const text = bundle.textEmbedder!;
    const texts = ['a red car at night', 'a blue boat on the beach', 'the green tree', 'a white cat', 'sunset'];
    const batched = await text.embedTexts(texts);
    expect(batched).toHaveLength(5);
    for (const v of batched) {
      expect(v).toHaveLength(bundle.imageEmbedder.dim);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    const [alone] = await text.embedTexts([texts[4]!]);
    Array.from(alone!).forEach((x, j) => expect(x).toBeCloseTo(batched[4]![j]!, 5));
    expect(Array.from(batched[0]!)).not.toEqual(Array.from(batched[1]!));
  });

  it('fails clearly when the model folder does not exist', async () => {
    await expect(createClipBundle(fixture('no-such-model'), { embedderId: 'x' })).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringMatching(/model folder .*no-such-model does not exist.*mirage models pull/),
    });
  });

  it('fails clearly when a tower file is missing, listing where it looked', async () => {
    const { dir, cleanup } = await copyFixture('clip');
    try {
      await rename(join(dir, 'onnx', 'text_model.onnx'), join(dir, 'onnx', 'text.onnx'));
      await expect(createClipBundle(dir, { embedderId: 'x' })).rejects.toMatchObject({
        code: 'MODEL_ERROR',
        message: expect.stringMatching(/No CLIP text model in .*onnx\/text_model\.onnx.*text_model_quantized\.onnx/),
      });
    } finally {
      await cleanup();
    }
  });

  it('finds a quantized variant when that is what the folder holds', async () => {
    const { dir, cleanup } = await copyFixture('clip');
    try {
      for (const tower of ['vision_model', 'text_model']) await rename(join(dir, 'onnx', `${tower}.onnx`), join(dir, 'onnx', `${tower}_quantized.onnx`));
      const quantized = await createClipBundle(dir, { embedderId: 'x' });
      expect(quantized.imageEmbedder.dim).toBe(32);
      await expect(createClipBundle(dir, { embedderId: 'x', variant: 'fp32' })).rejects.toMatchObject({ code: 'MODEL_ERROR' });
    } finally {
      await cleanup();
    }
  });

  it('refuses pooler_output from a CLIP text tower without its projection layer', async () => {
    // transformers' CLIPModel: text_embeds = text_projection(pooler_output). For ViT-B/32 the
    // pooled output has the embedding size (512) but is not in the image tower's space.
    await expect(createClipBundle(fixture('clip-unprojected'), { embedderId: 'x' })).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringMatching(/CLIP text model .*pooler_output but no text_embeds.*model_type "clip".*before its projection layer/s),
    });
    const { dir, cleanup } = await copyFixture('clip-unprojected');
    try {
      // With no config.json nothing says what the pooled output is: refused as well.
      await rm(join(dir, 'config.json'));
      await expect(createClipBundle(dir, { embedderId: 'x' })).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/pooler_output/) });
    } finally {
      await cleanup();
    }
  });

  it('accepts pooler_output where the model defines it as the embedding (SigLIP)', async () => {
    // transformers' SiglipModel: text_embeds = text_model(...).pooler_output (the head is inside).
    const { dir, cleanup } = await copyFixture('clip-unprojected');
    try {
      for (const modelType of ['siglip', 'siglip2']) {
        await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: modelType }));
        const siglip = await createClipBundle(dir, { embedderId: 'x' });
        expect(siglip.textEmbedder?.dim).toBe(32);
        const [v] = await siglip.textEmbedder!.embedTexts(['a red car']);
        expect(norm(v!)).toBeCloseTo(1, 5);
      }
    } finally {
      await cleanup();
    }
  });

  it('rejects towers swapped with each other, naming the inputs on both sides', async () => {
    const { dir, cleanup } = await copyFixture('clip');
    try {
      await rename(join(dir, 'onnx', 'text_model.onnx'), join(dir, 'onnx', 'tmp.onnx'));
      await rename(join(dir, 'onnx', 'vision_model.onnx'), join(dir, 'onnx', 'text_model.onnx'));
      await rename(join(dir, 'onnx', 'tmp.onnx'), join(dir, 'onnx', 'vision_model.onnx'));
      await expect(createClipBundle(dir, { embedderId: 'x' })).rejects.toMatchObject({
        code: 'MODEL_ERROR',
        message: expect.stringMatching(/CLIP vision model .* has inputs \[input_ids, attention_mask\] but Mirage feeds \[pixel_values\]/),
      });
    } finally {
      await cleanup();
    }
  });
});
