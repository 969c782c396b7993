import { describe, expect, it } from 'vitest';
import { openOnnxSession, withOpenSessions, type OnnxSession } from '../../../core/adapters/onnx/ort-session.js';
import { numericTensor, readFloats } from '../../../core/adapters/onnx/tensors.js';
import { fixture } from './fixture-paths.js';

// This machine (and CI) has no CUDA: asking for it must warn and fall back to the CPU.
describe('openOnnxSession', () => {
  it('opens a local model on the CPU by default and reads its signature from the file', async () => {
    const warnings: string[] = [];
    const vae = await openOnnxSession(fixture('sd-turbo-fp16', 'vae_decoder', 'model.onnx'), 'VAE decoder', { onWarning: (m) => warnings.push(m) });
    expect(vae.provider).toBe('cpu');
    expect(warnings).toEqual([]);
    expect(vae.signature.input('latent_sample')).toEqual({ name: 'latent_sample', type: 'float16', shape: ['batch', 4, 'latent_height', 'latent_width'] });
    expect(vae.signature.inputType('latent_sample', ['float32', 'float16'])).toBe('float16');
    expect(() => vae.signature.inputType('latent_sample', ['float32'])).toThrow(expect.objectContaining({ code: 'MODEL_ERROR', message: expect.stringMatching(/wants input "latent_sample" as float16/) }));
  });

  it('falls back to the CPU with a warning when CUDA is requested but cannot load, and still runs', async () => {
    const warnings: string[] = [];
    const path = fixture('sd-turbo', 'vae_decoder', 'model.onnx');
    const vae = await openOnnxSession(path, 'VAE decoder', { executionProvider: 'cuda', onWarning: (m) => warnings.push(m) });
    expect(vae.provider).toBe('cpu');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^CUDA could not be used for VAE decoder \(.*vae_decoder\/model\.onnx\): .*Running it on the CPU instead/);
    const latents = numericTensor('float32', new Array(4 * 2 * 3).fill(0.5), [1, 4, 2, 3]);
    const out = await vae.session.run({ latent_sample: latents });
    expect(out['sample']?.dims).toEqual([1, 3, 16, 24]);
    const values = readFloats(out['sample']!, 'sample');
    expect(values.every((v) => v > -1 && v < 1)).toBe(true);
  });

  it('says a GPU-only export needs a GPU, also after a failed CUDA attempt', async () => {
    const path = fixture('unet-cuda-only', 'model.onnx');
    await expect(openOnnxSession(path, 'unet')).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringMatching(/uses GroupNorm\(1\), which ONNX Runtime has no CPU kernel for.*MIRAGE_EXECUTION_PROVIDER=cuda/),
    });
    await expect(openOnnxSession(path, 'unet', { executionProvider: 'cuda', onWarning: () => {} })).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringMatching(/no CPU kernel for.*\(CUDA was requested but could not be used: /),
    });
  });

  it('names a missing file and an unreadable one', async () => {
    await expect(openOnnxSession(fixture('sd-turbo', 'unet', 'missing.onnx'), 'unet')).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringMatching(/The unet model file .*missing\.onnx does not exist/),
    });
    await expect(openOnnxSession(fixture('clip', 'tokenizer.json'), 'CLIP text model')).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringMatching(/CLIP text model \(.*tokenizer\.json\) could not be loaded by ONNX Runtime/),
    });
  });
});

describe('withOpenSessions', () => {
  it('hands the opened parts to the builder and releases them when it rejects them', async () => {
    const path = fixture('sd-turbo', 'vae_decoder', 'model.onnx');
    const labels = await withOpenSessions({ a: { path, label: 'first' }, b: { path, label: 'second' } }, {}, ({ a, b }) => [a.signature.label, b.signature.label]);
    expect(labels).toEqual([`first (${path})`, `second (${path})`]);

    let kept: OnnxSession | undefined;
    await expect(withOpenSessions({ a: { path, label: 'VAE' } }, {}, ({ a }) => {
      kept = a;
      throw new Error('not this one');
    })).rejects.toThrow('not this one');
    const latents = numericTensor('float32', new Array(4).fill(0), [1, 4, 1, 1]);
    await expect(kept!.session.run({ latent_sample: latents })).rejects.toThrow();
  });

  it('passes on the failure of any part', async () => {
    const good = { path: fixture('sd-turbo', 'vae_decoder', 'model.onnx'), label: 'VAE' };
    const missing = { path: fixture('sd-turbo', 'nothing.onnx'), label: 'unet' };
    await expect(withOpenSessions({ good, missing }, {}, () => 'built')).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/unet model file/) });
  });
});
