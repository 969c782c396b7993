import { z } from 'zod';
import { MirageError } from '../../errors.js';
import type { ImageSize, RawImage } from '../../images/raw-image.js';
import { parseModelConfig } from './model-files.js';
import { PIL_RESAMPLE_CODES, pilResize, type PilResample } from './pil-resize.js';

/** How CLIP-family image towers want their pixels, from the export's preprocessor_config.json. */
export interface ClipImageProcessing {
  /** Resize so the shorter side is this long (CLIP), or to exactly this size (SigLIP). */
  readonly resize: { readonly shortestEdge: number } | { readonly height: number; readonly width: number };
  /** Centre crop after resizing, when the model wants one. */
  readonly crop?: { readonly height: number; readonly width: number };
  /** Pillow's resampling filter, as the reference preprocessing resizes. */
  readonly resample: PilResample;
  readonly rescale: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** openai/clip-vit-base-patch32: bicubic shortest side 224, centre crop 224, CLIP mean / std. */
export const CLIP_IMAGE_PROCESSING: ClipImageProcessing = {
  resize: { shortestEdge: 224 },
  crop: { height: 224, width: 224 },
  resample: 'bicubic',
  rescale: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};

const side = z.number().int().positive().max(4096);
const box = z.union([side.transform((s) => ({ height: s, width: s })), z.object({ height: side, width: side })]);
const triple = z.tuple([z.number(), z.number(), z.number()]);
const preprocessorSchema = z.object({
  do_resize: z.boolean().default(true),
  size: z.union([side.transform((s) => ({ shortestEdge: s })), z.object({ shortest_edge: side }).transform((s) => ({ shortestEdge: s.shortest_edge })), z.object({ height: side, width: side })]).optional(),
  resample: z.number().int().refine((r) => r in PIL_RESAMPLE_CODES, 'unknown resample code').default(3),
  do_center_crop: z.boolean().default(true),
  crop_size: box.optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().positive().default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: triple.optional(),
  image_std: triple.refine((s) => s.every((v) => v > 0), 'must be positive').optional(),
});

/** Reads preprocessor_config.json content; what it leaves out keeps CLIP's values. */
export function parseImageProcessing(json: unknown, path: string): ClipImageProcessing {
  const config = parseModelConfig(preprocessorSchema, json, path);
  const resize = config.do_resize && config.size ? config.size : CLIP_IMAGE_PROCESSING.resize;
  const crop = config.do_center_crop ? (config.crop_size ?? CLIP_IMAGE_PROCESSING.crop) : undefined;
  const processing: ClipImageProcessing = {
    resize,
    ...(crop ? { crop } : {}),
    resample: PIL_RESAMPLE_CODES[config.resample] ?? 'bicubic',
    rescale: config.do_rescale ? config.rescale_factor : 1,
    mean: config.do_normalize ? (config.image_mean ?? CLIP_IMAGE_PROCESSING.mean) : [0, 0, 0],
    std: config.do_normalize ? (config.image_std ?? CLIP_IMAGE_PROCESSING.std) : [1, 1, 1],
  };
  const resized = 'shortestEdge' in resize ? { height: resize.shortestEdge, width: resize.shortestEdge } : resize;
  if (crop && (crop.height > resized.height || crop.width > resized.width)) {
    throw new MirageError('MODEL_ERROR', `${path}: the crop (${crop.width}x${crop.height}) is larger than the resized image (${resized.width}x${resized.height}).`);
  }
  return processing;
}

/** Height and width of the tensor the processing produces. */
export function processedSize(processing: ClipImageProcessing): { readonly height: number; readonly width: number } {
  if (processing.crop) return processing.crop;
  const { resize } = processing;
  return 'shortestEdge' in resize ? { height: resize.shortestEdge, width: resize.shortestEdge } : resize;
}

/**
 * One image as the model's pixel_values: resized as Pillow resizes (shorter side first, the
 * longer one truncated as transformers does), centre-cropped, rescaled and normalised per
 * channel, channel-major (CHW).
 */
export function clipPixelValues(image: RawImage, processing: ClipImageProcessing): Float32Array {
  const { width, height } = resizedSize(image, processing);
  const out = processedSize(processing);
  // transformers' center_crop: top = (height - crop_height) // 2, likewise left.
  const window = { left: Math.floor((width - out.width) / 2), top: Math.floor((height - out.height) / 2), ...out };
  const pixels = pilResize(image, width, height, processing.resample, window).data;
  const plane = out.width * out.height;
  const values = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = processing.mean[c] as number;
    const std = processing.std[c] as number;
    for (let i = 0; i < plane; i++) values[c * plane + i] = ((pixels[i * 3 + c] as number) * processing.rescale - mean) / std;
  }
  return values;
}

/**
 * Decoders keep this many times the size the preprocessing resizes to. Shrinking the last
 * factor of two with Pillow's own filter keeps what the model sees close to resizing the
 * original: on 16:9 and 3:1 test photos (PNG and JPEG, up to 4000 pixels wide) a mean error of
 * 0.2-1.0 levels (99th percentile at most 3), where fitting into 448x448 gave 0.6-16 (up to 49)
 * and decoding straight to the model's size, with libvips' filter, 1.3-26.
 */
const DECODE_MARGIN = 2;

/**
 * The size to decode a width x height image to for this preprocessing (see
 * ImageEmbedder.decodeSize): DECODE_MARGIN times the resized size, with the longer side chosen
 * so that the resize computes the same size from it as from the original; the original size
 * when that is no larger.
 */
export function clipDecodeSize(processing: ClipImageProcessing, width: number, height: number): ImageSize {
  const { resize } = processing;
  const original = { width, height };
  if (!('shortestEdge' in resize)) {
    // A fixed-size resize squeezes any aspect ratio: keep the shorter side at the larger target side.
    const scale = (DECODE_MARGIN * Math.max(resize.width, resize.height)) / Math.min(width, height);
    return scale >= 1 ? original : { width: Math.round(width * scale), height: Math.round(height * scale) };
  }
  const short = DECODE_MARGIN * resize.shortestEdge;
  const [shortSide, longSide] = width <= height ? [width, height] : [height, width];
  if (short >= shortSide) return original;
  // The resize makes the longer side int(edge · long / short) from the original; from the decoded
  // image it makes int(long' / DECODE_MARGIN), so long' must lie in that multiple's range.
  const resizedLong = Math.floor((resize.shortestEdge * longSide) / shortSide);
  const long = Math.min(DECODE_MARGIN * resizedLong + DECODE_MARGIN - 1, Math.max(DECODE_MARGIN * resizedLong, Math.round((short * longSide) / shortSide)));
  return width <= height ? { width: short, height: long } : { width: long, height: short };
}

function resizedSize(image: ImageSize, processing: ClipImageProcessing): ImageSize {
  const { resize } = processing;
  if (!('shortestEdge' in resize)) return resize;
  const edge = resize.shortestEdge;
  // transformers: new_long = int(short_target * long / short), i.e. truncated.
  return image.width <= image.height
    ? { width: edge, height: Math.max(edge, Math.floor((edge * image.height) / image.width)) }
    : { width: Math.max(edge, Math.floor((edge * image.width) / image.height)), height: edge };
}
