import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer } from '../../../core/adapters/onnx/clip-tokenizer.js';
import { OnnxDiffusionGenerator, type DiffusionGeneratorOptions } from '../../../core/adapters/onnx/diffusion-generator.js';
import { SD_TURBO_SCHEDULER } from '../../../core/adapters/onnx/euler-scheduler.js';
import { createDiffusionGenerator } from '../../../core/adapters/onnx/onnx-bundles.js';
import { openOnnxSession, type OnnxSession } from '../../../core/adapters/onnx/ort-session.js';
import type { GeneratedImage } from '../../../core/ports/generator.js';
import { Prng } from '../../../core/random/prng.js';
import { deriveSeed } from '../../../core/random/seed.js';
import { copyFixture, fixture } from './fixture-paths.js';

interface Feed { readonly type: string; readonly dims: readonly number[]; readonly first: number }
type Calls = Record<'text' | 'unet' | 'vae', Record<string, Feed>[]>;
/** Full values fed to and returned by each call of a float32 part. */
interface Exchange { readonly inputs: Record<string, Float32Array>; readonly outputs: Record<string, Float32Array> }

const floats = (t: Tensor) => Float32Array.from(t.data as ArrayLike<number | bigint>, Number);

/** Opens a part of a fixture and records what the pipeline feeds it (element types, shapes, values) and gets back. */
async function recordedPart(path: string, label: string, log: Record<string, Feed>[], exchanges: Exchange[] = []): Promise<OnnxSession> {
  const part = await openOnnxSession(path, label);
  const session = new Proxy(part.session, {
    get(target, prop) {
      if (prop === 'run') {
        return async (feeds: Record<string, Tensor>, fetches: string[]) => {
          log.push(Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, { type: t.type, dims: [...t.dims], first: Number((t.data as ArrayLike<number | bigint>)[0]) }])));
          const results = await target.run(feeds, fetches);
          const values = (tensors: Record<string, Tensor>) => Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, floats(t)]));
          exchanges.push({ inputs: values(feeds), outputs: values(results as Record<string, Tensor>) });
          return results;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as InferenceSession;
  return { ...part, session };
}

async function recordedGenerator(name: string, options: DiffusionGeneratorOptions = {}) {
  const dir = fixture(name);
  const calls: Calls = { text: [], unet: [], vae: [] };
  const exchanges = { unet: [] as Exchange[], vae: [] as Exchange[] };
  const generator = new OnnxDiffusionGenerator(
    {
      tokenizer: await ClipTokenizer.load(join(dir, 'tokenizer')),
      textEncoder: await recordedPart(join(dir, 'text_encoder', 'model.onnx'), 'text encoder', calls.text),
      unet: await recordedPart(join(dir, 'unet', 'model.onnx'), 'unet', calls.unet, exchanges.unet),
      vaeDecoder: await recordedPart(join(dir, 'vae_decoder', 'model.onnx'), 'VAE decoder', calls.vae, exchanges.vae),
      scheduler: SD_TURBO_SCHEDULER,
    },
    options,
  );
  return { generator, calls, exchanges };
}

const bytesOf = (images: readonly GeneratedImage[]) => images.map((g) => Buffer.from(g.image.data).toString('base64'));

describe('OnnxDiffusionGenerator on the float32 fixture (int32 ids, int64 timestep, free batch and size)', () => {
  let generator: OnnxDiffusionGenerator;
  let calls: Calls;
  beforeAll(async () => {
    ({ generator, calls } = await recordedGenerator('sd-turbo', { size: 64, maxBatch: 4 }));
  });

  it('renders n distinct RGB images with seeds derived from the request seed', async () => {
    const images = await generator.generate({ text: 'a red car at night', seed: 7, n: 3 });
    expect(images.map((g) => g.seed)).toEqual([0, 1, 2].map((i) => deriveSeed(7, i)));
    for (const { image } of images) {
      expect([image.width, image.height]).toEqual([64, 64]);
      expect(image.data).toHaveLength(64 * 64 * 3);
      expect(new Set(image.data).size).toBeGreaterThan(20);
    }
    expect(new Set(bytesOf(images)).size).toBe(3);
  });

  it('repeats itself byte for byte for the same seed and changes with the seed or the text', async () => {
    const request = { text: 'a blue boat on the beach', seed: 42, n: 2 };
    const first = bytesOf(await generator.generate(request));
    expect(bytesOf(await generator.generate(request))).toEqual(first);
    expect(bytesOf(await generator.generate({ ...request, seed: 43 }))[0]).not.toBe(first[0]);
    expect(bytesOf(await generator.generate({ ...request, text: 'a white cat' }))[0]).not.toBe(first[0]);
  });

  it('feeds each input in the type and shape the model declares, batching the images', async () => {
    calls.text.length = calls.unet.length = calls.vae.length = 0;
    await generator.generate({ text: 'a dog', seed: 1, n: 3 });
    expect(calls.text).toEqual([{ input_ids: expect.objectContaining({ type: 'int32', dims: [1, 77] }) }]);
    expect(calls.unet).toHaveLength(1);
    expect(calls.unet[0]).toEqual({
      sample: expect.objectContaining({ type: 'float32', dims: [3, 4, 8, 8] }),
      timestep: { type: 'int64', dims: [3], first: 999 },
      encoder_hidden_states: expect.objectContaining({ type: 'float32', dims: [3, 77, 16] }),
    });
    expect(calls.vae).toEqual([{ latent_sample: expect.objectContaining({ type: 'float32', dims: [3, 4, 8, 8] }) }]);
  });

  it('follows the SD-Turbo one-step arithmetic from seeded noise to pixels', async () => {
    const { generator: traced, exchanges } = await recordedGenerator('sd-turbo', { size: 64 });
    const [generated] = await traced.generate({ text: 'a red car', seed: 9, n: 1 });
    const sigma = 14.614641229333646;
    // Initial latents: standard Gaussian noise from the image's own seed, times σ_999.
    const prng = new Prng(deriveSeed(9, 0));
    const x = Float32Array.from({ length: 4 * 8 * 8 }, () => prng.gaussian() * sigma);
    const unet = exchanges.unet[0]!;
    // UNet input: x / √(σ² + 1) = x · 0.0682649
    unet.inputs['sample']!.forEach((v, i) => expect(v).toBeCloseTo(x[i]! * 0.0682649, 4));
    // VAE input: x0 / 0.18215 with x0 = x − σ · ε
    const eps = unet.outputs['out_sample']!;
    const vae = exchanges.vae[0]!;
    vae.inputs['latent_sample']!.forEach((v, i) => expect(v).toBeCloseTo((x[i]! - sigma * eps[i]!) / 0.18215, 2));
    // Pixels: (y / 2 + 0.5) clamped to [0, 1], times 255, channel planes interleaved to RGB.
    const y = vae.outputs['sample']!;
    const plane = 64 * 64;
    for (const p of [0, 1, 777, 4095]) {
      for (let c = 0; c < 3; c++) {
        expect(generated!.image.data[p * 3 + c]).toBe(Math.round(Math.min(1, Math.max(0, y[c * plane + p]! / 2 + 0.5)) * 255));
      }
    }
  });

  it('gives the same images in smaller batches', async () => {
    const { generator: oneByOne, calls: small } = await recordedGenerator('sd-turbo', { size: 64, maxBatch: 1 });
    const request = { text: 'a yellow house', seed: 5, n: 3 };
    const together = await generator.generate(request);
    const apart = await oneByOne.generate(request);
    expect(small.unet.map((c) => c['sample']?.dims[0])).toEqual([1, 1, 1]);
    const largestDifference = Math.max(...apart.map((g, i) => g.image.data.reduce((m, v, j) => Math.max(m, Math.abs(v - together[i]!.image.data[j]!)), 0)));
    expect(largestDifference).toBeLessThanOrEqual(1);
  });

  it('takes several Euler steps when asked, reporting progress after each UNet call', async () => {
    const { generator: twoStep, calls: log } = await recordedGenerator('sd-turbo', { size: 64, steps: 2, maxBatch: 2 });
    const progress: [number, number][] = [];
    const images = await twoStep.generate({ text: 'a cat', seed: 3, n: 3, onStep: (step, total) => progress.push([step, total]) });
    // 3 images in batches of 2 + 1, two steps each: timesteps 999 then 499.
    expect(progress).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    expect(log.unet.map((c) => [c['timestep']?.first, c['sample']?.dims[0]])).toEqual([[999, 2], [499, 2], [999, 1], [499, 1]]);
    const oneStep = await generator.generate({ text: 'a cat', seed: 3, n: 1 });
    expect(Buffer.from(images[0]!.image.data).equals(Buffer.from(oneStep[0]!.image.data))).toBe(false);
  });

  it('renders other sizes, since this UNet leaves its latent size free', async () => {
    const { generator: wide } = await recordedGenerator('sd-turbo', { size: 96 });
    const [image] = await wide.generate({ text: 'sky', seed: 1, n: 1 });
    expect([image!.image.width, image!.image.height]).toEqual([96, 96]);
  });

  it('stops between steps when the signal aborts', async () => {
    const controller = new AbortController();
    const { generator: fourStep, calls: log } = await recordedGenerator('sd-turbo', { size: 64, steps: 4 });
    const run = fourStep.generate({ text: 'a tree', seed: 1, n: 1, signal: controller.signal, onStep: (step) => step === 1 && controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(log.unet).toHaveLength(1);
    expect(log.vae).toHaveLength(0);
  });

  it('rejects bad requests and sizes with INVALID_INPUT', async () => {
    for (const n of [0, 17, 1.5]) await expect(generator.generate({ text: 'x', seed: 1, n })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(recordedGenerator('sd-turbo', { size: 100 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/multiple of 8/) });
    await expect(recordedGenerator('sd-turbo', { steps: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('OnnxDiffusionGenerator on the float16 fixture (int64 ids, float timestep, fixed batch 1 and 64x64)', () => {
  it('converts to the declared dtypes, runs one image per UNet call and takes its size from the model', async () => {
    const { generator, calls } = await recordedGenerator('sd-turbo-fp16', { maxBatch: 4 });
    expect([generator.width, generator.height]).toEqual([64, 64]);
    const images = await generator.generate({ text: 'a green mountain at sunset', seed: 11, n: 3 });
    expect(new Set(bytesOf(images)).size).toBe(3);
    expect(bytesOf(await generator.generate({ text: 'a green mountain at sunset', seed: 11, n: 3 }))).toEqual(bytesOf(images));
    expect(calls.text[0]).toEqual({ input_ids: expect.objectContaining({ type: 'int64', dims: [1, 77] }) });
    expect(calls.unet.slice(0, 3)).toEqual(new Array(3).fill({
      sample: expect.objectContaining({ type: 'float16', dims: [1, 4, 8, 8] }),
      timestep: { type: 'float32', dims: [1], first: 999 },
      encoder_hidden_states: expect.objectContaining({ type: 'float16', dims: [1, 77, 16] }),
    }));
    expect(calls.vae[0]).toEqual({ latent_sample: expect.objectContaining({ type: 'float16', dims: [1, 4, 8, 8] }) });
  });

  it('refuses a size the model cannot make', async () => {
    await expect(recordedGenerator('sd-turbo-fp16', { size: 128 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/only makes 64x64/) });
  });
});

describe('createDiffusionGenerator', () => {
  it('loads a diffusers-layout folder and generates', async () => {
    const generator = await createDiffusionGenerator(fixture('sd-turbo'), { id: 'sd-fixture', size: 64 });
    expect(generator.id).toBe('sd-fixture');
    expect(generator.schedule.timesteps).toEqual([999]);
    const images = await generator.generate({ text: 'a photo of a dog', seed: 1, n: 2 });
    expect(images).toHaveLength(2);
  });

  it('fails clearly for a missing folder, a missing part and a part in the wrong place', async () => {
    await expect(createDiffusionGenerator(fixture('nowhere'))).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/diffusion model folder .*nowhere does not exist/) });
    const { dir, cleanup } = await copyFixture('sd-turbo');
    try {
      await copyFile(join(dir, 'vae_decoder', 'model.onnx'), join(dir, 'unet', 'model.onnx'));
      await expect(createDiffusionGenerator(dir, { size: 64 })).rejects.toMatchObject({
        code: 'MODEL_ERROR',
        message: expect.stringMatching(/unet .* has inputs \[latent_sample\] but Mirage feeds \[sample, timestep, encoder_hidden_states\]/),
      });
      await rm(join(dir, 'vae_decoder', 'model.onnx'));
      await expect(createDiffusionGenerator(dir, { size: 64 })).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/VAE decoder model file .*vae_decoder\/model\.onnx does not exist/) });
    } finally {
      await cleanup();
    }
  });

  it('explains that a GPU-only export cannot run on the CPU', async () => {
    const { dir, cleanup } = await copyFixture('sd-turbo');
    try {
      await copyFile(fixture('unet-cuda-only', 'model.onnx'), join(dir, 'unet', 'model.onnx'));
      await expect(createDiffusionGenerator(dir, { size: 64 })).rejects.toMatchObject({
        code: 'MODEL_ERROR',
        message: expect.stringMatching(/unet .* uses GroupNorm\(1\), which ONNX Runtime has no CPU kernel for: this export only runs on a GPU/),
      });
    } finally {
      await cleanup();
    }
  });

  it('rejects a scheduler config it cannot follow, naming the file', async () => {
    const { dir, cleanup } = await copyFixture('sd-turbo');
    try {
      const path = join(dir, 'scheduler', 'scheduler_config.json');
      await writeFile(path, JSON.stringify({ beta_schedule: 'squaredcos_cap_v2' }));
      await expect(createDiffusionGenerator(dir)).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining(`${path}: beta_schedule`) });
    } finally {
      await cleanup();
    }
  });
});
