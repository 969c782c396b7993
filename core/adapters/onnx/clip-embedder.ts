import type { Tensor } from 'onnxruntime-node';
import { MirageError } from '../../errors.js';
import type { ImageSize, RawImage } from '../../images/raw-image.js';
import type { ImageEmbedder } from '../../ports/image-embedder.js';
import type { TextEmbedder } from '../../ports/text-embedder.js';
import { normalize } from '../../vectors/vector-math.js';
import { batchPlan, chunks, padToPlan, type BatchPlan } from './batching.js';
import { clipDecodeSize, clipPixelValues, processedSize, type ClipImageProcessing } from './clip-preprocess.js';
import type { ClipTokenizer } from './clip-tokenizer.js';
import { staticDim, type ModelSignature, type TensorSpec } from './input-metadata.js';
import { runForOutput, type OnnxSession } from './ort-session.js';
import { numericTensor, readFloats } from './tensors.js';

export interface ClipEmbedderOptions {
  /** Most items per model call where the model's batch axis is free (default 16). */
  readonly batchSize?: number;
}

export interface ClipTowerOptions extends ClipEmbedderOptions {
  /** The model_type of the export's config.json ("clip", "siglip", ...), when it has one. */
  readonly modelType?: string;
}

/**
 * Model types whose pooler_output is the embedding: SigLIP's towers end their pooling in the
 * head (transformers' SiglipModel returns pooler_output as text_embeds and image_embeds). In
 * CLIP and the other types, pooler_output is a tower's output before its projection layer: not
 * in the shared space, however well its size fits (CLIP ViT-B/32's text tower: 512 either way).
 */
const POOLED_EMBEDDING_TYPES: ReadonlySet<string> = new Set(['siglip', 'siglip_vision_model', 'siglip_text_model', 'siglip2', 'siglip2_vision_model', 'siglip2_text_model']);

const DEFAULT_BATCH_SIZE = 16;

/**
 * CLIP's image tower on ONNX Runtime: pixel_values [B, 3, H, W] -> image_embeds [B, dim]
 * (or pooler_output, for models that define it as the embedding), L2-normalised.
 */
export class OnnxClipImageEmbedder implements ImageEmbedder {
  readonly dim: number;
  private readonly pixelType: 'float32' | 'float16';
  private readonly output: string;
  private readonly plan: BatchPlan;

  constructor(
    readonly id: string,
    private readonly model: OnnxSession,
    private readonly processing: ClipImageProcessing,
    options: ClipTowerOptions = {},
  ) {
    const { signature } = model;
    signature.expectInputs(['pixel_values']);
    this.pixelType = signature.inputType('pixel_values', ['float32', 'float16']);
    const input = signature.input('pixel_values');
    const size = processedSize(processing);
    const [height, width] = [staticDim(input, 2), staticDim(input, 3)];
    if ((height !== undefined && height !== size.height) || (width !== undefined && width !== size.width)) {
      throw new MirageError('MODEL_ERROR', `${signature.label} takes ${width}x${height} pixels but its preprocessor config produces ${size.width}x${size.height}.`);
    }
    const output = embeddingOutput(signature, 'image_embeds', options);
    this.output = output.name;
    this.dim = embeddingDim(output, signature.label);
    this.plan = batchPlan(input, options.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  decodeSize(width: number, height: number): ImageSize {
    return clipDecodeSize(this.processing, width, height);
  }

  async embedImages(images: readonly RawImage[]): Promise<Float32Array[]> {
    const { height, width } = processedSize(this.processing);
    const vectors: Float32Array[] = [];
    for (const chunk of chunks(images, this.plan.size)) {
      const batch = padToPlan(chunk, this.plan);
      const planes = batch.map((image) => clipPixelValues(image, this.processing));
      const pixels = new Float32Array(planes.reduce((n, p) => n + p.length, 0));
      planes.forEach((plane, i) => pixels.set(plane, i * plane.length));
      const tensor = numericTensor(this.pixelType, pixels, [batch.length, 3, height, width]);
      const embeds = await runForOutput(this.model, { pixel_values: tensor }, this.output);
      vectors.push(...normalisedRows(embeds, chunk.length, this.dim, this.model.signature.label));
    }
    return vectors;
  }
}

/**
 * CLIP's text tower: input_ids [B, L] (+ attention_mask) -> text_embeds [B, dim] (or
 * pooler_output, for models that define it as the embedding), L2-normalised, in the image
 * tower's space. Texts are always padded to the full length, so a text embeds the same alone or
 * in a batch.
 */
export class OnnxClipTextEmbedder implements TextEmbedder {
  readonly dim: number;
  private readonly idsType: 'int32' | 'int64';
  private readonly maskType: 'int32' | 'int64' | undefined;
  private readonly length: number;
  private readonly output: string;
  private readonly plan: BatchPlan;

  constructor(
    readonly id: string,
    private readonly model: OnnxSession,
    private readonly tokenizer: ClipTokenizer,
    options: ClipTowerOptions = {},
  ) {
    const { signature } = model;
    signature.expectInputs(['input_ids'], ['attention_mask']);
    this.idsType = signature.inputType('input_ids', ['int32', 'int64']);
    this.maskType = signature.hasInput('attention_mask') ? signature.inputType('attention_mask', ['int32', 'int64']) : undefined;
    const ids = signature.input('input_ids');
    this.length = staticDim(ids, 1) ?? tokenizer.maxLength;
    const output = embeddingOutput(signature, 'text_embeds', options);
    this.output = output.name;
    this.dim = embeddingDim(output, signature.label);
    this.plan = batchPlan(ids, options.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const chunk of chunks(texts, this.plan.size)) {
      const tokens = this.tokenizer.encode(padToPlan(chunk, this.plan), this.length);
      const dims = [tokens.count, tokens.length];
      const feeds: Record<string, Tensor> = { input_ids: numericTensor(this.idsType, tokens.ids, dims) };
      if (this.maskType) feeds['attention_mask'] = numericTensor(this.maskType, tokens.attentionMask, dims);
      const embeds = await runForOutput(this.model, feeds, this.output);
      vectors.push(...normalisedRows(embeds, chunk.length, this.dim, this.model.signature.label));
    }
    return vectors;
  }
}

function embeddingOutput(signature: ModelSignature, embeds: 'image_embeds' | 'text_embeds', options: ClipTowerOptions): TensorSpec {
  const output = signature.output([embeds, 'pooler_output']);
  if (output.name === 'pooler_output' && !POOLED_EMBEDDING_TYPES.has(options.modelType ?? '')) {
    const said = options.modelType === undefined ? 'no model_type in a config.json' : `model_type "${options.modelType}"`;
    throw new MirageError(
      'MODEL_ERROR',
      `${signature.label} outputs pooler_output but no ${embeds}. For this model (${said}) that is the tower's output before its projection layer, not an embedding in the shared space, even when its size matches. Export the tower with its projection (${embeds === 'text_embeds' ? 'CLIPTextModelWithProjection' : 'CLIPVisionModelWithProjection'}); pooler_output is taken as the embedding only for models that define it so (config.json model_type "siglip" or "siglip2").`,
    );
  }
  return output;
}

function embeddingDim(output: TensorSpec, label: string): number {
  const dim = output.shape.length === 2 ? staticDim(output, 1) : undefined;
  if (dim === undefined) {
    throw new MirageError('MODEL_ERROR', `${label} output "${output.name}" has shape [${output.shape.join(', ')}]; a [batch, dim] embedding with a fixed dim was expected.`);
  }
  return dim;
}

function normalisedRows(tensor: Tensor, count: number, dim: number, label: string): Float32Array[] {
  if (tensor.dims.length !== 2 || tensor.dims[1] !== dim || (tensor.dims[0] ?? 0) < count) {
    throw new MirageError('MODEL_ERROR', `${label} returned shape [${tensor.dims.join(', ')}]; expected [${count}, ${dim}].`);
  }
  const values = readFloats(tensor, `${label} output`);
  return Array.from({ length: count }, (_, i) => normalize(values.subarray(i * dim, (i + 1) * dim)));
}
