/**
 * Models Mirage knows how to fetch with "mirage models pull". Each preset names a public ONNX
 * export on the model hub and the files Mirage needs from it. A preset is pulled from a reviewed
 * commit, with the sizes and digests recorded for it (preset-pins.ts); the sizes here are only
 * what the README and "mirage models list" show before anything is downloaded.
 */

/** clip: paired image and text towers (an embedder). diffusion: a text-to-image generator. */
export type ModelKind = 'clip' | 'diffusion';

export interface PresetVariant {
  /**
   * Files to fetch: an exact path, or a folder path ending in "/" for every file below it (so an
   * export's external-data files come along without being named).
   */
  readonly include: readonly string[];
  /** Paths that must exist in the repository; a pull fails before downloading without them. */
  readonly required: readonly string[];
  /** The ONNX files the loader opens, by role. */
  readonly roles: Readonly<Record<string, string>>;
  /** Approximate download size in bytes, for display. */
  readonly approxBytes: number;
}

export interface ModelPreset {
  readonly name: string;
  readonly kind: ModelKind;
  readonly description: string;
  /** Hub repository, "owner/name". */
  readonly repo: string;
  /** The branch an unpinned pull (--unpinned) follows; a pinned one uses its pinned commit. */
  readonly revision: string;
  readonly license: string;
  /** Embedding dimension (embedders only). */
  readonly dim?: number;
  readonly defaultVariant: string;
  readonly variants: Readonly<Record<string, PresetVariant>>;
}

const MB = 1_000_000;

/** Files every transformers.js-style CLIP export carries besides its two towers. */
const CLIP_SIDE_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];
const CLIP_REQUIRED_SIDE_FILES = ['preprocessor_config.json', 'tokenizer.json'];

function clipVariant(vision: string, text: string, approxBytes: number): PresetVariant {
  return {
    include: [vision, text, ...CLIP_SIDE_FILES],
    required: [vision, text, ...CLIP_REQUIRED_SIDE_FILES],
    roles: { vision, text },
    approxBytes,
  };
}

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    name: 'clip-vit-b32',
    kind: 'clip',
    description: 'OpenAI CLIP ViT-B/32, image and text towers, 512-d',
    repo: 'Xenova/clip-vit-base-patch32',
    revision: 'main',
    license: 'MIT',
    dim: 512,
    defaultVariant: 'fp32',
    variants: {
      fp32: clipVariant('onnx/vision_model.onnx', 'onnx/text_model.onnx', 610 * MB),
      quantized: clipVariant('onnx/vision_model_quantized.onnx', 'onnx/text_model_quantized.onnx', 157 * MB),
    },
  },
  {
    name: 'mobileclip-s0',
    kind: 'clip',
    description: 'Apple MobileCLIP-S0, image and text towers, 512-d; small and fast on CPU',
    repo: 'Xenova/mobileclip_s0',
    revision: 'main',
    license: 'Apple sample code license (see the repository)',
    dim: 512,
    defaultVariant: 'fp32',
    variants: {
      // Sizes estimated from the towers' parameter counts (11.4 M image, 42.4 M text).
      fp32: clipVariant('onnx/vision_model.onnx', 'onnx/text_model.onnx', 220 * MB),
      // The int8 vision tower is broken (two copies of one image: cosine 0.37), and the model's
      // own transformers.js config keeps the vision model in fp32: only the text tower is 8-bit.
      quantized: clipVariant('onnx/vision_model.onnx', 'onnx/text_model_quantized.onnx', 90 * MB),
    },
  },
  {
    name: 'sd-turbo',
    kind: 'diffusion',
    description: 'Stability AI SD-Turbo (one-step text-to-image), ONNX Runtime export, fp16',
    repo: 'onnxruntime/sd-turbo',
    revision: 'main',
    license: 'Stability AI Non-Commercial Research Community License',
    defaultVariant: 'fp16',
    variants: {
      fp16: {
        include: ['model_index.json', 'scheduler/', 'text_encoder/', 'tokenizer/', 'unet/', 'vae_decoder/'],
        required: ['text_encoder/model.onnx', 'unet/model.onnx', 'vae_decoder/model.onnx', 'tokenizer/vocab.json', 'tokenizer/merges.txt'],
        roles: { textEncoder: 'text_encoder/model.onnx', unet: 'unet/model.onnx', vaeDecoder: 'vae_decoder/model.onnx' },
        approxBytes: 2_510 * MB,
      },
    },
  },
];

export function findPreset(name: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.name === name);
}

/** Whether a repository path is one of the files a variant fetches. */
export function isIncluded(variant: PresetVariant, path: string): boolean {
  return variant.include.some((pattern) => (pattern.endsWith('/') ? path.startsWith(pattern) : path === pattern));
}
