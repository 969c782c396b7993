import { join } from 'node:path';
import { z } from 'zod';
import { MirageError } from '../../errors.js';
import type { ModelBundle } from '../../ports/model-bundle.js';
import type { Generator } from '../../ports/generator.js';
import { CLIP_IMAGE_PROCESSING, parseImageProcessing } from './clip-preprocess.js';
import { OnnxClipImageEmbedder, OnnxClipTextEmbedder, type ClipEmbedderOptions } from './clip-embedder.js';
import { ClipTokenizer } from './clip-tokenizer.js';
import { OnnxDiffusionGenerator, type DiffusionGeneratorOptions } from './diffusion-generator.js';
import { SD_TURBO_SCHEDULER, type EulerSchedulerConfig } from './euler-scheduler.js';
import { firstExisting, parseModelConfig, readJsonIfPresent, requireModelFolder } from './model-files.js';
import { withOpenSessions, type OnnxSessionOptions } from './ort-session.js';

/** Precision variants as Xenova-style exports name their files (vision_model_quantized.onnx, ...). */
export type ClipVariant = 'fp32' | 'fp16' | 'quantized' | 'int8' | 'uint8' | 'q4' | 'bnb4';

export interface ClipBundleOptions extends OnnxSessionOptions, ClipEmbedderOptions {
  /** Embedder id that archives record, e.g. "clip-vit-b32". */
  readonly embedderId: string;
  /** Which files to load; by default the first present of fp32, quantized, fp16. */
  readonly variant?: ClipVariant;
  /** The towers' files, relative to the folder; when given, `variant` is not consulted. */
  readonly files?: { readonly vision: string; readonly text: string };
  /** Served with the embedders, e.g. an OnnxDiffusionGenerator for the generative strategies. */
  readonly generator?: Generator;
}

const AUTO_VARIANTS: readonly ClipVariant[] = ['fp32', 'quantized', 'fp16'];
/** config.json: its model_type says what a tower's pooler_output is. */
const modelConfigSchema = z.object({ model_type: z.string().optional() });

/**
 * CLIP image and text towers from a local folder in the Xenova/transformers.js layout:
 *
 *   <dir>/onnx/vision_model[_<variant>].onnx   pixel_values -> image_embeds
 *   <dir>/onnx/text_model[_<variant>].onnx     input_ids (+ attention_mask) -> text_embeds
 *   <dir>/tokenizer.json, tokenizer_config.json
 *   <dir>/config.json                         optional; model_type "siglip" / "siglip2" accepts pooler_output
 *   <dir>/preprocessor_config.json            optional; CLIP's resize / crop / mean / std otherwise
 *
 * (the .onnx files may also sit directly in <dir>). Nothing is fetched from anywhere.
 */
export async function createClipBundle(dir: string, options: ClipBundleOptions): Promise<ModelBundle> {
  await requireModelFolder(dir, 'CLIP');
  const variants = options.variant ? [options.variant] : AUTO_VARIANTS;
  const candidates = (tower: string) => variants.flatMap((v) => [`onnx/${tower}${suffix(v)}.onnx`, `${tower}${suffix(v)}.onnx`]);
  const { files } = options;
  const visionPath = await firstExisting(dir, files ? [files.vision] : candidates('vision_model'), 'CLIP vision model');
  const textPath = await firstExisting(dir, files ? [files.text] : candidates('text_model'), 'CLIP text model');
  const preprocessorPath = join(dir, 'preprocessor_config.json');
  const preprocessor = await readJsonIfPresent(preprocessorPath);
  const processing = preprocessor === undefined ? CLIP_IMAGE_PROCESSING : parseImageProcessing(preprocessor, preprocessorPath);
  const tokenizer = await ClipTokenizer.load(dir);
  const configPath = join(dir, 'config.json');
  const { model_type: modelType } = parseModelConfig(modelConfigSchema, (await readJsonIfPresent(configPath)) ?? {}, configPath);
  const towerOptions = { ...options, ...(modelType !== undefined ? { modelType } : {}) };
  const parts = { vision: { path: visionPath, label: 'CLIP vision model' }, text: { path: textPath, label: 'CLIP text model' } };
  const { imageEmbedder, textEmbedder } = await withOpenSessions(parts, options, ({ vision, text }) => {
    const towers = {
      imageEmbedder: new OnnxClipImageEmbedder(options.embedderId, vision, processing, towerOptions),
      textEmbedder: new OnnxClipTextEmbedder(options.embedderId, text, tokenizer, towerOptions),
    };
    if (towers.imageEmbedder.dim !== towers.textEmbedder.dim) {
      throw new MirageError('MODEL_ERROR', `The CLIP towers in ${dir} disagree: images embed to ${towers.imageEmbedder.dim} dimensions, texts to ${towers.textEmbedder.dim}.`);
    }
    return towers;
  });
  return { embedderId: options.embedderId, imageEmbedder, textEmbedder, ...(options.generator ? { generator: options.generator } : {}) };
}

const suffix = (variant: ClipVariant): string => (variant === 'fp32' ? '' : `_${variant}`);

export interface DiffusionGeneratorLoadOptions extends OnnxSessionOptions, DiffusionGeneratorOptions {}

/**
 * An SD-Turbo-style generator from a local folder in the diffusers ONNX layout:
 *
 *   <dir>/tokenizer/        tokenizer.json, or vocab.json + merges.txt; tokenizer_config.json
 *   <dir>/text_encoder/model.onnx
 *   <dir>/unet/model.onnx   (external weight files beside it are found by ONNX Runtime)
 *   <dir>/vae_decoder/model.onnx
 *   <dir>/scheduler/scheduler_config.json   optional; SD-Turbo's Euler settings otherwise
 */
export async function createDiffusionGenerator(dir: string, options: DiffusionGeneratorLoadOptions = {}): Promise<OnnxDiffusionGenerator> {
  await requireModelFolder(dir, 'diffusion');
  const tokenizer = await ClipTokenizer.load(join(dir, 'tokenizer'));
  const scheduler = await readScheduler(join(dir, 'scheduler', 'scheduler_config.json'));
  const parts = {
    textEncoder: { path: join(dir, 'text_encoder', 'model.onnx'), label: 'text encoder' },
    unet: { path: join(dir, 'unet', 'model.onnx'), label: 'unet' },
    vaeDecoder: { path: join(dir, 'vae_decoder', 'model.onnx'), label: 'VAE decoder' },
  };
  return withOpenSessions(parts, options, (sessions) => new OnnxDiffusionGenerator({ tokenizer, scheduler, ...sessions }, options));
}

const schedulerSchema = z.object({
  num_train_timesteps: z.number().int().positive().default(SD_TURBO_SCHEDULER.numTrainTimesteps),
  beta_start: z.number().positive().default(SD_TURBO_SCHEDULER.betaStart),
  beta_end: z.number().positive().default(SD_TURBO_SCHEDULER.betaEnd),
  beta_schedule: z.enum(['scaled_linear', 'linear']).default(SD_TURBO_SCHEDULER.betaSchedule),
  timestep_spacing: z.enum(['trailing', 'leading', 'linspace']).default(SD_TURBO_SCHEDULER.timestepSpacing),
  steps_offset: z.number().int().min(0).default(SD_TURBO_SCHEDULER.stepsOffset),
  prediction_type: z.enum(['epsilon', 'v_prediction']).default(SD_TURBO_SCHEDULER.predictionType),
});

/** The noise schedule the model was trained with; the sampler is always Euler discrete. */
async function readScheduler(path: string): Promise<EulerSchedulerConfig> {
  const json = await readJsonIfPresent(path);
  if (json === undefined) return SD_TURBO_SCHEDULER;
  const c = parseModelConfig(schedulerSchema, json, path);
  return {
    numTrainTimesteps: c.num_train_timesteps,
    betaStart: c.beta_start,
    betaEnd: c.beta_end,
    betaSchedule: c.beta_schedule,
    timestepSpacing: c.timestep_spacing,
    stepsOffset: c.steps_offset,
    predictionType: c.prediction_type,
  };
}
