import type { Tensor } from 'onnxruntime-node';
import { invalidInput, MirageError } from '../../errors.js';
import type { RawImage } from '../../images/raw-image.js';
import type { GeneratedImage, GenerateRequest, Generator } from '../../ports/generator.js';
import { Prng } from '../../random/prng.js';
import { deriveSeed } from '../../random/seed.js';
import { batchPlan, chunks, padToPlan, type BatchPlan } from './batching.js';
import type { ClipTokenizer } from './clip-tokenizer.js';
import { eulerSchedule, eulerStep, scaleModelInput, type EulerSchedule, type EulerSchedulerConfig } from './euler-scheduler.js';
import { staticDim, type TensorSpec } from './input-metadata.js';
import { runForOutput, type OnnxSession } from './ort-session.js';
import { numericTensor, readFloats, type NumericInputType } from './tensors.js';

/** The parts of a Stable-Diffusion-style ONNX export. */
export interface DiffusionModel {
  readonly tokenizer: ClipTokenizer;
  readonly textEncoder: OnnxSession;
  readonly unet: OnnxSession;
  readonly vaeDecoder: OnnxSession;
  readonly scheduler: EulerSchedulerConfig;
}

export interface DiffusionGeneratorOptions {
  /** Generator id reported with rounds (default "sd-turbo"). */
  readonly id?: string;
  /** UNet evaluations per image (default 1, SD-Turbo's). */
  readonly steps?: number;
  /** Square output side in pixels, a multiple of 8 (default: the model's fixed size, else 512). */
  readonly size?: number;
  /** Most images per UNet call where the model's batch axis is free (default 4). */
  readonly maxBatch?: number;
}

/** SD 1.x / 2.x / Turbo VAE: latents are stored scaled by this. */
const VAE_SCALING_FACTOR = 0.18215;
const LATENT_CHANNELS = 4;
const VAE_FACTOR = 8;
const DEFAULT_SIZE = 512;
const MAX_SIZE = 2048;
const MAX_SAMPLES = 16;
const MAX_STEPS = 50;

const FLOAT_TYPES = ['float32', 'float16'] as const;
type FloatType = (typeof FLOAT_TYPES)[number];

/**
 * Text-to-image on ONNX Runtime, SD-Turbo style: tokenizer -> text encoder -> UNet under Euler
 * discrete sampling (one step by default, no classifier-free guidance) -> VAE decoder -> RGB.
 * Every input's element type and fixed sizes come from the model files' metadata, so float16
 * and float32 exports, int32 / int64 token ids and int / float timesteps all work unchanged.
 * Image i of a request uses seed deriveSeed(seed, i): the same seed gives the same pixels.
 */
export class OnnxDiffusionGenerator implements Generator {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly schedule: EulerSchedule;
  private readonly text: { readonly ids: 'int32' | 'int64'; readonly mask?: 'int32' | 'int64'; readonly length: number; readonly hidden: number; readonly output: string; readonly plan: BatchPlan };
  private readonly unet: { readonly sample: FloatType; readonly context: FloatType; readonly timestep: NumericInputType; readonly timestepDims: 'scalar' | 'one' | 'batch'; readonly output: string; readonly plan: BatchPlan };
  private readonly vae: { readonly latent: FloatType; readonly output: string; readonly plan: BatchPlan };

  constructor(private readonly model: DiffusionModel, options: DiffusionGeneratorOptions = {}) {
    this.id = options.id ?? 'sd-turbo';
    const maxBatch = options.maxBatch ?? 4;
    const steps = options.steps ?? 1;
    if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) throw invalidInput(`Steps must be a whole number from 1 to ${MAX_STEPS}, got ${steps}.`);
    this.schedule = eulerSchedule(model.scheduler, steps);

    const text = model.textEncoder.signature;
    text.expectInputs(['input_ids'], ['attention_mask']);
    const ids = text.input('input_ids');
    const hiddenOut = text.output(['last_hidden_state']);
    const length = staticDim(ids, 1) ?? model.tokenizer.maxLength;
    const hidden = hiddenOut.shape.length === 3 ? staticDim(hiddenOut, 2) : undefined;
    if (hidden === undefined) throw new MirageError('MODEL_ERROR', `${text.label} output "${hiddenOut.name}" has shape [${hiddenOut.shape.join(', ')}]; [batch, tokens, hidden] with a fixed hidden size was expected.`);
    this.text = {
      ids: text.inputType('input_ids', ['int32', 'int64']),
      ...(text.hasInput('attention_mask') ? { mask: text.inputType('attention_mask', ['int32', 'int64']) } : {}),
      length,
      hidden,
      output: hiddenOut.name,
      plan: batchPlan(ids, 1),
    };

    const unet = model.unet.signature;
    unet.expectInputs(['sample', 'timestep', 'encoder_hidden_states']);
    const sample = unet.input('sample');
    const context = unet.input('encoder_hidden_states');
    const timestep = unet.input('timestep');
    for (const [axis, size, what] of [[1, length, 'token count'], [2, hidden, 'hidden size']] as const) {
      const wanted = staticDim(context, axis);
      if (wanted !== undefined && wanted !== size) throw new MirageError('MODEL_ERROR', `${unet.label} wants encoder_hidden_states with ${what} ${wanted}, but the text encoder gives ${size}: the parts come from different models.`);
    }
    if (timestep.shape.length > 1) throw new MirageError('MODEL_ERROR', `${unet.label} wants a timestep of shape [${timestep.shape.join(', ')}]; a scalar or a vector was expected.`);
    this.unet = {
      sample: unet.inputType('sample', FLOAT_TYPES),
      context: unet.inputType('encoder_hidden_states', FLOAT_TYPES),
      timestep: unet.inputType('timestep', ['int64', 'int32', 'float32', 'float16', 'float64']),
      timestepDims: timestep.shape.length === 0 ? 'scalar' : staticDim(timestep, 0) === 1 ? 'one' : 'batch',
      output: unet.output(['out_sample']).name,
      plan: batchPlan(sample, maxBatch),
    };
    [this.width, this.height] = outputSize(sample, options.size, unet.label);

    const vae = model.vaeDecoder.signature;
    vae.expectInputs(['latent_sample']);
    const latent = vae.input('latent_sample');
    const [vaeWidth, vaeHeight] = [staticDim(latent, 3), staticDim(latent, 2)];
    if ((vaeWidth !== undefined && vaeWidth * VAE_FACTOR !== this.width) || (vaeHeight !== undefined && vaeHeight * VAE_FACTOR !== this.height)) {
      throw new MirageError('MODEL_ERROR', `${vae.label} decodes ${vaeWidth}x${vaeHeight} latents, but the images are ${this.width}x${this.height}.`);
    }
    this.vae = { latent: vae.inputType('latent_sample', FLOAT_TYPES), output: vae.output(['sample']).name, plan: batchPlan(latent, maxBatch) };
  }

  async generate(request: GenerateRequest): Promise<GeneratedImage[]> {
    const { text, seed, n, signal } = request;
    if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES) throw invalidInput(`Number of samples must be a whole number from 1 to ${MAX_SAMPLES}, got ${n}.`);
    if (!Number.isFinite(seed)) throw invalidInput(`Seed must be a finite number, got ${seed}.`);
    if (typeof text !== 'string') throw invalidInput('Description must be text.');
    signal?.throwIfAborted();
    const promptState = await this.encodePrompt(text);
    const seeds = Array.from({ length: n }, (_, i) => deriveSeed(seed, i));
    const groups = chunks(seeds, this.unet.plan.size);
    const steps = this.schedule.timesteps.length;
    let done = 0;
    const images: GeneratedImage[] = [];
    for (const group of groups) {
      const batch = padToPlan(group, this.unet.plan);
      const context = numericTensor(this.unet.context, repeat(promptState, batch.length), [batch.length, this.text.length, this.text.hidden]);
      let latents = this.initialLatents(batch);
      for (let step = 0; step < steps; step++) {
        signal?.throwIfAborted();
        const sigma = this.schedule.sigmas[step] as number;
        const modelOutput = await this.predict(scaleModelInput(latents, sigma), this.schedule.timesteps[step] as number, context, batch.length);
        latents = eulerStep(latents, modelOutput, sigma, this.schedule.sigmas[step + 1] as number, this.model.scheduler.predictionType);
        request.onStep?.(++done, groups.length * steps);
      }
      signal?.throwIfAborted();
      const decoded = await this.decode(latents, group.length);
      images.push(...decoded.map((image, i) => ({ image, seed: group[i] as number })));
    }
    return images;
  }

  private get latentSize(): number {
    return LATENT_CHANNELS * (this.height / VAE_FACTOR) * (this.width / VAE_FACTOR);
  }

  /** The prompt's last hidden state, [tokens, hidden], computed once per request. */
  private async encodePrompt(text: string): Promise<Float32Array> {
    const { length, plan } = this.text;
    const tokens = this.model.tokenizer.encode(padToPlan([text], plan), length);
    const dims = [tokens.count, tokens.length];
    const feeds: Record<string, Tensor> = { input_ids: numericTensor(this.text.ids, tokens.ids, dims) };
    if (this.text.mask) feeds['attention_mask'] = numericTensor(this.text.mask, tokens.attentionMask, dims);
    const hidden = await runForOutput(this.model.textEncoder, feeds, this.text.output);
    const size = length * this.text.hidden;
    const values = readFloats(hidden, `${this.model.textEncoder.signature.label} output`);
    if (values.length < size) throw new MirageError('MODEL_ERROR', `${this.model.textEncoder.signature.label} returned shape [${hidden.dims.join(', ')}]; expected [1, ${length}, ${this.text.hidden}].`);
    return values.slice(0, size);
  }

  /** Seeded standard Gaussian noise times the scheduler's initial sigma, one block per image. */
  private initialLatents(seeds: readonly number[]): Float32Array {
    const per = this.latentSize;
    const latents = new Float32Array(seeds.length * per);
    seeds.forEach((seed, i) => {
      const prng = new Prng(seed);
      for (let j = 0; j < per; j++) latents[i * per + j] = prng.gaussian() * this.schedule.initNoiseSigma;
    });
    return latents;
  }

  private async predict(sample: Float32Array, timestep: number, context: Tensor, batch: number): Promise<Float32Array> {
    const { timestepDims } = this.unet;
    const timestepCount = timestepDims === 'batch' ? batch : 1;
    const feeds: Record<string, Tensor> = {
      sample: numericTensor(this.unet.sample, sample, [batch, LATENT_CHANNELS, this.height / VAE_FACTOR, this.width / VAE_FACTOR]),
      timestep: numericTensor(this.unet.timestep, new Array<number>(timestepCount).fill(timestep), timestepDims === 'scalar' ? [] : [timestepCount]),
      encoder_hidden_states: context,
    };
    const out = readFloats(await runForOutput(this.model.unet, feeds, this.unet.output), `${this.model.unet.signature.label} output`);
    if (out.length !== sample.length) throw new MirageError('MODEL_ERROR', `${this.model.unet.signature.label} returned ${out.length} values for ${sample.length} latent values.`);
    return out;
  }

  /** Unscales the latents, runs the VAE decoder and maps [-1, 1] to 8-bit RGB. */
  private async decode(latents: Float32Array, count: number): Promise<RawImage[]> {
    const per = this.latentSize;
    const images: RawImage[] = [];
    const indices = Array.from({ length: count }, (_, i) => i);
    for (const group of chunks(indices, this.vae.plan.size)) {
      const batch = padToPlan(group, this.vae.plan);
      const input = new Float32Array(batch.length * per);
      batch.forEach((index, i) => {
        for (let j = 0; j < per; j++) input[i * per + j] = (latents[index * per + j] as number) / VAE_SCALING_FACTOR;
      });
      const tensor = numericTensor(this.vae.latent, input, [batch.length, LATENT_CHANNELS, this.height / VAE_FACTOR, this.width / VAE_FACTOR]);
      const output = await runForOutput(this.model.vaeDecoder, { latent_sample: tensor }, this.vae.output);
      const expected = [batch.length, 3, this.height, this.width];
      if (output.dims.join() !== expected.join()) {
        throw new MirageError('MODEL_ERROR', `${this.model.vaeDecoder.signature.label} returned shape [${output.dims.join(', ')}]; expected [${expected.join(', ')}].`);
      }
      const pixels = readFloats(output, `${this.model.vaeDecoder.signature.label} output`);
      for (let i = 0; i < group.length; i++) images.push(toRgb(pixels, i, this.width, this.height));
    }
    return images;
  }
}

/** Width and height of the images: the UNet's fixed latent size if it has one, else the requested square size. */
function outputSize(sample: TensorSpec, requested: number | undefined, label: string): [number, number] {
  const [h, w] = [staticDim(sample, 2), staticDim(sample, 3)];
  if (requested !== undefined && (!Number.isInteger(requested) || requested % VAE_FACTOR !== 0 || requested < 64 || requested > MAX_SIZE)) {
    throw invalidInput(`Image size must be a multiple of ${VAE_FACTOR} from 64 to ${MAX_SIZE}, got ${requested}.`);
  }
  if (h !== undefined || w !== undefined) {
    if (h === undefined || w === undefined) throw new MirageError('MODEL_ERROR', `${label} fixes only one side of its latents; Mirage needs both fixed or both free.`);
    if (requested !== undefined && (requested !== h * VAE_FACTOR || requested !== w * VAE_FACTOR)) {
      throw invalidInput(`This model only makes ${w * VAE_FACTOR}x${h * VAE_FACTOR} images; size ${requested} was asked for.`);
    }
    return [w * VAE_FACTOR, h * VAE_FACTOR];
  }
  const size = requested ?? DEFAULT_SIZE;
  return [size, size];
}

function repeat(values: Float32Array, times: number): Float32Array {
  const out = new Float32Array(values.length * times);
  for (let i = 0; i < times; i++) out.set(values, i * values.length);
  return out;
}

/** Image i of a [B, 3, H, W] batch in [-1, 1] as interleaved 8-bit RGB: (x / 2 + 0.5) clamped to [0, 1]. */
function toRgb(pixels: Float32Array, index: number, width: number, height: number): RawImage {
  const plane = width * height;
  const base = index * 3 * plane;
  const data = new Uint8Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane; i++) {
      const value = (pixels[base + c * plane + i] as number) / 2 + 0.5;
      data[i * 3 + c] = Math.round(Math.min(1, Math.max(0, value)) * 255);
    }
  }
  return { data, width, height };
}
